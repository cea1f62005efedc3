extension Store {
    /// The whole configuration as stored now (secrets decrypted: mask them before showing), and
    /// its version for ETags.
    public func exportConfiguration() -> (configuration: Configuration, version: UInt64) {
        let snapshot = snapshot
        return (snapshot.configuration, snapshot.version)
    }

    /// Replaces the whole configuration in one transaction (`PUT /v1/config`): validated as a
    /// whole first (`invalid` lists every issue); nothing is applied on any error. Items that
    /// remain keep their runtime state (cooldowns, bindings); items absent from `configuration`
    /// are deleted; lists take the document's order. With `expectedVersion`, fails with
    /// `versionMismatch` unless the configuration is still at that version (`If-Match`).
    ///
    /// Secrets are taken as given: to keep a stored secret the caller copies it from the
    /// snapshot whose version it passes as `expectedVersion`.
    @discardableResult
    public func replaceConfiguration(
        _ configuration: Configuration, expectedVersion: UInt64? = nil
    ) async throws(StoreError) -> ConfigSnapshot {
        try Self.check(configuration.validationIssues())
        let keyring = keyring
        let config = config
        try await write { db, snapshot throws(StoreError) -> Change<Void> in
            let current = try MetaTable.configVersion(db)
            if let expectedVersion, expectedVersion != current {
                throw .versionMismatch(current: current)
            }
            if snapshot.version == current, snapshot.configuration == configuration { return .unchanged(()) }
            try Self.apply(configuration, db, keyring)
            return .changed(())
        }
        return config.current
    }

    private static func apply(_ new: Configuration, _ db: SQLiteConnection, _ keyring: Keyring) throws(StoreError) {
        // What is stored now, read from the database itself (not from a snapshot).
        func stored(_ sql: String) throws(StoreError) -> [String] { try db.query(sql).map { $0.string(0) } }

        // Client keys carry no runtime state: rewrite them all, so a key hash may move between ids.
        try db.execute("DELETE FROM client_keys")
        for (position, provider) in new.providers.enumerated() {
            try ProviderTable.upsert(db, keyring, provider, position: position)
        }
        for (position, credential) in new.credentials.enumerated() {
            try CredentialTable.upsert(db, keyring, credential, position: position)
        }
        for (position, route) in new.routes.enumerated() { try RouteTable.upsert(db, route, position: position) }
        for (position, key) in new.clientKeys.enumerated() { try ClientKeyTable.upsert(db, key, position: position) }
        try SettingsTable.save(db, new.settings)

        // Then remove what the document no longer lists, users before what they use.
        let routeNames = Set(new.routes.map(\.name))
        for name in try stored("SELECT name FROM routes") where !routeNames.contains(name) {
            _ = try RouteTable.delete(db, name: name)
        }
        let credentialIDs = Set(new.credentials.map(\.id))
        for id in try stored("SELECT id FROM credentials") where !credentialIDs.contains(id) {
            _ = try CredentialTable.delete(db, id: id)
        }
        let providerNames = Set(new.providers.map(\.name))
        for name in try stored("SELECT name FROM providers") where !providerNames.contains(name) {
            _ = try ProviderTable.delete(db, name: name)
        }
    }

    /// Re-seals every stored secret under the current master key (after a rotation, with the
    /// old key in `SWITCHYARD_MASTER_KEY_PREVIOUS`); returns how many values were re-sealed.
    public func resealSecrets() async throws(StoreError) -> Int {
        let keyring = keyring
        return try await writer.run { db throws(StoreError) in
            try db.transaction { () throws(StoreError) -> Int in
                try CredentialTable.reseal(db, keyring) + ProviderTable.reseal(db, keyring)
            }
        }
    }
}
