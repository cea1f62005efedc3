/// The health of every key, with a min-heap of wake-up times: the router's single source of
/// truth for cooldowns. A value type; the registry keeps it behind its lock.
public struct HealthBook: Sendable {
    /// A scheduled re-evaluation of a key (stale entries are skipped when popped).
    struct Wake: Comparable, Sendable {
        let at: Moment
        let key: HealthKey
        static func < (a: Wake, b: Wake) -> Bool { a.at < b.at }
        static func == (a: Wake, b: Wake) -> Bool { a.at == b.at && a.key == b.key }
    }

    /// Non-pristine states only: a missing key is ready.
    public private(set) var states: [HealthKey: CooldownState] = [:]
    private var wakes = MinHeap<Wake>()
    /// The one valid wake-up of each key; heap entries that differ are stale and skipped.
    private var scheduled: [HealthKey: Moment] = [:]

    public init() {}

    /// The state of `key` (ready when unknown).
    public func state(_ key: HealthKey, now: Moment) -> CooldownState { states[key] ?? CooldownState(now: now) }

    /// Combined availability of `credentialID` for `model`: the credential-wide state and the
    /// model's state must both allow it; blocked wins, then probeable.
    public func availability(credentialID: String, model: String, now: Moment) -> CandidateHealth {
        let wide = states[.credential(credentialID)]?.availability(at: now) ?? .available
        let own = states[HealthKey(credentialID: credentialID, model: model)]?.availability(at: now) ?? .available
        switch (wide, own) {
        case (.blocked(let a, let ra, let pa), .blocked(let b, let rb, let pb)):
            return ra >= rb ? .blocked(a, retryAt: ra, probing: pa, key: .credential(credentialID))
                : .blocked(b, retryAt: rb, probing: pb, key: HealthKey(credentialID: credentialID, model: model))
        case (.blocked(let c, let r, let p), _):
            return .blocked(c, retryAt: r, probing: p, key: .credential(credentialID))
        case (_, .blocked(let c, let r, let p)):
            return .blocked(c, retryAt: r, probing: p, key: HealthKey(credentialID: credentialID, model: model))
        case (.probeable, .probeable):
            return .probe([.credential(credentialID), HealthKey(credentialID: credentialID, model: model)])
        case (.probeable, _):
            return .probe([.credential(credentialID)])
        case (_, .probeable):
            return .probe([HealthKey(credentialID: credentialID, model: model)])
        default:
            return .available
        }
    }

    /// When `credentialID` can next serve `model`: `now` when usable now (perhaps as the probe),
    /// else the end of the blocking cooldown.
    public func availableAt(credentialID: String, model: String, now: Moment) -> Moment {
        if case .blocked(_, let retryAt, _, _) = availability(credentialID: credentialID, model: model, now: now) { return retryAt }
        return now
    }

    /// True when serving `model` on `credentialID` now would be the single probe of a half-open key.
    public func needsProbe(credentialID: String, model: String, now: Moment) -> Bool {
        if case .probe = availability(credentialID: credentialID, model: model, now: now) { return true }
        return false
    }

    /// Applies `event` to `key`, keeps the wake-up heap in step and drops pristine states.
    @discardableResult
    public mutating func apply(_ event: HealthEvent, to key: HealthKey, policy: HealthPolicy,
                               now: Moment) -> CooldownState.Transition {
        var state = states[key] ?? CooldownState(now: now)
        let transition: CooldownState.Transition
        switch event {
        case .succeeded: transition = state.succeeded(now: now)
        case .failed(let failure):
            transition = state.failed(failure.failureClass, hintMilliseconds: failure.retryAfterMilliseconds,
                                      status: failure.status, summary: failure.summary, policy: policy, now: now)
        case .probeStarted: transition = state.probeStarted(policy: policy, now: now)
        case .probeAbandoned: transition = state.probeAbandoned(now: now)
        }
        guard transition != .unchanged else { return transition }
        store(state, for: key, now: now)
        return transition
    }

    /// Replaces the state of `key` (restore, reset).
    mutating func store(_ state: CooldownState, for key: HealthKey, now: Moment) {
        if state.isPristine {
            states[key] = nil
            scheduled[key] = nil
        } else {
            states[key] = state
            schedule(state.nextWake(after: now), for: key)
        }
    }

    private mutating func schedule(_ wake: Moment?, for key: HealthKey) {
        guard scheduled[key] != wake else { return }
        scheduled[key] = wake
        if let wake { wakes.push(Wake(at: wake, key: key)) }
    }

    /// Pops every wake-up due at `now` and returns the keys whose availability may have changed.
    /// Each cooldown costs O(log n) here once, never per selection.
    mutating func dueKeys(now: Moment) -> [HealthKey] {
        var due: [HealthKey] = []
        while let top = wakes.min, top.at <= now {
            wakes.popMin()
            guard scheduled[top.key] == top.at, let state = states[top.key] else { continue }
            scheduled[top.key] = nil
            due.append(top.key)
            schedule(state.nextWake(after: now), for: top.key)
        }
        return due
    }

    /// Forgets every state of a credential (`POST /v1/credentials/{id}/reset`); returns the keys removed.
    mutating func reset(credentialID: String) -> [HealthKey] {
        let keys = states.keys.filter { $0.credentialID == credentialID }
        for key in keys {
            states[key] = nil
            scheduled[key] = nil
        }
        return keys
    }
}

/// An event fed to the health machine of one key.
public enum HealthEvent: Sendable, Equatable {
    /// The upstream answered successfully.
    case succeeded
    /// The upstream failed; the failure was classified once.
    case failed(UpstreamFailure)
    /// A request takes the single probe of a half-open (or early-probe) key.
    case probeStarted
    /// The probe ended without a verdict (client disconnect, cancellation).
    case probeAbandoned
}

/// Availability of one candidate: the credential-wide and model states combined.
public enum CandidateHealth: Sendable, Equatable {
    /// Serve freely.
    case available
    /// Serve as the single probe of these keys.
    case probe([HealthKey])
    /// Not usable before `retryAt`, because of `key`'s cooldown.
    case blocked(Cooldown, retryAt: Moment, probing: Bool, key: HealthKey)

    /// True unless blocked.
    public var isUsable: Bool {
        if case .blocked = self { return false }
        return true
    }
}
