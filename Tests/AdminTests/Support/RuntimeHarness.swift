import Foundation
import JSON
import Router
import Store

/// An admin harness with a live router runtime: a registry on a manual clock that follows the
/// harness clock, a metrics registry, a usage writer, and a fixed open-connections gauge.
struct RuntimeFixture {
    let admin: AdminHarness
    let runtime: RouterRuntime
    var registry: RoutingRegistry { runtime.registry }
    var store: Store { admin.store }

    /// The harness clock as the router's `Moment`.
    var now: Moment { Moment(admin.clock.now) }

    /// Moves both clocks.
    func advance(_ seconds: Double) {
        admin.clock.advance(seconds)
        (registry.clock as? ManualWallClock)?.set(Moment(admin.clock.now))
    }

    /// Provider `openai` (gpt-*) with credentials `c1` (tier 0, priority 5), `c2` (tier 0) and `c3` (tier 1).
    func provision() {
        _ = admin.send("PUT", "/v1/providers/openai", #"{"type":"openai","base_url":"https://api.openai.com/v1","models":["gpt-*"]}"#)
        for (id, tier, priority) in [("c1", 0, 5), ("c2", 0, 0), ("c3", 1, 0)] {
            let body = #"{"provider":"openai","label":"\#(id) label","api_key":"sk-test-\#(id)-0123456789","tier":\#(tier),"priority":\#(priority)}"#
            _ = admin.send("PUT", "/v1/credentials/\(id)", body)
        }
    }

    /// A health record for the registry or the Store, relative to now.
    func cooling(_ credential: String, _ model: String, _ reason: String, seconds: Double, level: Int = 1,
                 probeAfter: Double? = nil) -> ModelHealthRecord {
        ModelHealthRecord(credentialID: credential, model: model, reason: reason,
                          cooldownUntil: admin.clock.now.addingTimeInterval(seconds), backoffLevel: level, lastStatus: 429,
                          lastError: "HTTP 429", probeAt: probeAfter.map { admin.clock.now.addingTimeInterval($0) },
                          updatedAt: admin.clock.now)
    }
}

/// Runs `body` with a runtime-backed admin harness and stops it afterwards.
func withRuntime(_ body: (RuntimeFixture) async throws -> Void) async throws {
    let harness = try await AdminHarness(runtime: { store, clock in
        let registry = RoutingRegistry(clock: ManualWallClock(Moment(clock.now)))
        return RouterRuntime(registry: registry, metrics: Metrics(), usage: UsageWriter(store: store), refresher: nil,
                             persister: RuntimePersister(store: store),
                             gauges: { [Gauge(name: "switchyard_open_connections", help: "Open connections.", labels: ["listener"],
                                              values: [["gateway"]: 2, ["admin"]: 1])] })
    })
    let fixture = RuntimeFixture(admin: harness, runtime: harness.runtime!)
    do {
        try await body(fixture)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}
