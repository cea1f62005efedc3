import Store

/// Live state of one cooling (credential, model) or credential, for `GET /v1/status` and
/// credential reads.
public struct HealthStatus: Sendable, Equatable {
    public let key: HealthKey
    public let reason: CooldownReason?
    public let until: Moment?
    public let probeAt: Moment?
    public let backoffLevel: Int
    /// Half-open: the deadline passed and the next request probes it.
    public let halfOpen: Bool
    public let probeInFlight: Bool
    public let lastStatus: Int?
    public let lastError: String?
}

extension RoutingState {
    /// Every non-ready health state, optionally of one credential, sorted by key.
    public func status(credentialID: String? = nil, now: Moment) -> [HealthStatus] {
        health.states.filter { credentialID == nil || $0.key.credentialID == credentialID }
            .sorted { ($0.key.credentialID, $0.key.model) < ($1.key.credentialID, $1.key.model) }
            .map { key, state in
                let availability = state.availability(at: now)
                var probing = false
                if case .probing = state.phase { probing = true }
                return HealthStatus(key: key, reason: state.cooldown?.reason, until: state.cooldown?.until,
                                    probeAt: state.cooldown?.probeAt, backoffLevel: state.backoffLevel,
                                    halfOpen: availability == .probeable(early: false), probeInFlight: probing,
                                    lastStatus: state.lastStatus, lastError: state.lastError)
            }
    }

    /// True when `credentialID` can serve at least `model` now (or any model when nil).
    public func isAvailable(credentialID: String, model: String = "", now: Moment) -> Bool {
        health.availability(credentialID: credentialID, model: model, now: now).isUsable
    }

    /// Live session bindings, for `GET /v1/sessions`.
    public func sessions(now: Moment) -> [(key: BindingKey, binding: SessionBinding)] {
        bindings.entries.filter { $0.value.expiresAt > now }
            .sorted { ($0.key.provider, $0.key.session, $0.key.model) < ($1.key.provider, $1.key.session, $1.key.model) }
            .map { ($0.key, $0.value) }
    }
}
