import Store

/// Cooldown durations in milliseconds, taken from `Settings.cooldowns`.
///
/// Cooldown for a failure at backoff level n (n = consecutive failures before this one):
///
/// | class | duration |
/// | --- | --- |
/// | quota, no hint | min(quota_base · 2^n, quota_max) — 1 s, 2 s, 4 s … 30 min |
/// | quota, hint h | h |
/// | unauthorized | unauthorized_seconds |
/// | payment | payment_seconds |
/// | not found | not_found_seconds |
/// | model unsupported | model_unsupported_seconds |
/// | transient | transient_seconds (a hint, if any, when longer) |
///
/// What a provider controls (hints) and the backoff are clamped to `max_cooldown_seconds`
/// (default 6 h). The per-class durations are the operator's own settings and apply as set, so
/// the SPEC's 12 h for 404 / unsupported model holds with the default 6 h clamp. Cooldowns longer
/// than `probe_after_seconds` get one early probe that long after they start.
public struct HealthPolicy: Sendable, Equatable {
    public var unauthorized: Int64
    public var payment: Int64
    public var notFound: Int64
    public var modelUnsupported: Int64
    public var transient: Int64
    public var quotaBase: Int64
    public var quotaMax: Int64
    public var maxCooldown: Int64
    public var probeAfter: Int64
    /// How long one probe may stay unanswered before another request may probe (the first-byte timeout).
    public var probeLease: Int64

    /// The policy of `settings`.
    public init(_ settings: Settings = Settings()) {
        let c = settings.cooldowns
        unauthorized = Int64(c.unauthorizedSeconds) * 1000
        payment = Int64(c.paymentSeconds) * 1000
        notFound = Int64(c.notFoundSeconds) * 1000
        modelUnsupported = Int64(c.modelUnsupportedSeconds) * 1000
        transient = Int64(c.transientSeconds) * 1000
        quotaBase = Int64(c.quotaBaseSeconds) * 1000
        quotaMax = Int64(c.quotaMaxSeconds) * 1000
        maxCooldown = Int64(c.maxCooldownSeconds) * 1000
        probeAfter = Int64(c.probeAfterSeconds) * 1000
        probeLease = Int64(settings.upstreamTimeouts.firstByteSeconds + settings.upstreamTimeouts.connectSeconds) * 1000
    }

    /// The exponential quota backoff at `level`: quota_base · 2^level, capped at quota_max.
    public func quotaBackoff(level: Int) -> Int64 {
        let shift = min(max(level, 0), 40)
        let (value, overflow) = quotaBase.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? quotaMax : min(value, quotaMax)
    }

    /// The cooldown for `failure` at backoff `level` with an optional hint.
    public func cooldown(for failure: FailureClass, level: Int, hintMilliseconds: Int64?) -> Int64 {
        let clampedHint = hintMilliseconds.map { min(max($0, 0), maxCooldown) }
        switch failure {
        case .quota: return clampedHint ?? min(quotaBackoff(level: level), maxCooldown)
        case .unauthorized: return unauthorized
        case .payment: return payment
        case .modelNotFound: return notFound
        case .modelUnsupported: return modelUnsupported
        case .transient: return max(transient, clampedHint ?? 0)
        case .invalidRequest: return 0
        }
    }
}
