import Store

extension RoutingState {
    /// `POST /v1/explain`: runs `begin` and `next` on a copy of the state and reports every
    /// candidate's verdict. `self` is not changed (no cursor moves, no probe is taken).
    public func explain(_ request: RouteRequest, snapshot: ConfigSnapshot, now: Moment) -> Explanation {
        var copy = self
        let requested = RequestedModel(parsing: request.model)
        let attempt: RoutingAttempt
        do {
            attempt = try copy.begin(request, snapshot: snapshot, now: now)
        } catch {
            var resolution: Resolution?
            var entries: [Explanation.Entry] = []
            if case .noneEnabled = error, let index = copy.cache.index,
               let resolved = try? ModelResolver.resolve(requested, in: snapshot, index: index) {
                resolution = resolved
                for key in resolved.pools {
                    for excluded in PoolMembers.build(key, in: snapshot).excluded {
                        entries.append(entry(excluded, key, snapshot))
                    }
                }
            }
            return Explanation(model: requested, resolution: resolution, error: error, selected: nil, selectedIsProbe: false,
                               affinity: .none, exhaustion: nil, entries: entries)
        }
        var walk = attempt
        let step = copy.next(&walk, snapshot: snapshot, now: now)
        var selected: Pick?
        var exhaustion: Exhaustion?
        switch step {
        case .candidate(let pick): selected = pick
        case .exhausted(let why): exhaustion = why
        }
        let plan = attempt.plannedCandidates
        let selectedRank = selected.flatMap { pick in snapshot.credentialsByID[pick.candidate.credentialID] }
        var entries: [Explanation.Entry] = []
        var listed = Set<Candidate>()
        for key in attempt.resolution.pools {
            guard let id = copy.cache.poolIDs[key] else { continue }
            let pool = copy.cache.pools[id]
            for member in pool.members {
                let candidate = Candidate(credentialID: member.credentialID, provider: key.provider, model: member.model)
                guard listed.insert(candidate).inserted else { continue }
                let verdict: Explanation.Verdict
                if candidate == selected?.candidate {
                    verdict = .selected
                } else if case .blocked(let cooldown, _, let probing, let scope) =
                            health.availability(credentialID: member.credentialID, model: member.model, now: now) {
                    verdict = .cooling(reason: cooldown.reason, until: cooldown.until, scope: scope, probeInFlight: probing)
                } else if let position = plan.firstIndex(of: candidate) {
                    verdict = .fallback(position: position + 1)
                } else if let rank = selectedRank, member.tier != rank.tier {
                    verdict = .notReached(because: "tier")
                } else if let rank = selectedRank, member.priority != rank.priority {
                    verdict = .notReached(because: "priority")
                } else {
                    verdict = .notReached(because: plan.count >= snapshot.settings.retry.maxCredentials ? "max_credentials" : "strategy")
                }
                entries.append(Explanation.Entry(candidate: candidate, tier: member.tier, priority: member.priority, verdict: verdict))
            }
            for excluded in pool.excluded { entries.append(entry(excluded, key, snapshot)) }
        }
        return Explanation(model: requested, resolution: attempt.resolution, error: nil, selected: selected?.candidate,
                           selectedIsProbe: selected?.isProbe ?? false, affinity: attempt.affinity,
                           exhaustion: exhaustion, entries: entries)
    }

    private func entry(_ excluded: ExcludedCredential, _ key: PoolKey, _ snapshot: ConfigSnapshot) -> Explanation.Entry {
        let credential = snapshot.credentialsByID[excluded.credentialID]
        let model: String
        switch key.selector {
        case .serving(let m), .prefixed(_, let m): model = m
        case .aliased(let alias): model = credential?.aliases.first { $0.alias.lowercased() == alias }?.model ?? alias
        }
        return Explanation.Entry(candidate: Candidate(credentialID: excluded.credentialID, provider: excluded.provider, model: model),
                                 tier: credential?.tier ?? 0, priority: credential?.priority ?? 0,
                                 verdict: .excluded(excluded.reason))
    }
}
