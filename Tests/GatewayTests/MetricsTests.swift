import Foundation
import TestSupport
import Testing
import Translators
@testable import Router

@Suite struct MetricsTests {
    private func trace(status: Int, failures: [String?], model: String = "m\"x\n") -> RequestTrace {
        var trace = RequestTrace(id: "r", path: "/v1/chat/completions", dialect: .openai)
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
        let families = try PrometheusScrape.parse(text)
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

    /// The model in a Gemini URL is not part of the endpoint label: anyone could add series by
    /// inventing names, without a key.
    @Test(arguments: [("/v1beta/models/0f3a9c:generateContent", "/v1beta/models/{model}:generateContent"),
                      ("/v1/models/a%3Ab:streamGenerateContent", "/v1/models/{model}:streamGenerateContent"),
                      ("/v1/messages", "/v1/messages")])
    func geminiModelsAreNotPartOfTheEndpoint(_ path: String, _ endpoint: String) {
        #expect(RequestTrace(id: "r", path: path, dialect: .gemini).endpoint == endpoint)
    }

    /// Made-up model names refused before any upstream share one series.
    @Test func refusedModelNamesDoNotAddSeries() throws {
        let metrics = Metrics()
        for index in 0..<50 { metrics.record(trace(status: 404, failures: [], model: "made-up-\(index)")) }
        metrics.record(trace(status: 403, failures: [], model: "forbidden"))
        metrics.record(trace(status: 429, failures: [], model: "cooling"))
        metrics.record(trace(status: 200, failures: [nil], model: "served"))
        let samples = try #require(try PrometheusScrape.parse(metrics.render(gauges: []))["switchyard_requests_total"]?.samples)
        #expect(Set(samples.map { $0.labels["model"] ?? "-" }) == ["", "cooling", "served"])
        #expect(samples.first { $0.labels["status"] == "404" }?.value == 50)
    }

    /// A stream broken off after its first byte counts as a failed attempt, not as a failover.
    @Test func aFailureAfterTheFirstByteIsNoFailover() throws {
        let metrics = Metrics()
        var broken = trace(status: 200, failures: ["reset"])
        broken.attempts[0].failedAfterCommit = true
        metrics.record(broken)
        let families = try PrometheusScrape.parse(metrics.render(gauges: []))
        #expect(families["switchyard_upstream_attempts_total"]?.samples.contains { $0.labels["outcome"] == "reset" } == true)
        #expect(families["switchyard_failovers_total"]?.samples.isEmpty != false)
    }
}
