import Store

/// Session affinity (SPEC §6): bindings (provider, session, model) → credential, used while the
/// credential is usable; soft escape during short cooldowns; rebinding otherwise.
extension RoutingState {
    /// Finds the session's usable binding (most recently bound first, each provider looking only
    /// at its own binding) and the candidate it puts first. Affinity overrides priority, strategy
    /// and provider rotation, but not tiers: a binding in a worse tier than the best usable one is
    /// rebound (so a session does not stay on a fallback tier once the preferred tier recovers);
    /// nor a fallback route's order.
    func planAffinity(_ session: SessionKey?, _ resolution: Resolution, _ requestIDs: [Int], settings: Settings,
                      now: Moment) -> (AffinityDecision, RoutingAttempt.Planned?) {
        guard settings.sessionAffinity.enabled, let session else { return (.none, nil) }
        var ids = requestIDs
        // A fallback route's order is the operator's preference: a binding picks the credential
        // within the first target that can serve, and never keeps the session on a later target
        // once an earlier one serves again.
        if case .route(_, .fallback) = resolution.kind,
           let first = requestIDs.first(where: { id in cache.withPool(id) { $0.pointee.usable.next(from: 0, end: $0.pointee.members.count) != nil } }) {
            ids = [first]
        }
        // Loops rather than compactMap/min chains: this runs for every request with a session.
        var bestTier: Int?
        for id in ids {
            let tier = cache.withPool(id) { pool -> Int? in
                for bucket in pool.pointee.buckets where pool.pointee.usable.next(from: bucket.range.lowerBound, end: bucket.range.upperBound) != nil {
                    return bucket.tier
                }
                return nil
            }
            if let tier { bestTier = min(bestTier ?? tier, tier) }
        }
        var found: [(BindingKey, SessionBinding)] = []
        for (index, id) in ids.enumerated() {
            let provider = cache.withPool(id) { $0.pointee.key.provider }
            guard !ids[..<index].contains(where: { cache.withPool($0) { $0.pointee.key.provider } == provider }) else { continue }
            if let binding = bindings.lookup(provider: provider, ids: session.ids, model: resolution.model.name, now: now) {
                found.append(binding)
            }
        }
        if found.count > 1 { found.sort { $0.1.updatedAt > $1.1.updatedAt } }
        var decision = AffinityDecision.unbound
        for (key, binding) in found {
            switch boundState(key, binding.credentialID, ids, settings: settings, now: now) {
            case .usable(let planned):
                let tier = snapshotTier(planned, ids)
                if let bestTier, let tier, tier > bestTier {
                    if decision == .unbound { decision = .rebind(key, credentialID: binding.credentialID) }
                    continue
                }
                return (.bound(key, credentialID: binding.credentialID), planned)
            case .soft:
                if decision == .unbound { decision = .softEscape(key, credentialID: binding.credentialID) }
            case .gone:
                if decision == .unbound { decision = .rebind(key, credentialID: binding.credentialID) }
            }
        }
        return (decision, nil)
    }

    /// The tier of a planned candidate's pool member.
    private func snapshotTier(_ planned: RoutingAttempt.Planned, _ ids: [Int]) -> Int? {
        guard let id = cache.poolIDs[planned.pool] else { return nil }
        return cache.withPool(id) { pool -> Int? in
            guard let m = SelectionPool.member(in: pool, credentialID: planned.candidate.credentialID, model: planned.candidate.model)
            else { return nil }
            return pool.pointee.members[m].tier
        }
    }

    enum BoundState {
        case usable(RoutingAttempt.Planned)
        /// Briefly cooling (429 or transient ≤ soft_escape_seconds) or being probed.
        case soft
        /// Auth failure, long cooldown, or no longer a candidate.
        case gone
    }

    /// The state of the credential a binding points to, among this request's pools.
    func boundState(_ key: BindingKey, _ credentialID: String, _ ids: [Int], settings: Settings, now: Moment) -> BoundState {
        var soft = false
        for id in ids {
            switch cache.withPool(id, { memberState(in: $0, key, credentialID, settings: settings, now: now) }) {
            case .usable(let planned)?: return .usable(planned)
            case .soft?: soft = true
            case .gone?, nil: break
            }
        }
        return soft ? .soft : .gone
    }

    /// The credential's state in one pool; nil when it is no member.
    private func memberState(in pool: UnsafePointer<SelectionPool>, _ key: BindingKey, _ credentialID: String,
                             settings: Settings, now: Moment) -> BoundState? {
        guard pool.pointee.key.provider == key.provider, let first = pool.pointee.memberIndex[credentialID] else { return nil }
        var soft = false
        let block = pool.pointee.block(of: first)
        for j in 0..<block.count {
            let m = pool.pointee.rotated(block, j)
            let model = pool.pointee.members[m].model
            switch health.availability(credentialID: credentialID, model: model, now: now) {
            case .available, .probe:
                return .usable(RoutingAttempt.Planned(
                    pool: pool.pointee.key, candidate: Candidate(credentialID: credentialID, provider: key.provider, model: model)))
            case .blocked(let cooldown, _, let probing, _):
                let limit = Int64(settings.sessionAffinity.softEscapeSeconds) * 1000
                if probing || (cooldown.reason.allowsSoftEscape && cooldown.length <= limit) { soft = true }
            }
        }
        return soft ? .soft : .gone
    }

    /// After a success: refresh the binding that served; keep a softly escaped binding (the
    /// session returns once it recovers); otherwise bind the serving credential on its provider.
    mutating func bindAfterSuccess(_ attempt: RoutingAttempt, served: Candidate, settings: Settings, now: Moment) {
        guard settings.sessionAffinity.enabled, let session = attempt.session, let first = session.ids.first else { return }
        let ttl = settings.sessionAffinity.ttlSeconds
        let model = attempt.resolution.model.name
        let primaryKey = BindingKey(provider: served.provider, session: first, model: model)
        let ids = attempt.resolution.pools.compactMap { cache.poolIDs[$0] }
        if let (key, binding) = bindings.lookup(provider: served.provider, ids: session.ids, model: model, now: now) {
            if binding.credentialID == served.credentialID {
                bind(primaryKey, served.credentialID, ttl: ttl, now: now, refreshOnly: key == primaryKey)
                return
            }
            if case .soft = boundState(key, binding.credentialID, ids, settings: settings, now: now) {
                if bindings.touch(key, ttlSeconds: ttl, now: now) { dirtyBindings.insert(key) }
                revision &+= 1
                return
            }
        } else if case .softEscape(let key, let credentialID) = attempt.affinity, key.provider != served.provider,
                  case .soft = boundState(key, credentialID, ids, settings: settings, now: now) {
            return
        }
        bind(primaryKey, served.credentialID, ttl: ttl, now: now, refreshOnly: false)
    }

    private mutating func bind(_ key: BindingKey, _ credentialID: String, ttl: Int, now: Moment, refreshOnly: Bool) {
        if refreshOnly {
            if bindings.touch(key, ttlSeconds: ttl, now: now) { dirtyBindings.insert(key) }
        } else {
            bindings.bind(key, to: credentialID, ttlSeconds: ttl, now: now)
            dirtyBindings.insert(key)
        }
        revision &+= 1
    }
}
