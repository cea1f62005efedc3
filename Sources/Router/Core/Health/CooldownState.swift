/// The health of one `HealthKey`: a value-type state machine with explicit transitions and no
/// clock of its own (every event carries `now`).
///
/// ```
/// ready ──failed──▶ cooling ──deadline / probeAt──▶ (probeable) ──probeStarted──▶ probing
///   ▲                 │  ▲ failed (concurrent: merge,      │ succeeded          │ failed: next backoff step
///   └──── succeeded ──┘  │   latest deadline, same level)  ▼                    │ abandoned / lease over:
///                        └─────────────────────────────── ready ◀───────────────┘ probeable again
/// ```
/// Events from attempts that started before the current cooldown was recorded are recognised by
/// arriving while the cooldown is active: a failure merges into it, a success is ignored.
public struct CooldownState: Sendable, Equatable {
    /// Where the machine is.
    public enum Phase: Sendable, Equatable {
        /// No cooldown.
        case ready
        /// Cooling; past `until` it is half-open (probeable).
        case cooling(Cooldown)
        /// One probe is in flight; others wait for its result or for `leaseUntil`.
        case probing(Cooldown, leaseUntil: Moment)
    }

    /// How a transition changed the state (for persistence and logs).
    public enum Transition: Sendable, Equatable {
        /// Nothing changed.
        case unchanged
        /// A new cooldown started (from ready, half-open or a probe).
        case cooled
        /// A concurrent failure merged into the active cooldown (deadline maybe extended).
        case merged
        /// A probe lease was taken.
        case probeStarted
        /// A probe was given back unanswered.
        case probeReleased
        /// Back to ready, backoff cleared.
        case recovered
    }

    public private(set) var phase: Phase = .ready
    /// Consecutive failures; the next quota backoff is quota_base · 2^level.
    public private(set) var backoffLevel = 0
    public private(set) var lastStatus: Int?
    public private(set) var lastError: String?
    public private(set) var updatedAt: Moment

    public init(now: Moment) { updatedAt = now }

    /// A restored state (see `HealthBook.restore`).
    public init(phase: Phase, backoffLevel: Int, lastStatus: Int?, lastError: String?, updatedAt: Moment) {
        self.phase = phase
        self.backoffLevel = max(0, backoffLevel)
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    /// True when the state holds nothing worth keeping (ready, no backoff).
    public var isPristine: Bool { phase == .ready && backoffLevel == 0 }

    /// The active cooldown, if any.
    public var cooldown: Cooldown? {
        switch phase {
        case .ready: return nil
        case .cooling(let c), .probing(let c, _): return c
        }
    }

    /// How often requests waiting on another request's probe look again.
    static let probeRecheckSeconds = 1

    /// What the state allows at `now`.
    public func availability(at now: Moment) -> KeyAvailability {
        switch phase {
        case .ready:
            return .available
        case .cooling(let c):
            if now >= c.until { return .probeable(early: false) }
            if let probeAt = c.probeAt, now >= probeAt { return .probeable(early: true) }
            return .blocked(c, retryAt: c.until, probing: false)
        case .probing(let c, let lease):
            if now >= lease { return .probeable(early: now < c.until) }
            return .blocked(c, retryAt: max(c.until, min(lease, now.adding(seconds: Self.probeRecheckSeconds))), probing: true)
        }
    }

    /// The next moment at which `availability` changes without an event, if any.
    public func nextWake(after now: Moment) -> Moment? {
        switch phase {
        case .ready: return nil
        case .cooling(let c):
            if let probeAt = c.probeAt, probeAt > now, probeAt < c.until { return probeAt }
            return c.until > now ? c.until : nil
        // While the probe is out its verdict may come any time: waiting requests look again
        // every `probeRecheckSeconds` (the retry time `availability` gives them), not only at the lease's end.
        case .probing(_, let lease): return lease > now ? min(lease, now.adding(seconds: Self.probeRecheckSeconds)) : nil
        }
    }

    /// The attempt succeeded: a probe (or a half-open key) recovers; a success arriving during an
    /// active cooldown comes from an attempt that started before it and is ignored.
    public mutating func succeeded(now: Moment) -> Transition {
        switch phase {
        case .ready:
            guard backoffLevel != 0 else { return .unchanged }
        case .cooling(let c):
            guard now >= c.until else { return .unchanged }
        case .probing:
            break
        }
        phase = .ready
        backoffLevel = 0
        lastStatus = nil
        lastError = nil
        updatedAt = now
        return .recovered
    }

    /// The attempt failed with `failure`. From ready, half-open or a probe: a new cooldown at the
    /// current backoff level, then the level grows. During an active cooldown: merged, keeping
    /// the latest deadline and the level, so simultaneous failures make one cooldown.
    public mutating func failed(_ failure: FailureClass, hintMilliseconds: Int64?, status: Int?, summary: String?,
                                policy: HealthPolicy, now: Moment) -> Transition {
        guard let reason = failure.cooldownReason else { return .unchanged }
        lastStatus = status
        lastError = summary
        updatedAt = now
        if case .cooling(var c) = phase, now < c.until {
            let length = policy.cooldown(for: failure, level: max(0, backoffLevel - 1), hintMilliseconds: hintMilliseconds)
            let until = now.adding(milliseconds: length)
            guard until > c.until else { return .merged }
            c.until = until
            c.reason = reason
            if c.probeAt == nil, policy.probeAfter > 0, c.length > policy.probeAfter,
               c.since.adding(milliseconds: policy.probeAfter) > now {
                c.probeAt = c.since.adding(milliseconds: policy.probeAfter)
            }
            phase = .cooling(c)
            return .merged
        }
        let length = policy.cooldown(for: failure, level: backoffLevel, hintMilliseconds: hintMilliseconds)
        let probeAt = policy.probeAfter > 0 && length > policy.probeAfter ? now.adding(milliseconds: policy.probeAfter) : nil
        phase = .cooling(Cooldown(reason: reason, since: now, until: now.adding(milliseconds: length), probeAt: probeAt))
        backoffLevel = min(backoffLevel + 1, 62)
        return .cooled
    }

    /// Takes the single probe lease when the key is probeable; otherwise changes nothing.
    public mutating func probeStarted(policy: HealthPolicy, now: Moment) -> Transition {
        guard case .probeable(let early) = availability(at: now), var c = cooldown else { return .unchanged }
        if early { c.probeAt = nil }
        phase = .probing(c, leaseUntil: now.adding(milliseconds: max(policy.probeLease, 1)))
        updatedAt = now
        return .probeStarted
    }

    /// The probe ended without an answer (client gone, cancelled): another request may probe.
    public mutating func probeAbandoned(now: Moment) -> Transition {
        guard case .probing(var c, _) = phase else { return .unchanged }
        if now < c.until { c.probeAt = now }  // an early probe given back stays due
        phase = .cooling(c)
        updatedAt = now
        return .probeReleased
    }
}
