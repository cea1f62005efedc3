/// How credentials are chosen within one priority group.
public enum SelectionStrategy: String, Sendable, Equatable, CaseIterable {
    case roundRobin = "round-robin"
    case fillFirst = "fill-first"
    /// Stays on one credential for `sticky_limit` consecutive requests, then rotates.
    case stickyRoundRobin = "sticky-round-robin"
}

/// Session affinity: (provider, session, model) → credential bindings with a sliding TTL.
public struct SessionAffinitySettings: Sendable, Equatable {
    public var enabled = true
    public var ttlSeconds = 3600
    /// A bound credential cooling at most this long is escaped without losing the binding.
    public var softEscapeSeconds = 60

    public init() {}
}

/// Retry limits of the attempt loop (SPEC §6 "Limits").
public struct RetrySettings: Sendable, Equatable {
    /// Rounds through the candidates, waiting for the earliest recovery in between.
    public var maxAttempts = 3
    /// Credentials tried per attempt.
    public var maxCredentials = 5
    /// Longest wait for a cooling candidate before answering 429.
    public var maxWaitSeconds = 30

    public init() {}
}

/// Cooldown durations (seconds) per failure class (SPEC §6).
public struct CooldownSettings: Sendable, Equatable {
    public var unauthorizedSeconds = 1800
    public var paymentSeconds = 1800
    public var notFoundSeconds = 43_200
    public var modelUnsupportedSeconds = 43_200
    public var transientSeconds = 60
    /// First step of the 429 exponential backoff (1 s · 2^n).
    public var quotaBaseSeconds = 1
    /// Cap of the 429 exponential backoff.
    public var quotaMaxSeconds = 1800
    /// Clamp for every cooldown, whatever a provider hints.
    public var maxCooldownSeconds = 21_600
    /// A long cooldown gets one early probe after this long.
    public var probeAfterSeconds = 900

    public init() {}
}

/// Separate upstream timeouts (seconds).
public struct UpstreamTimeouts: Sendable, Equatable {
    public var connectSeconds = 10
    public var firstByteSeconds = 300
    /// Between stream chunks.
    public var idleSeconds = 120
    public var totalSeconds = 1800

    public init() {}
}

/// Router-wide settings (SPEC §4 `/v1/settings`, defaults of SPEC §6).
///
/// Defaults: `strategy` round-robin, `sticky_limit` 3; session affinity enabled, TTL 3600 s,
/// soft escape 60 s; retry `max_attempts` 3, `max_credentials` 5, `max_wait_seconds` 30 (so a
/// short 429 is ridden out, a long one answered at once); cooldowns unauthorized 1800, payment
/// 1800, not found 43200, model unsupported 43200, transient 60, quota base 1, quota max 1800,
/// max cooldown 21600, probe after 900; `failover_on_server_error` true; upstream timeouts
/// connect 10, first byte 300, idle 120, total 1800.
public struct Settings: Sendable, Equatable {
    public var strategy = SelectionStrategy.roundRobin
    /// Consecutive requests per credential under `sticky-round-robin`.
    public var stickyLimit = 3
    public var sessionAffinity = SessionAffinitySettings()
    public var retry = RetrySettings()
    public var cooldowns = CooldownSettings()
    public var failoverOnServerError = true
    public var upstreamTimeouts = UpstreamTimeouts()

    public init() {}
}
