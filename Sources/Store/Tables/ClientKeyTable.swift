/// Rows of `client_keys` (hash and hint only) and `client_key_models`.
enum ClientKeyTable {
    /// Client keys in creation order; only `id` when given.
    static func load(_ db: SQLiteConnection, id: String? = nil) throws(StoreError) -> [ClientKey] {
        let key = SQLValue.optionalText(id)
        let rows = try db.query("""
            SELECT id, name, key_hash, hint, enabled, created_at
            FROM client_keys WHERE (?1 IS NULL OR id = ?1) ORDER BY position, rowid
            """, [key])
        let models = try db.query("""
            SELECT client_key_id, pattern FROM client_key_models
            WHERE (?1 IS NULL OR client_key_id = ?1) ORDER BY client_key_id, position
            """, [key]).grouped()
        var keys: [ClientKey] = []
        for row in rows {
            let id = row.string(0)
            guard let hash = KeyHash(bytes: row.blob(2)) else { throw .storage("client key '\(id)' has a malformed hash") }
            keys.append(ClientKey(
                id: id, name: row.string(1), keyHash: hash, hint: row.string(3),
                models: (models[id] ?? []).map { $0.string(1) }, enabled: row.bool(4),
                createdAt: Timestamp.date(milliseconds: row.int64(5))))
        }
        return keys
    }

    /// The id of the key with this hash, if any.
    static func id(forHash hash: KeyHash, _ db: SQLiteConnection) throws(StoreError) -> String? {
        try db.query("SELECT id FROM client_keys WHERE key_hash = ?", [.blob(hash.bytes)]).first?.string(0)
    }

    /// Inserts or replaces `key`. `position` as for providers.
    static func upsert(_ db: SQLiteConnection, _ key: ClientKey, position: Int? = nil) throws(StoreError) {
        try db.execute("""
            INSERT INTO client_keys (id, name, key_hash, hint, enabled, created_at, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?7, (SELECT COALESCE(MAX(position), 0) + 1 FROM client_keys)))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, key_hash = excluded.key_hash,
                hint = excluded.hint, enabled = excluded.enabled, created_at = excluded.created_at,
                position = COALESCE(?7, position)
            """, [.text(key.id), .text(key.name), .blob(key.keyHash.bytes), .text(key.hint), .bool(key.enabled),
                  .integer(Timestamp.milliseconds(key.createdAt)), position.map(SQLValue.int) ?? .null])
        try db.execute("DELETE FROM client_key_models WHERE client_key_id = ?", [.text(key.id)])
        for (position, pattern) in key.models.enumerated() {
            try db.execute("INSERT INTO client_key_models (client_key_id, position, pattern) VALUES (?, ?, ?)",
                           [.text(key.id), .int(position), .text(pattern)])
        }
    }

    /// Deletes the key; false if it did not exist.
    static func delete(_ db: SQLiteConnection, id: String) throws(StoreError) -> Bool {
        try db.execute("DELETE FROM client_keys WHERE id = ?", [.text(id)])
        return db.changes > 0
    }
}
