/// The dry-run answer of `POST /v1/explain`: who would serve this request now and why each
/// other candidate was passed over. Produced without changing any state.
public struct Explanation: Sendable, Equatable {
    /// Why one candidate would or would not serve.
    public enum Verdict: Sendable, Equatable {
        /// It would serve the request.
        case selected
        /// Tried next if the ones before it fail (1-based position in the plan).
        case fallback(position: Int)
        /// Cooling (or being probed by another request) until `until`.
        case cooling(reason: CooldownReason, until: Moment, scope: HealthKey, probeInFlight: Bool)
        /// Ranked behind the selected candidate: `tier`, `priority`, `strategy` (rotation) or
        /// `max_credentials` (beyond the per-attempt limit).
        case notReached(because: String)
        /// Not a candidate: disabled, or outside its credential's allow-list.
        case excluded(ExcludedCredential.Reason)
    }

    /// One credential (and model) considered.
    public struct Entry: Sendable, Equatable {
        public let candidate: Candidate
        public let tier: Int
        public let priority: Int
        public let verdict: Verdict
    }

    public let model: RequestedModel
    /// How the model resolved; nil when resolution failed.
    public let resolution: Resolution?
    /// Why routing fails before any upstream (not found, not allowed, none enabled).
    public let error: RoutingError?
    public let selected: Candidate?
    /// The selected candidate would be the probe of a half-open key.
    public let selectedIsProbe: Bool
    public let affinity: AffinityDecision
    /// Set when no candidate is usable now.
    public let exhaustion: Exhaustion?
    public let entries: [Entry]
}
