/// A named schema change; names are recorded in `schema_migrations` and must never be renamed.
struct Migration: Sendable {
    let name: String
    let sql: String
}

/// Applies ordered, named migrations, each in its own transaction, and refuses databases that
/// carry migrations this binary does not know (written by a newer Switchyard).
struct Migrator {
    let migrations: [Migration]

    /// Brings the database up to date; returns the names applied now.
    @discardableResult
    func migrate(_ db: SQLiteConnection, nowMilliseconds: Int64) throws(StoreError) -> [String] {
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                seq INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                applied_at INTEGER NOT NULL
            );
            """)
        let applied = try db.query("SELECT name FROM schema_migrations ORDER BY seq").map { $0.string(0) }
        let known = migrations.map(\.name)
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw .newerDatabase(unknownMigrations: unknown) }
        guard Array(known.prefix(applied.count)) == applied else {
            throw .storage("migration history \(applied) does not match this binary's order \(known)")
        }
        var appliedNow: [String] = []
        for (index, migration) in migrations.enumerated() where index >= applied.count {
            try db.transaction { () throws(StoreError) in
                try db.executeScript(migration.sql)
                try db.execute("INSERT INTO schema_migrations (seq, name, applied_at) VALUES (?, ?, ?)",
                               [.int(index + 1), .text(migration.name), .integer(nowMilliseconds)])
            }
            appliedNow.append(migration.name)
        }
        return appliedNow
    }
}
