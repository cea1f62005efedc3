import Store


/// The shared, race-free front of `RoutingState`: every decision and every mark happens under
/// one mutex, so no selection can return a credential after its cooldown was recorded. Nothing
/// under the lock does I/O; the change handler (wake the persister) runs after unlocking.
///
/// The gateway's attempt loop, per request:
/// 1. `begin(request, snapshot:)` — resolve, check allow-list, affinity, plan (throws 404/403/503);
///    `start` does this and the first step 2 under one lock acquisition.
/// 2. `next(&attempt, snapshot:)` — `.candidate(pick)`: call the upstream; `.exhausted(why)`:
///    wait for `why.earliest` when within `max_wait_seconds` and rounds remain, then
///    `nextRound(&attempt)`; else answer 502 (`allUnauthorized`), 429 with `Retry-After`, or the last failure.
/// 3. `report(outcome, for: pick, in: &attempt, snapshot:)` — `.answer`, `.failOver` (back to 2)
///    or `.returnToClient`. Always report a pick (`abandoned` on cancellation) so probes are released.
public final class RoutingRegistry: Sendable {
    private let state: StateLock<RoutingState>
    public let clock: any WallClock
    private let onChange: (@Sendable () -> Void)?

    /// `onChange` is called after unlocking whenever health or bindings changed (to wake a
    /// batching persister); it must not call back into the registry synchronously.
    public init(clock: any WallClock = SystemWallClock(), state: RoutingState = RoutingState(),
                onChange: (@Sendable () -> Void)? = nil) {
        self.state = StateLock(state)
        self.clock = clock
        self.onChange = onChange
    }

    /// Step 1 of the attempt loop.
    public func begin(_ request: RouteRequest, snapshot: ConfigSnapshot) throws(RoutingError) -> RoutingAttempt {
        let now = clock.now()
        return try state.withLock { (s: inout RoutingState) throws(RoutingError) -> RoutingAttempt in
            try s.begin(request, snapshot: snapshot, now: now)
        }
    }

    /// Steps 1 and 2 under one acquisition of the lock: the request's walk and its first step
    /// (every request takes this lock at least twice; a third time cost contention).
    public func start(_ request: RouteRequest, snapshot: ConfigSnapshot) throws(RoutingError) -> (RoutingAttempt, NextStep) {
        let now = clock.now()
        let (walk, step, changed) = try state.withLock { (s: inout RoutingState) throws(RoutingError) -> (RoutingAttempt, NextStep, Bool) in
            var walk = try s.begin(request, snapshot: snapshot, now: now)
            let before = s.revision
            let step = s.next(&walk, snapshot: snapshot, now: now)
            return (walk, step, s.revision != before)
        }
        if changed { onChange?() }
        return (walk, step)
    }

    /// Step 2: the next candidate, checked against the health in force now.
    public func next(_ attempt: inout RoutingAttempt, snapshot: ConfigSnapshot) -> NextStep {
        let now = clock.now()
        let (step, changed) = state.withLock { s in
            let before = s.revision
            let step = s.next(&attempt, snapshot: snapshot, now: now)
            return (step, s.revision != before)
        }
        if changed { onChange?() }
        return step
    }

    /// Step 3: record the outcome of a pick.
    public func report(_ outcome: AttemptOutcome, for pick: Pick, in attempt: inout RoutingAttempt,
                       snapshot: ConfigSnapshot) -> NextAction {
        let now = clock.now()
        let (action, changed) = state.withLock { s in
            let before = s.revision
            let action = s.report(outcome, for: pick, in: &attempt, snapshot: snapshot, now: now)
            return (action, s.revision != before)
        }
        if changed { onChange?() }
        return action
    }

    /// A committed stream's candidate failed mid-stream: it cools like a failure before the first byte.
    public func reportAfterCommit(_ failure: UpstreamFailure, of candidate: Candidate, snapshot: ConfigSnapshot) {
        let now = clock.now()
        let changed = state.withLock { s in
            let before = s.revision
            s.reportAfterCommit(failure, of: candidate, snapshot: snapshot, now: now)
            return s.revision != before
        }
        if changed { onChange?() }
    }

    /// After waiting for a recovery: another round over every candidate.
    public func nextRound(_ attempt: inout RoutingAttempt) {
        state.withLock { $0.nextRound(&attempt) }
    }

    /// `POST /v1/explain`: a dry run that changes nothing.
    public func explain(_ request: RouteRequest, snapshot: ConfigSnapshot) -> Explanation {
        let now = clock.now()
        let copy = state.withLock { $0 }
        return copy.explain(request, snapshot: snapshot, now: now)
    }

    /// `GET /v1/status`: every non-ready health state.
    public func status(credentialID: String? = nil) -> [HealthStatus] {
        let now = clock.now()
        return state.withLock { $0.status(credentialID: credentialID, now: now) }
    }

    /// `POST /v1/credentials/{id}/reset`: clears its cooldowns in the live state.
    public func reset(credentialID: String) {
        let now = clock.now()
        state.withLock { $0.reset(credentialID: credentialID, now: now) }
        onChange?()
    }

    /// `GET /v1/sessions`.
    public func sessions() -> [(key: BindingKey, binding: SessionBinding)] {
        let now = clock.now()
        return state.withLock { $0.sessions(now: now) }
    }

    /// `DELETE /v1/sessions`: removes bindings (the caller also deletes them from the Store).
    @discardableResult
    public func removeSessions(provider: String? = nil, session: String? = nil) -> Int {
        state.withLock { $0.removeSessions(provider: provider, session: session) }
    }

    /// Changes since the last call, for the batching persister; also prunes expired bindings.
    public func takeChanges() -> RuntimeChanges {
        let now = clock.now()
        return state.withLock { s in
            s.pruneSessions(now: now)
            return s.takeChanges(now: now)
        }
    }

    /// Seeds health and bindings at start from the Store.
    public func restore(health: [ModelHealthRecord], bindings: [SessionBindingRecord]) {
        let now = clock.now()
        state.withLock { $0.restore(health: health, bindings: bindings, now: now) }
    }

    /// A copy of the whole state (tests, full exports).
    public var snapshot: RoutingState { state.withLock { $0 } }
}
