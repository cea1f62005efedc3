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

    /// Creates or replaces the route with `route.name` (idempotent PUT); every target's
    /// provider must exist.
    @discardableResult
    public func putRoute(_ route: Route) async throws(StoreError) -> WriteOutcome {
        try Self.check(route.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            let existing = snapshot.routesByName[route.name]
            if existing == route { return .unchanged(.unchanged) }
            let unknown = route.targets.enumerated().filter { snapshot.providersByName[$0.element.provider] == nil }
            if !unknown.isEmpty {
                throw .invalid(unknown.map {
                    ValidationIssue(field: "targets[\($0.offset)].provider", message: "unknown provider '\($0.element.provider)'")
                })
            }
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
}
