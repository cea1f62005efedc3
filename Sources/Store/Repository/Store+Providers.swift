extension Store {
    /// Every provider, in list order.
    public func providers() async throws(StoreError) -> [Provider] {
        try await read { db, keyring throws(StoreError) in try ProviderTable.load(db, keyring) }
    }

    /// The provider named `name`, or `notFound`.
    public func provider(named name: String) async throws(StoreError) -> Provider {
        let found = try await read { db, keyring throws(StoreError) in try ProviderTable.load(db, keyring, name: name).first }
        guard let found else { throw .notFound(.provider, name) }
        return found
    }

    /// Creates a provider; `conflict` if the name is taken.
    @discardableResult
    public func createProvider(_ provider: Provider) async throws(StoreError) -> Provider {
        try Self.check(provider.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            if snapshot.providersByName[provider.name] != nil {
                throw .conflict("provider '\(provider.name)' already exists")
            }
            try ProviderTable.upsert(db, self.keyring, provider)
            return .changed(provider)
        }
    }

    /// Creates or replaces the provider with `provider.name` (idempotent PUT).
    @discardableResult
    public func putProvider(_ provider: Provider) async throws(StoreError) -> WriteOutcome {
        try Self.check(provider.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            let existing = snapshot.providersByName[provider.name]
            if existing == provider { return .unchanged(.unchanged) }
            try ProviderTable.upsert(db, self.keyring, provider)
            return .changed(existing == nil ? .created : .replaced)
        }
    }

    /// Reads, transforms and writes one provider atomically (PATCH); the name cannot change.
    @discardableResult
    public func updateProvider(
        named name: String, _ transform: @escaping @Sendable (inout Provider) throws(StoreError) -> Void
    ) async throws(StoreError) -> Provider {
        try await write { db, snapshot throws(StoreError) in
            guard var provider = snapshot.providersByName[name] else { throw .notFound(.provider, name) }
            let before = provider
            try transform(&provider)
            guard provider.name == name else { throw .invalid("name", "cannot be changed") }
            try Self.check(provider.validationIssues())
            if provider == before { return .unchanged(provider) }
            try ProviderTable.upsert(db, self.keyring, provider)
            return .changed(provider)
        }
    }

    /// Deletes a provider; `conflict` naming the credentials and routes that still use it.
    public func deleteProvider(named name: String) async throws(StoreError) {
        try await write { db, _ throws(StoreError) in
            let users = try ProviderTable.users(db, name: name)
            if !users.credentials.isEmpty || !users.routes.isEmpty {
                var parts: [String] = []
                if !users.credentials.isEmpty {
                    parts.append((users.credentials.count == 1 ? "credential " : "credentials ") + users.credentials.quotedList())
                }
                if !users.routes.isEmpty {
                    parts.append((users.routes.count == 1 ? "route " : "routes ") + users.routes.quotedList())
                }
                throw .conflict("provider '\(name)' is still used by " + parts.joined(separator: " and "))
            }
            guard try ProviderTable.delete(db, name: name) else { throw .notFound(.provider, name) }
            return .changed(())
        }
    }

    static func check(_ issues: [ValidationIssue]) throws(StoreError) {
        if !issues.isEmpty { throw .invalid(issues) }
    }
}
