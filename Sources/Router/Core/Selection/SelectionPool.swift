import Store

/// One (tier, priority) group of a pool: a contiguous range of its members.
struct Bucket: Sendable, Equatable {
    let tier: Int
    let priority: Int
    let range: Range<Int>

    /// Sort key across pools: tier ascending, then priority descending.
    var rank: Rank { Rank(tier: tier, priority: priority) }
}

/// Global order of buckets: tier ascending, priority descending.
struct Rank: Hashable, Comparable, Sendable {
    let tier: Int
    let priority: Int
    static func < (a: Rank, b: Rank) -> Bool { a.tier != b.tier ? a.tier < b.tier : a.priority > b.priority }
}

/// A pool's live selection state: which members are usable (bitset), per-bucket strategy
/// cursors, and a heap of recovery times of blocked members. Every per-request operation is
/// independent of how many members are cooling.
struct SelectionPool: Sendable {
    let key: PoolKey
    let members: [PoolMember]
    let buckets: [Bucket]
    let excluded: [ExcludedCredential]
    /// First member index of each credential.
    let memberIndex: [String: Int]
    /// Whether a credential contributes several members (an alias pool): only then do rotations turn.
    let hasAliasBlocks: Bool

    private(set) var usable: AvailabilitySet
    /// The block of each blocked member (nil when usable).
    private(set) var blocks: [BlockedInfo?]
    /// Blocked members whose block comes from a 401.
    private(set) var unauthorizedCount = 0
    private var recovery = MinHeap<RecoveryEntry>()

    /// Round-robin cursor and sticky state per bucket; the alias-pool rotation of each block
    /// (credential), at the block's first member index.
    var cursors: [Int]
    var sticky: [(index: Int, count: Int)]
    var rotations: [Int]

    /// The rotation state, carried from a pool of the previous configuration version.
    struct Position: Sendable {
        let cursors: [Int]
        let sticky: [(index: Int, count: Int)]
        let rotations: [Int]
    }

    var position: Position { Position(cursors: cursors, sticky: sticky, rotations: rotations) }

    /// Continues the rotation where `position` left it when the buckets still line up (an
    /// out-of-range cursor falls back to its bucket's start at use).
    mutating func resume(at position: Position) {
        guard position.cursors.count == cursors.count, position.sticky.count == sticky.count else { return }
        cursors = position.cursors
        sticky = position.sticky
        if position.rotations.count == rotations.count { rotations = position.rotations }
    }

    struct BlockedInfo: Sendable, Equatable {
        let retryAt: Moment
        let cooldown: Cooldown
    }

    struct RecoveryEntry: Comparable, Sendable {
        let at: Moment
        let member: Int
        static func < (a: RecoveryEntry, b: RecoveryEntry) -> Bool { a.at < b.at }
    }

    init(key: PoolKey, members: [PoolMember], excluded: [ExcludedCredential]) {
        self.key = key
        self.members = members
        self.excluded = excluded
        var buckets: [Bucket] = []
        var start = 0
        for i in members.indices where i + 1 == members.count
            || members[i + 1].tier != members[i].tier || members[i + 1].priority != members[i].priority {
            buckets.append(Bucket(tier: members[i].tier, priority: members[i].priority, range: start..<(i + 1)))
            start = i + 1
        }
        self.buckets = buckets
        var index: [String: Int] = [:]
        for (i, member) in members.enumerated() where index[member.credentialID] == nil { index[member.credentialID] = i }
        memberIndex = index
        hasAliasBlocks = members.contains { $0.blockLength > 1 }
        usable = AvailabilitySet(capacity: members.count)
        blocks = Array(repeating: nil, count: members.count)
        cursors = buckets.map(\.range.lowerBound)
        sticky = buckets.map { ($0.range.lowerBound, 0) }
        rotations = Array(repeating: 0, count: members.count)
        for i in members.indices { usable.insert(i) }
    }

    /// The member for (credential, model), if it belongs to this pool.
    func member(credentialID: String, model: String) -> Int? {
        withUnsafePointer(to: self) { Self.member(in: $0, credentialID: credentialID, model: model) }
    }

    /// `member(credentialID:model:)` of a pool read in place: calling a method through the
    /// pointer would copy the whole pool first.
    static func member(in pool: UnsafePointer<SelectionPool>, credentialID: String, model: String) -> Int? {
        guard let first = pool.pointee.memberIndex[credentialID] else { return nil }
        let start = pool.pointee.members[first].blockStart
        for m in start..<(start + pool.pointee.members[first].blockLength) where pool.pointee.members[m].model == model { return m }
        return nil
    }

    /// Records the current health of member `i`.
    mutating func refresh(_ i: Int, _ health: CandidateHealth) {
        let wasUnauthorized = blocks[i]?.cooldown.reason == .unauthorized
        switch health {
        case .available, .probe:
            usable.insert(i)
            blocks[i] = nil
        case .blocked(let cooldown, let retryAt, _, _):
            usable.remove(i)
            let changed = blocks[i]?.retryAt != retryAt
            blocks[i] = BlockedInfo(retryAt: retryAt, cooldown: cooldown)
            if changed { pushRecovery(RecoveryEntry(at: retryAt, member: i)) }
        }
        let isUnauthorized = blocks[i]?.cooldown.reason == .unauthorized
        if wasUnauthorized != isUnauthorized { unauthorizedCount += isUnauthorized ? 1 : -1 }
    }

    /// Pushes a recovery time; when stale entries pile up (more than twice the members), the heap
    /// is rebuilt from the live blocks, so its size stays O(members) at O(1) amortised cost.
    private mutating func pushRecovery(_ entry: RecoveryEntry) {
        recovery.push(entry)
        guard recovery.count > 2 * members.count + 64 else { return }
        recovery.removeAll()
        for (member, info) in blocks.enumerated() {
            if let info { recovery.push(RecoveryEntry(at: info.retryAt, member: member)) }
        }
    }

    /// True when every member is blocked by an authentication failure.
    var allUnauthorized: Bool { !members.isEmpty && unauthorizedCount == members.count }

    /// The blocked member that recovers first (stale heap entries are dropped on the way).
    mutating func earliestRecovery() -> (member: Int, info: BlockedInfo)? {
        while let top = recovery.min {
            if let info = blocks[top.member], info.retryAt == top.at { return (top.member, info) }
            recovery.popMin()
        }
        return nil
    }

    /// The block [start, end) of member `i` (one member except in alias pools).
    func block(of i: Int) -> Range<Int> {
        let m = members[i]
        return m.blockStart..<(m.blockStart + m.blockLength)
    }

    /// The member at position `j` of `block` in its current rotation.
    func rotated(_ block: Range<Int>, _ j: Int) -> Int {
        block.lowerBound + (rotations[block.lowerBound] + j) % block.count
    }
}
