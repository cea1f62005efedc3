import Store

/// What the gateway knows about a request before routing it.
public struct RouteRequest: Sendable, Equatable {
    /// The model as the client sent it (a reasoning suffix is parsed off here).
    public var model: String
    /// The authenticated client key (nil when keys are not required).
    public var clientKey: ClientKey?
    /// The session, extracted once from the request (nil: no affinity).
    public var session: SessionKey?

    public init(model: String, clientKey: ClientKey? = nil, session: SessionKey? = nil) {
        self.model = model
        self.clientKey = clientKey
        self.session = session
    }
}

/// How session affinity shaped a request.
public enum AffinityDecision: Sendable, Equatable {
    /// No session, or affinity disabled.
    case none
    /// A session without a usable binding: the normal order applies, the server gets bound.
    case unbound
    /// The bound credential leads the order.
    case bound(BindingKey, credentialID: String)
    /// The bound credential is briefly cooling: served elsewhere, the binding is kept.
    case softEscape(BindingKey, credentialID: String)
    /// The bound credential is out (auth failure, long cooldown, gone): the server gets bound.
    case rebind(BindingKey, credentialID: String)
}

/// One request's walk through its candidates, owned by the request (not shared). Created by
/// `begin`, advanced by `next`, fed by `report`.
public struct RoutingAttempt: Sendable {
    public let resolution: Resolution
    public let session: SessionKey?
    public internal(set) var affinity: AffinityDecision
    /// Rounds started (1 after `begin`; `nextRound` adds one).
    public internal(set) var round = 1
    /// Failures reported so far, in order.
    public internal(set) var failures: [UpstreamFailure] = []
    var plan: [Planned]
    var position = 0
    /// Candidates and credentials tried this round. Arrays: a request tries a handful at most
    /// (`max_credentials`), and a set would cost two hash tables per request.
    var tried: [Candidate] = []
    var triedCredentials: [String] = []

    struct Planned: Sendable, Equatable {
        let pool: PoolKey
        let candidate: Candidate
    }

    init(resolution: Resolution, session: SessionKey?, affinity: AffinityDecision, plan: [Planned]) {
        self.resolution = resolution
        self.session = session
        self.affinity = affinity
        self.plan = plan
    }

    /// The candidates planned for this round, in order (for logs and tests).
    public var plannedCandidates: [Candidate] { plan.map(\.candidate) }
}

/// A candidate handed to the attempt loop: call it, then `report` the outcome.
public struct Pick: Sendable, Equatable {
    public let candidate: Candidate
    /// True when this request is the single probe of a half-open (or early-probe) key; the
    /// caller must report its outcome (or `abandoned`) so the probe is released.
    public let isProbe: Bool
    /// The keys whose probe this request holds.
    public let probeKeys: [HealthKey]
    /// True when chosen through a session binding.
    public let viaAffinity: Bool
}

/// The outcome of one upstream attempt, as the attempt loop reports it.
public enum AttemptOutcome: Sendable, Equatable {
    /// The upstream produced its first payload (streaming) or a full answer.
    case succeeded
    /// The upstream failed before the first payload; classified once.
    case failed(UpstreamFailure)
    /// No verdict (client disconnected, cancelled); only releases a probe.
    case abandoned
}

/// What the attempt loop does next after `report`.
public enum NextAction: Sendable, Equatable {
    /// Done: answer the client with the upstream's answer.
    case answer
    /// Try `next` again.
    case failOver
    /// Return this failure to the client at once (invalid request, or server error without failover).
    case returnToClient
}

/// The soonest recovery among cooling candidates (for `Retry-After` and the 429 body).
public struct CoolingSummary: Sendable, Equatable {
    public let retryAt: Moment
    public let candidate: Candidate
    public let reason: CooldownReason

    /// `Retry-After` in whole seconds, rounded up.
    public func retryAfterSeconds(now: Moment) -> Int { max(1, retryAt.secondsRoundedUp(after: now)) }
}

/// Why `next` has no candidate left this round.
public struct Exhaustion: Sendable, Equatable {
    /// The final answer it implies.
    public enum Kind: Sendable, Equatable {
        /// Every candidate is cooling: wait for `earliest` if within `max_wait_seconds`, else 429.
        case allCooling
        /// Every candidate's credential failed authentication: 502.
        case allUnauthorized
        /// This round's candidates were tried or `max_credentials` was reached: answer with the
        /// last failure (or wait for `earliest` and start another round).
        case triedAll
    }

    public let kind: Kind
    /// The soonest recovery among blocked candidates, if any is blocked.
    public let earliest: CoolingSummary?
}

/// The answer of `next`.
public enum NextStep: Sendable, Equatable {
    /// Call this candidate, then `report` its outcome.
    case candidate(Pick)
    /// No candidate is left this round; the reason decides the final answer or a wait.
    case exhausted(Exhaustion)
}
