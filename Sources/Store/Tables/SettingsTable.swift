/// The `settings` table: one row per `Settings.fields` path. Missing rows take the default, so
/// fields added by later versions need no migration; rows this binary does not know are ignored.
enum SettingsTable {
    static func load(_ db: SQLiteConnection) throws(StoreError) -> Settings {
        var settings = Settings()
        for row in try db.query("SELECT key, value FROM settings") {
            guard let field = Settings.field(row.string(0)) else { continue }
            let text = row.string(1)
            let value: SettingsValue?
            switch field.kind {
            case .integer: value = Int(text).map(SettingsValue.integer)
            case .boolean: value = text == "true" ? .boolean(true) : text == "false" ? .boolean(false) : nil
            case .choice: value = .string(text)
            }
            guard let value else { throw .storage("setting '\(field.path)' holds an unreadable value '\(text)'") }
            do { try field.assign(value, to: &settings) } catch {
                throw .storage("setting '\(field.path)' holds an invalid value '\(text)'")
            }
        }
        return settings
    }

    static func save(_ db: SQLiteConnection, _ settings: Settings) throws(StoreError) {
        for field in Settings.fields {
            try db.execute("""
                INSERT INTO settings (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(field.path), .text(field.value(in: settings).description)])
        }
    }
}

/// The `meta` and `admin_token` tables: configuration version and admin token hash.
enum MetaTable {
    static func configVersion(_ db: SQLiteConnection) throws(StoreError) -> UInt64 {
        let value = try db.query("SELECT value FROM meta WHERE key = 'config_version'").first?.string(0)
        return value.flatMap(UInt64.init) ?? 0
    }

    /// Increments the version inside the current transaction and returns the new value.
    static func bumpConfigVersion(_ db: SQLiteConnection) throws(StoreError) -> UInt64 {
        let next = try configVersion(db) + 1
        try db.execute("""
            INSERT INTO meta (key, value) VALUES ('config_version', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(String(next))])
        return next
    }

    static func adminTokenHash(_ db: SQLiteConnection) throws(StoreError) -> KeyHash? {
        guard let row = try db.query("SELECT token_hash FROM admin_token WHERE id = 1").first else { return nil }
        guard let hash = KeyHash(bytes: row.blob(0)) else { throw .storage("the stored admin token hash is malformed") }
        return hash
    }

    static func setAdminTokenHash(_ db: SQLiteConnection, _ hash: KeyHash, nowMilliseconds: Int64) throws(StoreError) {
        try db.execute("""
            INSERT INTO admin_token (id, token_hash, updated_at) VALUES (1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, updated_at = excluded.updated_at
            """, [.blob(hash.bytes), .integer(nowMilliseconds)])
    }
}
