/// Rows of `routes` and `route_targets`.
enum RouteTable {
    /// Routes in creation order; only `name` when given.
    static func load(_ db: SQLiteConnection, name: String? = nil) throws(StoreError) -> [Route] {
        let key = SQLValue.optionalText(name)
        let rows = try db.query("SELECT name, strategy FROM routes WHERE (?1 IS NULL OR name = ?1) ORDER BY position, rowid", [key])
        let targets = try db.query("""
            SELECT route, provider, model FROM route_targets
            WHERE (?1 IS NULL OR route = ?1) ORDER BY route, position
            """, [key]).grouped()
        var routes: [Route] = []
        for row in rows {
            let name = row.string(0)
            guard let strategy = RouteStrategy(rawValue: row.string(1)) else {
                throw .storage("route '\(name)' has an unknown strategy")
            }
            routes.append(Route(
                name: name,
                targets: (targets[name] ?? []).map { RouteTarget(provider: $0.string(1), model: $0.string(2)) },
                strategy: strategy))
        }
        return routes
    }

    /// Inserts or replaces `route`. `position` as for providers.
    static func upsert(_ db: SQLiteConnection, _ route: Route, position: Int? = nil) throws(StoreError) {
        try db.execute("""
            INSERT INTO routes (name, strategy, position)
            VALUES (?1, ?2, COALESCE(?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM routes)))
            ON CONFLICT (name) DO UPDATE SET strategy = excluded.strategy, position = COALESCE(?3, position)
            """, [.text(route.name), .text(route.strategy.rawValue), position.map(SQLValue.int) ?? .null])
        try db.execute("DELETE FROM route_targets WHERE route = ?", [.text(route.name)])
        for (position, target) in route.targets.enumerated() {
            try db.execute("INSERT INTO route_targets (route, position, provider, model) VALUES (?, ?, ?, ?)",
                           [.text(route.name), .int(position), .text(target.provider), .text(target.model)])
        }
    }

    /// Deletes the route; false if it did not exist.
    static func delete(_ db: SQLiteConnection, name: String) throws(StoreError) -> Bool {
        try db.execute("DELETE FROM routes WHERE name = ?", [.text(name)])
        return db.changes > 0
    }
}
