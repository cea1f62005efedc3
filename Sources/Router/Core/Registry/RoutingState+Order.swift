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
        var plan = PlanBuilder(tried: tried, limit: options.limit)
        if let lead {
            plan.add(lead)
            if options.commit { turnBlock(of: lead, among: ids) }
        }
        let rotated = rotate(resolution, ids, commit: options.commit)
        var sequence: [(pool: Int, bucket: Int)] = []
        if resolution.isOrdered || rotated.count == 1 {
            for p in rotated { for b in cache.withPool(p, { $0.pointee.buckets.indices }) { sequence.append((p, b)) } }
        } else {
            let ranks = Set(rotated.flatMap { cache.pools[$0].buckets.map(\.rank) }).sorted()
            for rank in ranks {
                for p in rotated {
                    if let b = cache.pools[p].buckets.firstIndex(where: { $0.rank == rank }) { sequence.append((p, b)) }
                }
            }
        }
        var primaryPending = lead == nil && options.commit
        for (p, b) in sequence where !plan.isFull {
            let firstBlock = cache.withPool(p) { pool in
                Self.visit(pool, bucket: b, start: Self.startIndex(pool, bucket: b, options: options), into: &plan)
            }
            if primaryPending, let block = firstBlock {
                primaryPending = false
                advanceCursor(pool: p, bucket: b, block: block, strategy: options.strategy)
                if block.count > 1 { cache.pools[p].rotations[block.lowerBound] &+= 1 }
            }
        }
        return plan.out
    }

    /// The plan being built: candidates in order, and the distinct credentials among them.
    /// Plans hold a handful of candidates (max_credentials): small arrays beat hashing here.
    struct PlanBuilder {
        let tried: [Candidate]
        let limit: Int
        var out: [RoutingAttempt.Planned] = []
        var credentials: [String] = []

        init(tried: [Candidate], limit: Int) {
            self.tried = tried
            self.limit = limit
            out.reserveCapacity(limit + 2)
        }

        var isFull: Bool { credentials.count >= limit }

        func isNew(_ candidate: Candidate) -> Bool {
            !tried.contains(candidate) && !out.contains { $0.candidate == candidate }
        }

        mutating func add(_ planned: RoutingAttempt.Planned) {
            if !credentials.contains(planned.candidate.credentialID) { credentials.append(planned.candidate.credentialID) }
            out.append(planned)
        }
    }

    /// Adds the usable members of one bucket from `start` on (wrapping), block by block; returns
    /// the first block that emitted (the cursor moves past it, and its rotation turns).
    private static func visit(_ pool: UnsafePointer<SelectionPool>, bucket b: Int, start: Int,
                              into plan: inout PlanBuilder) -> Range<Int>? {
        let range = pool.pointee.buckets[b].range
        var firstBlock: Range<Int>?
        var position = start
        var wrapped = false
        while !plan.isFull {
            let end = wrapped ? start : range.upperBound
            guard let i = pool.pointee.usable.next(from: max(position, range.lowerBound), end: end) else {
                if wrapped { break }
                wrapped = true
                position = range.lowerBound
                continue
            }
            let block = pool.pointee.block(of: i)
            var emitted = false
            for j in 0..<block.count {
                let m = pool.pointee.rotated(block, j)
                let member = pool.pointee.members[m]
                let candidate = Candidate(credentialID: member.credentialID, provider: pool.pointee.key.provider, model: member.model)
                guard pool.pointee.usable.contains(m), plan.isNew(candidate) else { continue }
                plan.add(RoutingAttempt.Planned(pool: pool.pointee.key, candidate: candidate))
                emitted = true
            }
            if emitted && firstBlock == nil { firstBlock = block }
            position = block.upperBound
            if wrapped && position >= start { break }
        }
        return firstBlock
    }

    /// Turns the alias-pool rotation of the credential block that `lead` (a session's binding)
    /// comes from: the next request of the session asks it for the next model.
    private mutating func turnBlock(of lead: RoutingAttempt.Planned, among ids: [Int]) {
        for p in ids {
            let block = cache.withPool(p) { pool -> Range<Int>? in
                guard pool.pointee.hasAliasBlocks, pool.pointee.key == lead.pool, let m = SelectionPool.member(
                    in: pool, credentialID: lead.candidate.credentialID, model: lead.candidate.model) else { return nil }
                return pool.pointee.block(of: m)
            }
            guard let block else { continue }
            if block.count > 1 { cache.pools[p].rotations[block.lowerBound] &+= 1 }
            return
        }
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

    private static func startIndex(_ pool: UnsafePointer<SelectionPool>, bucket b: Int, options: OrderOptions) -> Int {
        let range = pool.pointee.buckets[b].range
        switch options.strategy {
        case .fillFirst:
            return range.lowerBound
        case .roundRobin:
            return range.contains(pool.pointee.cursors[b]) ? pool.pointee.cursors[b] : range.lowerBound
        case .stickyRoundRobin:
            let sticky = pool.pointee.sticky[b]
            guard range.contains(sticky.index) else { return range.lowerBound }
            if sticky.count < options.stickyLimit { return sticky.index }
            let after = pool.pointee.block(of: sticky.index).upperBound
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
