import Router
import Store

/// Gauges of the live router sampled at scrape time: credential availability, cooling models
/// per credential and reason, and the usage writer's queue.
enum RuntimeGauges {
    static func sample(_ runtime: RouterRuntime, snapshot: ConfigSnapshot) -> [Gauge] {
        let state = runtime.registry.snapshot
        let now = runtime.registry.clock.now()
        var available: [[String]: Double] = [:]
        for credential in snapshot.credentials {
            let usable = credential.enabled && snapshot.providersByName[credential.provider]?.enabled == true
                && state.isAvailable(credentialID: credential.id, now: now)
            available[[credential.id, credential.provider]] = usable ? 1 : 0
        }
        var cooling: [[String]: Double] = [:]
        for status in state.status(now: now) {
            guard let reason = status.reason, let until = status.until, until > now || status.probeInFlight else { continue }
            cooling[[status.key.credentialID, reason.rawValue], default: 0] += 1
        }
        var gauges = [
            Gauge(name: "switchyard_credential_available", help: "1 when the credential can serve now (enabled, provider enabled, not cooling as a whole).",
                  labels: ["credential", "provider"], values: available),
            Gauge(name: "switchyard_cooling_models", help: "Cooling (credential, model) states by reason; a whole-credential cooldown counts once.",
                  labels: ["credential", "reason"], values: cooling),
        ]
        if let usage = runtime.usage {
            gauges.append(Gauge(name: "switchyard_usage_queue_depth", help: "Usage records waiting to be written.",
                                values: [[]: Double(usage.depth)]))
            gauges.append(Gauge(name: "switchyard_usage_dropped_records", help: "Usage records dropped since start (queue full or write failed).",
                                values: [[]: Double(usage.dropped)]))
            gauges.append(Gauge(name: "switchyard_usage_written_records", help: "Usage records written since start.",
                                values: [[]: Double(usage.written)]))
        }
        return gauges
    }
}
