/// What a health state belongs to: a (credential, model), or the whole credential when `model`
/// is empty (401, 402/403, or a 429 under `quota_scope: credential`).
public struct HealthKey: Hashable, Sendable, CustomStringConvertible {
    public let credentialID: String
    /// The upstream model, or `""` for the whole credential.
    public let model: String

    public init(credentialID: String, model: String) {
        self.credentialID = credentialID
        self.model = model
    }

    /// The credential-wide key of `credentialID`.
    public static func credential(_ credentialID: String) -> HealthKey { HealthKey(credentialID: credentialID, model: "") }

    /// True for the credential-wide key.
    public var isCredentialWide: Bool { model.isEmpty }

    public var description: String { model.isEmpty ? credentialID : "\(credentialID)/\(model)" }
}

/// One cooldown: why, when it started, its absolute deadline and its early-probe time.
public struct Cooldown: Sendable, Equatable {
    public var reason: CooldownReason
    public var since: Moment
    public var until: Moment
    /// When the one early probe of a long cooldown is due; nil once taken or for short cooldowns.
    public var probeAt: Moment?

    public init(reason: CooldownReason, since: Moment, until: Moment, probeAt: Moment? = nil) {
        self.reason = reason
        self.since = since
        self.until = until
        self.probeAt = probeAt
    }

    /// Length of the cooldown in milliseconds.
    public var length: Int64 { until.milliseconds(since: since) }
}

/// What a health state allows at a given moment.
public enum KeyAvailability: Sendable, Equatable {
    /// Serve freely.
    case available
    /// The deadline (or the early-probe time) passed: exactly one request may probe it.
    case probeable(early: Bool)
    /// Not usable until at least `retryAt`; `probing` when another request's probe is in flight.
    case blocked(Cooldown, retryAt: Moment, probing: Bool)
}
