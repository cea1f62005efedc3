import Store

/// The selection order (SPEC §6): buckets by tier ascending then priority descending (route
/// targets strictly in order instead), pools rotated per model (or per route), and within a
/// bucket the strategy. Only usable members are visited, through each pool's bitset.
extension RoutingState {
    struct OrderOptions {
        var strategy: SelectionStrategy
        var stickyLimit: Int
        /// Distinct credentials to plan at most.
        var limit: Int
        /// Advance cursors (one real request); false for re-plans and dry runs.
        var commit: Bool
    }

    mutating func order(_ resolution: Resolution, pools ids: [Int], lead: RoutingAttempt.Planned?,
                        excluding tried: [Candidate], options: OrderOptions) -> [RoutingAttempt.Planned] {
        // Plans hold a handful of candidates (max_credentials): small arrays beat hashing here.
        var out: [RoutingAttempt.Planned] = []
        out.reserveCapacity(options.limit + 2)
        var credentials: [String] = []
        func isNew(_ candidate: Candidate) -> Bool {
            !tried.contains(candidate) && !out.contains { $0.candidate == candidate }
        }
        func count(_ credentialID: String) {
            if !credentials.contains(credentialID) { credentials.append(credentialID) }
        }
        if let lead {
            out.append(lead)
            count(lead.candidate.credentialID)
        }
        let rotated = rotate(resolution, ids, commit: options.commit)
        var sequence: [(pool: Int, bucket: Int)] = []
        if resolution.isOrdered || rotated.count == 1 {
            for p in rotated { for b in cache.pools[p].buckets.indices { sequence.append((p, b)) } }
        } else {
            let ranks = Set(rotated.flatMap { cache.pools[$0].buckets.map(\.rank) }).sorted()
            for rank in ranks {
                for p in rotated {
                    if let b = cache.pools[p].buckets.firstIndex(where: { $0.rank == rank }) { sequence.append((p, b)) }
                }
            }
        }
        var primaryPending = lead == nil && options.commit
        var rotatedPools = Set<Int>()
        for (p, b) in sequence where credentials.count < options.limit {
            let pool = cache.pools[p]
            let range = pool.buckets[b].range
            let start = startIndex(pool, bucket: b, options: options)
            var position = start
            var wrapped = false
            while credentials.count < options.limit {
                let end = wrapped ? start : range.upperBound
                guard let i = pool.usable.next(from: max(position, range.lowerBound), end: end) else {
                    if wrapped { break }
                    wrapped = true
                    position = range.lowerBound
                    continue
                }
                let block = pool.block(of: i)
                var emitted = false
                for j in 0..<block.count {
                    let m = block.lowerBound + (pool.rotation + j) % block.count
                    let member = pool.members[m]
                    let candidate = Candidate(credentialID: member.credentialID, provider: pool.key.provider, model: member.model)
                    guard pool.usable.contains(m), isNew(candidate) else { continue }
                    count(candidate.credentialID)
                    out.append(RoutingAttempt.Planned(pool: pool.key, candidate: candidate))
                    emitted = true
                }
                if emitted && block.count > 1 { rotatedPools.insert(p) }
                if emitted && primaryPending {
                    primaryPending = false
                    advanceCursor(pool: p, bucket: b, block: block, strategy: options.strategy)
                }
                position = block.upperBound
                if wrapped && position >= start { break }
            }
        }
        if options.commit { for p in rotatedPools { cache.pools[p].rotation &+= 1 } }
        return out
    }

    /// Pools in this request's order: route round-robin rotates the first target per request;
    /// several providers without a route rotate the starting provider per model.
    private mutating func rotate(_ resolution: Resolution, _ ids: [Int], commit: Bool) -> [Int] {
        guard ids.count > 1 else { return ids }
        let turn: Int
        switch resolution.kind {
        case .route(_, .fallback):
            return ids
        case .route(let name, .roundRobin):
            turn = cache.routeCursors[name, default: 0]
            if commit { cache.routeCursors[name] = turn &+ 1 }
        default:
            turn = cache.providerCursors[resolution.model.name, default: 0]
            if commit { cache.providerCursors[resolution.model.name] = turn &+ 1 }
        }
        let k = Int(UInt(bitPattern: turn) % UInt(ids.count))
        return Array(ids[k...] + ids[..<k])
    }

    private func startIndex(_ pool: SelectionPool, bucket b: Int, options: OrderOptions) -> Int {
        let range = pool.buckets[b].range
        switch options.strategy {
        case .fillFirst:
            return range.lowerBound
        case .roundRobin:
            return range.contains(pool.cursors[b]) ? pool.cursors[b] : range.lowerBound
        case .stickyRoundRobin:
            let sticky = pool.sticky[b]
            guard range.contains(sticky.index) else { return range.lowerBound }
            if sticky.count < options.stickyLimit { return sticky.index }
            let after = pool.block(of: sticky.index).upperBound
            return range.contains(after) ? after : range.lowerBound
        }
    }

    private mutating func advanceCursor(pool p: Int, bucket b: Int, block: Range<Int>, strategy: SelectionStrategy) {
        switch strategy {
        case .fillFirst:
            break
        case .roundRobin:
            cache.pools[p].cursors[b] = block.upperBound
        case .stickyRoundRobin:
            if cache.pools[p].sticky[b].index == block.lowerBound {
                cache.pools[p].sticky[b].count += 1
            } else {
                cache.pools[p].sticky[b] = (block.lowerBound, 1)
            }
        }
    }
}
