import Foundation
import Testing
import Translators
@testable import Router

@Suite struct MetricsTests {
    private func trace(status: Int, failures: [String?], model: String = "m\"x\n") -> RequestTrace {
        var trace = RequestTrace(id: "r", endpoint: "/v1/chat/completions", dialect: .openai)
        trace.requestedModel = model
        trace.status = status
        trace.firstByte = .milliseconds(20)
        trace.attempts = failures.enumerated().map { index, failure in
            .init(credentialID: "c\(index)", provider: "p\(index)", model: "up", failure: failure)
        }
        return trace
    }

    @Test func exposesCountersHistogramsAndGaugesInPrometheusFormat() throws {
        let metrics = Metrics()
        metrics.record(trace(status: 200, failures: ["HTTP 429 rate_limit_error", nil]))
        metrics.record(trace(status: 502, failures: ["timeout"]))
        let text = metrics.render(gauges: [Gauge(name: "switchyard_open_connections", help: "Open connections.", labels: ["listener"],
                                                 values: [["gateway"]: 3])])
        let families = try PrometheusParser.parse(text)
        #expect(families["switchyard_requests_total"]?.type == "counter")
        #expect(families["switchyard_requests_total"]?.samples.count == 2)
        #expect(families["switchyard_failovers_total"]?.samples.contains { $0.labels["reason"] == "429" && $0.value == 1 } == true)
        #expect(families["switchyard_failovers_total"]?.samples.contains { $0.labels["reason"] == "timeout" } == true)
        #expect(families["switchyard_upstream_attempts_total"]?.samples.count == 3)
        #expect(families["switchyard_open_connections"]?.samples.first?.value == 3)
        let buckets = try #require(families["switchyard_upstream_latency_seconds"]?.samples.filter { $0.name.hasSuffix("_bucket") })
        #expect(buckets.last?.labels["le"] == "+Inf")
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        // The label value with a quote and a newline survives escaping.
        #expect(families["switchyard_requests_total"]?.samples.contains { $0.labels["model"] == "m\"x\n" } == true)
    }
}

/// A strict reader of the Prometheus text format, enough to check what we expose.
enum PrometheusParser {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Family {
        var type = ""
        var samples: [Sample] = []
    }

    enum Failure: Error { case malformed(String) }

    static func parse(_ text: String) throws -> [String: Family] {
        var families: [String: Family] = [:]
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram"].contains(parts[3]) else { throw Failure.malformed(String(line)) }
                current = String(parts[2])
                families[current, default: Family()].type = String(parts[3])
                continue
            }
            let sample = try sampleLine(String(line))
            guard sample.name.hasPrefix(current) else { throw Failure.malformed("sample \(sample.name) outside its family") }
            families[current]?.samples.append(sample)
        }
        return families
    }

    private static func sampleLine(_ line: String) throws -> Sample {
        var chars = Array(line)[...]
        var name = ""
        while let c = chars.first, c.isLetter || c.isNumber || c == "_" || c == ":" { name.append(c); chars = chars.dropFirst() }
        var labels: [String: String] = [:]
        if chars.first == "{" {
            chars = chars.dropFirst()
            while chars.first != "}" {
                var key = ""
                while let c = chars.first, c != "=" { key.append(c); chars = chars.dropFirst() }
                guard chars.dropFirst().first == "\"" else { throw Failure.malformed(line) }
                chars = chars.dropFirst(2)
                var value = ""
                while let c = chars.first, c != "\"" {
                    if c == "\\" {
                        chars = chars.dropFirst()
                        switch chars.first {
                        case "n": value.append("\n")
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        default: throw Failure.malformed(line)
                        }
                    } else {
                        value.append(c)
                    }
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst()
                labels[key] = value
                if chars.first == "," { chars = chars.dropFirst() }
                guard !chars.isEmpty else { throw Failure.malformed(line) }
            }
            chars = chars.dropFirst()
        }
        guard chars.first == " ", let value = Double(String(chars.dropFirst())) else { throw Failure.malformed(line) }
        return Sample(name: name, labels: labels, value: value)
    }
}
