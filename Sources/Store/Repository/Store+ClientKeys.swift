import Foundation

extension Store {
    /// Every client key (hash and hint only), in list order.
    public func clientKeys() async throws(StoreError) -> [ClientKey] {
        try await read { db, _ throws(StoreError) in try ClientKeyTable.load(db) }
    }

    /// The client key with `id`, or `notFound`.
    public func clientKey(id: String) async throws(StoreError) -> ClientKey {
        let found = try await read { db, _ throws(StoreError) in try ClientKeyTable.load(db, id: id).first }
        guard let found else { throw .notFound(.clientKey, id) }
        return found
    }

    /// Generates a key (`sy-…`), stores its hash, and returns the record with the clear key,
    /// which the caller shows once and must not keep.
    public func createClientKey(
        id: String = RandomKey.identifier(prefix: "key"), name: String, models: [String] = [],
        enabled: Bool = true, now: Date
    ) async throws(StoreError) -> (ClientKey, Secret) {
        let (record, key) = ClientKey.issue(id: id, name: name, models: models, enabled: enabled, now: now)
        try Self.check(record.validationIssues())
        try await write { db, snapshot throws(StoreError) in
            if snapshot.clientKeysByID[record.id] != nil { throw .conflict("client key '\(record.id)' already exists") }
            try ClientKeyTable.upsert(db, record)
            return .changed(())
        }
        return (record, key)
    }

    /// Creates or replaces the client key with `key.id` (idempotent PUT; also used by config
    /// import). `conflict` if another key has the same hash.
    @discardableResult
    public func putClientKey(_ key: ClientKey) async throws(StoreError) -> WriteOutcome {
        try Self.check(key.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            let existing = snapshot.clientKeysByID[key.id]
            if existing == key { return .unchanged(.unchanged) }
            if let other = try ClientKeyTable.id(forHash: key.keyHash, db), other != key.id {
                throw .conflict("the same key is already stored as client key '\(other)'")
            }
            try ClientKeyTable.upsert(db, key)
            return .changed(existing == nil ? .created : .replaced)
        }
    }

    /// Reads, transforms and writes one client key atomically (PATCH of name, models, enabled).
    @discardableResult
    public func updateClientKey(
        id: String, _ transform: @escaping @Sendable (inout ClientKey) throws(StoreError) -> Void
    ) async throws(StoreError) -> ClientKey {
        try await write { db, snapshot throws(StoreError) in
            guard var key = snapshot.clientKeysByID[id] else { throw .notFound(.clientKey, id) }
            let before = key
            try transform(&key)
            guard key.id == id, key.keyHash == before.keyHash else {
                throw .invalid("id", "the id and the key itself cannot be changed")
            }
            try Self.check(key.validationIssues())
            if key == before { return .unchanged(key) }
            try ClientKeyTable.upsert(db, key)
            return .changed(key)
        }
    }

    /// Deletes (revokes) a client key.
    public func deleteClientKey(id: String) async throws(StoreError) {
        try await write { db, _ throws(StoreError) in
            guard try ClientKeyTable.delete(db, id: id) else { throw .notFound(.clientKey, id) }
            return .changed(())
        }
    }
}
