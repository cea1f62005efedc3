import Foundation
import JSON
import Router
import Store

/// The body of `GET /v1/status`.
enum StatusCodec {
    static func encode(credentials: [Credential], state: RoutingState, snapshot: ConfigSnapshot,
                       failedRefreshes: [String: Date], now: Moment) -> JSONValue {
        let ids = Set(credentials.map(\.id))
        let health = state.status(now: now).filter { ids.contains($0.key.credentialID) }
        return [
            "now": .string(Timestamps.format(now.date)),
            "credentials": .array(credentials.map { credential in
                let providerEnabled = snapshot.providersByName[credential.provider]?.enabled ?? false
                let available = credential.enabled && providerEnabled && state.isAvailable(credentialID: credential.id, now: now)
                return [
                    "id": .string(credential.id), "provider": .string(credential.provider), "label": .string(credential.label),
                    "enabled": .bool(credential.enabled), "tier": .int(credential.tier), "priority": .int(credential.priority),
                    "available": .bool(available),
                ]
            }),
            "health": .array(health.map { encode($0, now: now) }),
            "oauth_refresh_failures": .array(failedRefreshes.sorted { $0.key < $1.key }.map { id, retryAt in
                ["credential_id": .string(id), "retry_at": .string(Timestamps.format(retryAt))]
            }),
        ]
    }

    /// One (credential, model) state: `state` is `cooling`, `half_open` (deadline passed, the
    /// next request probes it), `probing` or `backoff` (no cooldown, only a backoff level kept);
    /// `probe` is `none`, `scheduled` (an early probe at `probe_at`), `due` or `in_flight`.
    static func encode(_ status: HealthStatus, now: Moment) -> JSONValue {
        let phase: String
        if status.probeInFlight { phase = "probing" }
        else if let until = status.until { phase = now >= until ? "half_open" : "cooling" }
        else { phase = "backoff" }
        let probe: String
        if status.probeInFlight { probe = "in_flight" }
        else if let until = status.until, now >= until { probe = "due" }
        else if let at = status.probeAt { probe = now >= at ? "due" : "scheduled" }
        else { probe = "none" }
        return [
            "credential_id": .string(status.key.credentialID),
            "model": status.key.isCredentialWide ? .null : .string(status.key.model),
            "state": .string(phase),
            "reason": .optional(status.reason?.rawValue),
            "until": .optional(status.until.map { Timestamps.format($0.date) }),
            "seconds_remaining": .int(status.until.map { $0.secondsRoundedUp(after: now) } ?? 0),
            "backoff_level": .int(status.backoffLevel),
            "probe": .string(probe),
            "probe_at": .optional(status.probeAt.map { Timestamps.format($0.date) }),
            "last_status": status.lastStatus.map(JSONValue.int) ?? .null,
            "last_error": .optional(status.lastError),
        ]
    }
}
