import Foundation
import Store
import Testing
import TestSupport

@Suite struct MetricsViewTests {
    @Test func exposesPrometheusTextThatParsesBack() async throws {
        try await withRuntime { f in
            f.provision()
            f.registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: 60), f.cooling("c1", "gpt-4.1", "quota", seconds: 60),
                                        f.cooling("c2", "", "unauthorized", seconds: 60)], bindings: [])
            f.runtime.usage?.enqueue(UsageRecord(at: f.admin.clock.now, requestID: "r1", status: 200, latencyMilliseconds: 1))
            let reply = f.admin.send("GET", "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/plain; version=0.0.4")
            let families = try PrometheusScrape.parse(reply.body)
            #expect(families["switchyard_requests_total"]?.type == "counter")
            #expect(families["switchyard_upstream_latency_seconds"]?.type == "histogram")

            let available = try #require(families["switchyard_credential_available"])
            #expect(available.type == "gauge")
            func value(_ family: PrometheusScrape.Family?, _ labels: [String: String]) -> Double? {
                family?.samples.first { $0.labels == labels }?.value
            }
            #expect(value(available, ["credential": "c1", "provider": "openai"]) == 1)
            #expect(value(available, ["credential": "c2", "provider": "openai"]) == 0)
            #expect(value(available, ["credential": "c3", "provider": "openai"]) == 1)
            let cooling = families["switchyard_cooling_models"]
            #expect(value(cooling, ["credential": "c1", "reason": "quota"]) == 2)
            #expect(value(cooling, ["credential": "c2", "reason": "unauthorized"]) == 1)
            #expect(cooling?.samples.count == 2)
            #expect(value(families["switchyard_usage_queue_depth"], [:]) == 1)
            #expect(value(families["switchyard_usage_dropped_records"], [:]) == 0)
            #expect(value(families["switchyard_open_connections"], ["listener": "gateway"]) == 2)
            #expect(value(families["switchyard_open_connections"], ["listener": "admin"]) == 1)
            #expect(value(families["switchyard_active_streams"], [:]) == 0)
            #expect(families.values.allSatisfy { $0.help?.isEmpty == false })

            // Cooldowns that ended are no longer counted as cooling.
            f.advance(61)
            let later = try PrometheusScrape.parse(f.admin.send("GET", "/metrics").body)
            #expect(later["switchyard_cooling_models"]?.samples.isEmpty == true)
            #expect(value(later["switchyard_credential_available"], ["credential": "c2", "provider": "openai"]) == 1)
        }
    }
}
