import Store

/// The attempt protocol the gateway's loop drives: `begin` once, then `next` / `report` until
/// an answer, `nextRound` after waiting for a recovery.
extension RoutingState {
    /// Resolves the model, checks the client key's allow-list, applies session affinity and
    /// plans this request's candidates (advancing strategy cursors once).
    public mutating func begin(_ request: RouteRequest, snapshot: ConfigSnapshot,
                               now: Moment) throws(RoutingError) -> RoutingAttempt {
        sync(snapshot, now: now)
        let requested = RequestedModel(parsing: request.model)
        try ModelAccess.check(requested, for: request.clientKey)
        let (resolution, ids) = try resolve(request.model, requested, snapshot: snapshot, now: now)
        if ids.allSatisfy({ cache.withPool($0) { $0.pointee.members.isEmpty } }) {
            let disabled = ids.contains { id in
                cache.pools[id].excluded.contains { $0.reason != .notInAllowList }
            }
            throw disabled ? .noneEnabled(requested.name) : .modelNotFound(requested.name)
        }
        let settings = snapshot.settings
        let (affinity, lead) = planAffinity(request.session, resolution, ids, settings: settings, now: now)
        let plan = order(resolution, pools: ids, lead: lead, excluding: [],
                         options: OrderOptions(strategy: settings.strategy, stickyLimit: settings.stickyLimit,
                                               limit: settings.retry.maxCredentials, commit: true))
        return RoutingAttempt(resolution: resolution, session: request.session, affinity: affinity, plan: plan)
    }

    /// The resolution of `name` and its pools, remembered for this configuration version.
    private mutating func resolve(_ name: String, _ requested: RequestedModel, snapshot: ConfigSnapshot,
                                  now: Moment) throws(RoutingError) -> (Resolution, [Int]) {
        if let known = cache.resolutions[name] { return known }
        let resolution = try ModelResolver.resolve(requested, in: snapshot, index: cache.index ?? RoutingIndex(snapshot))
        let ids = resolution.pools.map { poolID($0, snapshot: snapshot, now: now) }
        // Bounded like the pools: arbitrary glob-matched names must not grow memory.
        if cache.resolutions.count < Self.maxPools { cache.resolutions[name] = (resolution, ids) }
        return (resolution, ids)
    }

    /// The next candidate to call, checked against the health in force now (so nothing recorded
    /// since `begin` is ignored) and taking the probe of a half-open key; or why there is none.
    public mutating func next(_ attempt: inout RoutingAttempt, snapshot: ConfigSnapshot, now: Moment) -> NextStep {
        sync(snapshot, now: now)
        let settings = snapshot.settings
        let policy = HealthPolicy(settings)
        let maxCredentials = settings.retry.maxCredentials
        var replans = 0
        while true {
            if attempt.position >= attempt.plan.count {
                let remaining = maxCredentials - attempt.triedCredentials.count
                guard replans < 2, remaining > 0 else { break }
                replans += 1
                let ids = attempt.resolution.pools.map { poolID($0, snapshot: snapshot, now: now) }
                attempt.plan = order(attempt.resolution, pools: ids, lead: nil, excluding: attempt.tried,
                                     options: OrderOptions(strategy: settings.strategy, stickyLimit: settings.stickyLimit,
                                                           limit: remaining, commit: false))
                attempt.position = 0
                if attempt.plan.isEmpty { break }
                continue
            }
            let planned = attempt.plan[attempt.position]
            attempt.position += 1
            let candidate = planned.candidate
            guard !attempt.tried.contains(candidate) else { continue }
            if !attempt.triedCredentials.contains(candidate.credentialID) && attempt.triedCredentials.count >= maxCredentials {
                break
            }
            let id = poolID(planned.pool, snapshot: snapshot, now: now)
            guard cache.withPool(id, { SelectionPool.member(in: $0, credentialID: candidate.credentialID, model: candidate.model) }) != nil else { continue }
            var probeKeys: [HealthKey] = []
            switch health.availability(credentialID: candidate.credentialID, model: candidate.model, now: now) {
            case .blocked:
                continue
            case .available:
                break
            case .probe(let keys):
                for key in keys { record(.probeStarted, key, policy: policy, now: now) }
                probeKeys = keys
            }
            attempt.tried.append(candidate)  // not tried before: checked above
            if !attempt.triedCredentials.contains(candidate.credentialID) { attempt.triedCredentials.append(candidate.credentialID) }
            let viaAffinity: Bool
            if case .bound(_, let bound) = attempt.affinity { viaAffinity = bound == candidate.credentialID } else { viaAffinity = false }
            return .candidate(Pick(candidate: candidate, isProbe: !probeKeys.isEmpty, probeKeys: probeKeys, viaAffinity: viaAffinity))
        }
        return .exhausted(exhaustion(attempt, snapshot: snapshot, now: now))
    }

    /// Records the outcome of `pick` (SPEC §6 outcome table) and says what the loop does next.
    public mutating func report(_ outcome: AttemptOutcome, for pick: Pick, in attempt: inout RoutingAttempt,
                                snapshot: ConfigSnapshot, now: Moment) -> NextAction {
        sync(snapshot, now: now)
        let settings = snapshot.settings
        let policy = HealthPolicy(settings)
        let candidate = pick.candidate
        let modelKey = HealthKey(credentialID: candidate.credentialID, model: candidate.model)
        switch outcome {
        case .succeeded:
            record(.succeeded, modelKey, policy: policy, now: now)
            record(.succeeded, .credential(candidate.credentialID), policy: policy, now: now)
            bindAfterSuccess(attempt, served: candidate, settings: settings, now: now)
            return .answer
        case .failed(let failure):
            attempt.failures.append(failure)
            let key = recordFailure(failure, of: candidate, snapshot: snapshot, policy: policy, now: now)
            // A failure that changes no state (invalid request) gives any probe back unanswered.
            for probe in pick.probeKeys where key == nil || probe != key { record(.probeAbandoned, probe, policy: policy, now: now) }
            return failure.failureClass.failsOver(serverErrors: settings.failoverOnServerError) ? .failOver : .returnToClient
        case .abandoned:
            for probe in pick.probeKeys { record(.probeAbandoned, probe, policy: policy, now: now) }
            return .returnToClient
        }
    }

    /// A stream that already served its first byte and then failed (a reset, a timeout, an error
    /// event): nothing can fail over any more, but the candidate cools as the failure would have
    /// cooled it before the first byte, so the next requests go elsewhere.
    public mutating func reportAfterCommit(_ failure: UpstreamFailure, of candidate: Candidate, snapshot: ConfigSnapshot, now: Moment) {
        sync(snapshot, now: now)
        recordFailure(failure, of: candidate, snapshot: snapshot, policy: HealthPolicy(snapshot.settings), now: now)
    }

    /// Cools the failure's scope (the model, or the whole credential) per the outcome table;
    /// returns the key it recorded, nil for a failure that changes no state (an invalid request).
    @discardableResult
    private mutating func recordFailure(_ failure: UpstreamFailure, of candidate: Candidate, snapshot: ConfigSnapshot,
                                        policy: HealthPolicy, now: Moment) -> HealthKey? {
        guard failure.failureClass.cooldownReason != nil else { return nil }
        let credentialScope = snapshot.providersByName[candidate.provider]?.quotaScope == .credential
        let key = failure.failureClass.isCredentialWide || (failure.failureClass == .quota && credentialScope)
            ? HealthKey.credential(candidate.credentialID) : HealthKey(credentialID: candidate.credentialID, model: candidate.model)
        record(.failed(failure), key, policy: policy, now: now)
        return key
    }

    /// Starts another round after waiting for a recovery: every candidate may be tried again.
    public mutating func nextRound(_ attempt: inout RoutingAttempt) {
        attempt.round += 1
        attempt.tried = []
        attempt.triedCredentials = []
        attempt.plan = []
        attempt.position = 0
    }

    /// Why no candidate is left: all unauthorized (502), all cooling (wait or 429), or tried.
    mutating func exhaustion(_ attempt: RoutingAttempt, snapshot: ConfigSnapshot, now: Moment) -> Exhaustion {
        let ids = attempt.resolution.pools.map { poolID($0, snapshot: snapshot, now: now) }
        var earliest: CoolingSummary?
        var members = 0, unauthorized = 0, untriedUsable = 0
        for id in ids {
            members += cache.pools[id].members.count
            unauthorized += cache.pools[id].unauthorizedCount
            untriedUsable += cache.pools[id].usable.count
            if let (m, info) = cache.pools[id].earliestRecovery(), earliest.map({ info.retryAt < $0.retryAt }) ?? true {
                let member = cache.pools[id].members[m]
                earliest = CoolingSummary(retryAt: info.retryAt,
                                          candidate: Candidate(credentialID: member.credentialID,
                                                               provider: cache.pools[id].key.provider, model: member.model),
                                          reason: info.cooldown.reason)
            }
        }
        for candidate in attempt.tried {
            for id in ids where cache.pools[id].key.provider == candidate.provider {
                if let m = cache.pools[id].member(credentialID: candidate.credentialID, model: candidate.model),
                   cache.pools[id].usable.contains(m) { untriedUsable -= 1 }
            }
        }
        if members > 0 && unauthorized == members { return Exhaustion(kind: .allUnauthorized, earliest: earliest) }
        return Exhaustion(kind: untriedUsable <= 0 && earliest != nil ? .allCooling : .triedAll, earliest: earliest)
    }
}
