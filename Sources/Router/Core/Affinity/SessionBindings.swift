/// Which binding a (provider, session id, requested model) has.
public struct BindingKey: Hashable, Sendable {
    public let provider: String
    public let session: String
    public let model: String

    public init(provider: String, session: String, model: String) {
        self.provider = provider
        self.session = session
        self.model = model
    }
}

/// A session's credential on one provider, with a sliding expiry.
public struct SessionBinding: Sendable, Equatable {
    public var credentialID: String
    public var expiresAt: Moment
    public var updatedAt: Moment

    public init(credentialID: String, expiresAt: Moment, updatedAt: Moment) {
        self.credentialID = credentialID
        self.expiresAt = expiresAt
        self.updatedAt = updatedAt
    }
}

/// Session bindings (provider, session, model) → credential. Provider-scoped: a lookup on one
/// provider never sees another's binding. A value type kept behind the registry's lock.
public struct SessionBindings: Sendable {
    public private(set) var entries: [BindingKey: SessionBinding] = [:]
    /// When each binding's expiry was last handed to the persister (see `touch`).
    private var persistedSlide: [BindingKey: Moment] = [:]

    public init() {}

    /// The live binding of `provider` for the first of `ids` that has one.
    public func lookup(provider: String, ids: [String], model: String, now: Moment) -> (BindingKey, SessionBinding)? {
        for id in ids {
            let key = BindingKey(provider: provider, session: id, model: model)
            if let binding = entries[key], binding.expiresAt > now { return (key, binding) }
        }
        return nil
    }

    /// Binds (or rebinds) `key` to `credentialID`, sliding its expiry to `now + ttl`.
    mutating func bind(_ key: BindingKey, to credentialID: String, ttlSeconds: Int, now: Moment) {
        entries[key] = SessionBinding(credentialID: credentialID, expiresAt: now.adding(seconds: ttlSeconds), updatedAt: now)
        persistedSlide[key] = now
    }

    /// Slides the expiry of `key` without changing its credential or its recency. Returns
    /// whether the slide is worth persisting: at most once per tenth of the TTL (at least a
    /// second) per binding, so a busy session does not cost a database write per request; after
    /// a restart a binding may expire up to a tenth of its TTL early.
    mutating func touch(_ key: BindingKey, ttlSeconds: Int, now: Moment) -> Bool {
        // Read, change, store: the in-place form (`entries[key]?.x = …`) allocates a coroutine frame per call.
        guard var entry = entries[key] else { return false }
        entry.expiresAt = now.adding(seconds: ttlSeconds)
        entries[key] = entry
        let interval = Int64(max(1, ttlSeconds / 10)) * 1000
        if let last = persistedSlide[key], now.milliseconds(since: last) < interval { return false }
        persistedSlide[key] = now
        return true
    }

    /// Restores a binding as persisted.
    mutating func restore(_ key: BindingKey, _ binding: SessionBinding) { entries[key] = binding }

    /// Drops expired bindings; returns how many.
    @discardableResult
    mutating func prune(now: Moment) -> Int {
        let before = entries.count
        entries = entries.filter { $0.value.expiresAt > now }
        persistedSlide = persistedSlide.filter { entries[$0.key] != nil }
        return before - entries.count
    }

    /// Removes bindings of a provider and/or a session (nil matches all); returns the keys removed.
    mutating func remove(provider: String?, session: String?) -> [BindingKey] {
        let keys = entries.keys.filter { (provider == nil || $0.provider == provider) && (session == nil || $0.session == session) }
        for key in keys {
            entries[key] = nil
            persistedSlide[key] = nil
        }
        return keys
    }
}
