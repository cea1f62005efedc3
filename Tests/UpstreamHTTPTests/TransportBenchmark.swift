import Foundation
import Testing
import UpstreamHTTP

/// Sequential keep-alive requests per transport: wall time and the client loop thread's CPU
/// time (user + system, from /proc) per request. Run with UPSTREAM_BENCH=1, in release.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["UPSTREAM_BENCH"] != nil))
struct TransportBenchmark {
    @Test(arguments: Transport.allCases)
    func sequentialRequests(_ transport: Transport) async throws {
        // UPSTREAM_BENCH=native or =curl measures one transport alone (for perf record).
        let only = ProcessInfo.processInfo.environment["UPSTREAM_BENCH"] ?? ""
        if let chosen = Transport(rawValue: only), chosen != transport { return }
        let server = try TestServer { connection in
            while connection.readRequest() != nil {
                connection.respond(headers: ["Content-Type: application/json"], body: #"{"ok":true}"#)
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        let request = localRequest(server, method: "POST", body: Array(#"{"model":"m","messages":[]}"#.utf8),
                                   headers: [(name: "Content-Type", value: "application/json"), (name: "Authorization", value: "Bearer k")])
        for _ in 0..<200 { _ = try await client.send(request).body.collect() }
        let rounds = 5000
        let loopThread = try #require(Self.loopThreadStat())
        let cpuBefore = Self.cpuNanoseconds(loopThread), wallBefore = monotonicSeconds()
        for _ in 0..<rounds { _ = try await client.send(request).body.collect() }
        let wall = (monotonicSeconds() - wallBefore) / Double(rounds) * 1e6
        let cpu = Double(Self.cpuNanoseconds(loopThread) - cpuBefore) / Double(rounds) / 1e3
        print("BENCH \(transport): \(String(format: "%.1f", wall)) µs wall, \(String(format: "%.1f", cpu)) µs loop-thread CPU per request")
        #expect(server.accepted == 1)
    }

    /// /proc path of the client's own loop thread (`sy-curl-0`).
    private static func loopThreadStat() -> String? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.first { tid in
            (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8))?.hasPrefix("sy-curl-0") == true
        }.map { "/proc/self/task/\($0)/schedstat" }
    }

    /// Nanoseconds the thread ran (first field of schedstat).
    private static func cpuNanoseconds(_ path: String) -> UInt64 {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "0"
        return UInt64(text.split(separator: " ").first ?? "0") ?? 0
    }
}
