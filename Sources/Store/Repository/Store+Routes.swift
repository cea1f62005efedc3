extension Store {
    /// Every route, in list order.
    public func routes() async throws(StoreError) -> [Route] {
        try await read { db, _ throws(StoreError) in try RouteTable.load(db) }
    }

    /// The route named `name`, or `notFound`.
    public func route(named name: String) async throws(StoreError) -> Route {
        let found = try await read { db, _ throws(StoreError) in try RouteTable.load(db, name: name).first }
        guard let found else { throw .notFound(.route, name) }
        return found
    }

    /// Creates a route; `conflict` if the name is taken (checked inside the write, so two
    /// concurrent creations of one name cannot both succeed).
    @discardableResult
    public func createRoute(_ route: Route) async throws(StoreError) -> Route {
        try Self.check(route.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            if snapshot.routesByName[route.name] != nil { throw .conflict("route '\(route.name)' already exists") }
            try Self.checkTargets(route, in: snapshot)
            try RouteTable.upsert(db, route)
            return .changed(route)
        }
    }

    /// Creates or replaces the route with `route.name` (idempotent PUT); every target's
    /// provider must exist.
    @discardableResult
    public func putRoute(_ route: Route) async throws(StoreError) -> WriteOutcome {
        try Self.check(route.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            let existing = snapshot.routesByName[route.name]
            if existing == route { return .unchanged(.unchanged) }
            try Self.checkTargets(route, in: snapshot)
            try RouteTable.upsert(db, route)
            return .changed(existing == nil ? .created : .replaced)
        }
    }

    /// Deletes a route.
    public func deleteRoute(named name: String) async throws(StoreError) {
        try await write { db, _ throws(StoreError) in
            guard try RouteTable.delete(db, name: name) else { throw .notFound(.route, name) }
            return .changed(())
        }
    }

    /// Every target's provider must exist.
    private static func checkTargets(_ route: Route, in snapshot: ConfigSnapshot) throws(StoreError) {
        let unknown = route.targets.enumerated().filter { snapshot.providersByName[$0.element.provider] == nil }
        guard unknown.isEmpty else {
            throw .invalid(unknown.map {
                ValidationIssue(field: "targets[\($0.offset)].provider", message: "unknown provider '\($0.element.provider)'")
            })
        }
    }
}
