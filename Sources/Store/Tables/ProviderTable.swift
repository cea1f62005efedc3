/// Rows of `providers`, `provider_models` and `provider_headers` (header values sealed).
enum ProviderTable {
    /// Providers in creation order; only `name` when given.
    static func load(_ db: SQLiteConnection, _ keyring: Keyring, name: String? = nil) throws(StoreError) -> [Provider] {
        let key = SQLValue.optionalText(name)
        let rows = try db.query("""
            SELECT name, type, base_url, quota_scope, allow_private_network, enabled
            FROM providers WHERE (?1 IS NULL OR name = ?1) ORDER BY position, rowid
            """, [key])
        let models = try db.query("""
            SELECT provider, pattern FROM provider_models
            WHERE (?1 IS NULL OR provider = ?1) ORDER BY provider, position
            """, [key]).grouped()
        let headerRows = try db.query("""
            SELECT provider, name, value_sealed FROM provider_headers
            WHERE (?1 IS NULL OR provider = ?1) ORDER BY provider, position
            """, [key]).grouped()
        var providers: [Provider] = []
        providers.reserveCapacity(rows.count)
        for row in rows {
            let name = row.string(0)
            guard let type = ProviderType(rawValue: row.string(1)),
                  let scope = QuotaScope(rawValue: row.string(3)) else {
                throw .storage("provider '\(name)' has an unknown type or quota scope")
            }
            var headers: [String: String] = [:]
            for header in headerRows[name] ?? [] {
                let plain = try SecretBox.open(header.blob(2), context: headerContext(name, header.string(1)), keyring: keyring)
                headers[header.string(1)] = String(decoding: plain, as: UTF8.self)
            }
            providers.append(Provider(
                name: name, type: type, baseURL: row.string(2), headers: headers,
                models: (models[name] ?? []).map { $0.string(1) }, quotaScope: scope,
                allowPrivateNetwork: row.bool(4), enabled: row.bool(5)))
        }
        return providers
    }

    /// Inserts or replaces `provider`. `position` orders the list; nil appends a new row and
    /// keeps an existing row where it is.
    static func upsert(_ db: SQLiteConnection, _ keyring: Keyring, _ provider: Provider, position: Int? = nil) throws(StoreError) {
        try db.execute("""
            INSERT INTO providers (name, type, base_url, quota_scope, allow_private_network, enabled, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?7, (SELECT COALESCE(MAX(position), 0) + 1 FROM providers)))
            ON CONFLICT (name) DO UPDATE SET type = excluded.type, base_url = excluded.base_url,
                quota_scope = excluded.quota_scope, allow_private_network = excluded.allow_private_network,
                enabled = excluded.enabled, position = COALESCE(?7, position)
            """, [.text(provider.name), .text(provider.type.rawValue), .text(provider.baseURL),
                  .text(provider.quotaScope.rawValue), .bool(provider.allowPrivateNetwork), .bool(provider.enabled),
                  position.map(SQLValue.int) ?? .null])
        try db.execute("DELETE FROM provider_models WHERE provider = ?", [.text(provider.name)])
        for (position, pattern) in provider.models.enumerated() {
            try db.execute("INSERT INTO provider_models (provider, position, pattern) VALUES (?, ?, ?)",
                           [.text(provider.name), .int(position), .text(pattern)])
        }
        try db.execute("DELETE FROM provider_headers WHERE provider = ?", [.text(provider.name)])
        for (position, header) in provider.headers.sorted(by: { $0.key < $1.key }).enumerated() {
            let sealed = try SecretBox.seal(Array(header.value.utf8), context: headerContext(provider.name, header.key),
                                            keyring: keyring)
            try db.execute("INSERT INTO provider_headers (provider, position, name, value_sealed) VALUES (?, ?, ?, ?)",
                           [.text(provider.name), .int(position), .text(header.key), .blob(sealed)])
        }
    }

    /// Deletes the provider; false if it did not exist. Callers check `users` first.
    static func delete(_ db: SQLiteConnection, name: String) throws(StoreError) -> Bool {
        try db.execute("DELETE FROM providers WHERE name = ?", [.text(name)])
        return db.changes > 0
    }

    /// Credential ids and route names that reference the provider.
    static func users(_ db: SQLiteConnection, name: String) throws(StoreError) -> (credentials: [String], routes: [String]) {
        let credentials = try db.query("SELECT id FROM credentials WHERE provider = ? ORDER BY rowid", [.text(name)])
        let routes = try db.query("SELECT DISTINCT route FROM route_targets WHERE provider = ? ORDER BY route", [.text(name)])
        return (credentials.map { $0.string(0) }, routes.map { $0.string(0) })
    }

    /// Re-seals header values under the current key; returns how many changed.
    static func reseal(_ db: SQLiteConnection, _ keyring: Keyring) throws(StoreError) -> Int {
        var count = 0
        for row in try db.query("SELECT provider, position, name, value_sealed FROM provider_headers") {
            let sealed = row.blob(3)
            guard SecretBox.keyID(of: sealed) != keyring.current.id else { continue }
            let context = headerContext(row.string(0), row.string(2))
            let plain = try SecretBox.open(sealed, context: context, keyring: keyring)
            try db.execute("UPDATE provider_headers SET value_sealed = ? WHERE provider = ? AND position = ?",
                           [.blob(try SecretBox.seal(plain, context: context, keyring: keyring)),
                            .text(row.string(0)), .integer(row.int64(1))])
            count += 1
        }
        return count
    }

    static func headerContext(_ provider: String, _ header: String) -> String {
        "provider-header\u{0}\(provider)\u{0}\(header)"
    }
}

extension Array where Element == Row {
    /// Rows grouped by the text of their first column, keeping order within each group.
    func grouped() -> [String: [Row]] {
        Dictionary(grouping: self, by: { $0.string(0) })
    }
}
