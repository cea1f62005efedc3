import Store

/// The router's whole mutable state as one value: health, session bindings and the selection
/// pools derived from the configuration. Every operation takes `now` and the configuration
/// snapshot explicitly; `RoutingRegistry` keeps one behind a mutex. Copying it gives an
/// independent state (what `explain` runs on).
public struct RoutingState: Sendable {
    public internal(set) var health = HealthBook()
    public internal(set) var bindings = SessionBindings()
    var cache = PoolCache()
    /// Keys and bindings changed since the last `takeChanges`.
    var dirtyHealth: Set<HealthKey> = []
    var dirtyBindings: Set<BindingKey> = []
    /// Counts health and binding changes, so the registry can tell whether a call changed anything.
    public internal(set) var revision: UInt64 = 0

    public init() {}

    /// Pools and cursors of one configuration version.
    struct PoolCache: Sendable {
        var version: UInt64?
        var index: RoutingIndex?
        var pools: [SelectionPool] = []
        var poolIDs: [PoolKey: Int] = [:]
        /// Which pool members each health key affects (a credential-wide key: all of its members).
        var membership: [HealthKey: [MemberRef]] = [:]
        /// Starting-provider rotation per requested model; round-robin route cursors.
        var providerCursors: [String: Int] = [:]
        var routeCursors: [String: Int] = [:]
        /// Where each pool of the previous configuration version stood, taken over when the
        /// pool is rebuilt: an unrelated admin write must not restart every rotation at its
        /// first credential.
        var previousPositions: [PoolKey: SelectionPool.Position] = [:]
        /// Resolutions by requested model name (suffix included) with their pool ids: resolving
        /// is pure for one configuration version, and matching globs on every request is not free.
        var resolutions: [String: (resolution: Resolution, pools: [Int])] = [:]

        /// Reads pool `id` in place, through a pointer valid only inside `body`. `pools[id]`
        /// copies the whole pool (a retain and a release per array it holds), and so does
        /// handing it to a `borrowing` parameter; `pointee.field` reads one field where it lies.
        func withPool<R>(_ id: Int, _ body: (UnsafePointer<SelectionPool>) -> R) -> R {
            pools.withUnsafeBufferPointer { body($0.baseAddress! + id) }
        }

        /// A cache for a new configuration version, keeping the rotations of this one.
        func succeeded(by version: UInt64, index: RoutingIndex) -> PoolCache {
            var next = PoolCache(version: version, index: index)
            next.providerCursors = providerCursors
            next.routeCursors = routeCursors
            next.previousPositions = previousPositions
            if next.previousPositions.count > RoutingState.maxPools { next.previousPositions = [:] }
            for pool in pools { next.previousPositions[pool.key] = pool.position }
            return next
        }
    }

    struct MemberRef: Sendable, Equatable {
        let pool: Int
        let member: Int
    }

    /// Pools kept before the cache is emptied (requests for arbitrary glob-matched names must
    /// not grow memory without bound).
    static let maxPools = 4096

    /// Brings pools in line with `snapshot` and with cooldowns that ended by `now`. Costs O(log n)
    /// per cooldown that changed since the last call, nothing per cooling credential.
    mutating func sync(_ snapshot: ConfigSnapshot, now: Moment) {
        if cache.version != snapshot.version {
            cache = cache.succeeded(by: snapshot.version, index: RoutingIndex(snapshot))
        } else if cache.pools.count > Self.maxPools {
            let cursors = (cache.providerCursors, cache.routeCursors)
            cache = PoolCache(version: cache.version, index: cache.index)
            (cache.providerCursors, cache.routeCursors) = cursors
        }
        for key in health.dueKeys(now: now) { refresh(key, now: now) }
    }

    /// Re-reads the health of every pool member `key` affects.
    mutating func refresh(_ key: HealthKey, now: Moment) {
        for ref in cache.membership[key] ?? [] {
            let member = cache.pools[ref.pool].members[ref.member]
            let state = health.availability(credentialID: member.credentialID, model: member.model, now: now)
            cache.pools[ref.pool].refresh(ref.member, state)
        }
    }

    /// The pool of `key`, built from the snapshot on first use.
    mutating func poolID(_ key: PoolKey, snapshot: ConfigSnapshot, now: Moment) -> Int {
        if let id = cache.poolIDs[key] { return id }
        let (members, excluded) = PoolMembers.build(key, in: snapshot)
        var pool = SelectionPool(key: key, members: members, excluded: excluded)
        if let position = cache.previousPositions.removeValue(forKey: key) { pool.resume(at: position) }
        let id = cache.pools.count
        for (i, member) in members.enumerated() {
            let state = health.availability(credentialID: member.credentialID, model: member.model, now: now)
            if state != .available { pool.refresh(i, state) }
            cache.membership[HealthKey(credentialID: member.credentialID, model: member.model), default: []]
                .append(MemberRef(pool: id, member: i))
            cache.membership[.credential(member.credentialID), default: []].append(MemberRef(pool: id, member: i))
        }
        cache.pools.append(pool)
        cache.poolIDs[key] = id
        return id
    }

    /// Applies a health event to `key` and updates every pool member it affects.
    @discardableResult
    mutating func record(_ event: HealthEvent, _ key: HealthKey, policy: HealthPolicy, now: Moment) -> CooldownState.Transition {
        let transition = health.apply(event, to: key, policy: policy, now: now)
        if transition != .unchanged {
            revision &+= 1
            dirtyHealth.insert(key)
            refresh(key, now: now)
        }
        return transition
    }

    /// Clears every cooldown of a credential (`POST /v1/credentials/{id}/reset`).
    public mutating func reset(credentialID: String, now: Moment) {
        for key in health.reset(credentialID: credentialID) {
            revision &+= 1
            dirtyHealth.insert(key)
            refresh(key, now: now)
        }
    }

    /// Deletes session bindings of a provider and/or session (nil matches all); returns how many.
    @discardableResult
    public mutating func removeSessions(provider: String? = nil, session: String? = nil) -> Int {
        bindings.remove(provider: provider, session: session).count
    }

    /// Drops expired bindings (call from a maintenance task, not per request).
    public mutating func pruneSessions(now: Moment) { bindings.prune(now: now) }
}
