extension Store {
    /// Every credential with its decrypted secret, in list order.
    public func credentials() async throws(StoreError) -> [Credential] {
        try await read { db, keyring throws(StoreError) in try CredentialTable.load(db, keyring) }
    }

    /// The credential with `id`, or `notFound`.
    public func credential(id: String) async throws(StoreError) -> Credential {
        let found = try await read { db, keyring throws(StoreError) in try CredentialTable.load(db, keyring, id: id).first }
        guard let found else { throw .notFound(.credential, id) }
        return found
    }

    /// Creates a credential; `conflict` if the id is taken, `invalid` if its provider is unknown.
    @discardableResult
    public func createCredential(_ credential: Credential) async throws(StoreError) -> Credential {
        try Self.check(credential.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            if snapshot.credentialsByID[credential.id] != nil {
                throw .conflict("credential '\(credential.id)' already exists")
            }
            try Self.checkProvider(credential, in: snapshot)
            try CredentialTable.upsert(db, self.keyring, credential)
            return .changed(credential)
        }
    }

    /// Creates or replaces the credential with `credential.id` (idempotent PUT: an identical
    /// value writes nothing, so the sealed secret is not even re-encrypted).
    @discardableResult
    public func putCredential(_ credential: Credential) async throws(StoreError) -> WriteOutcome {
        try Self.check(credential.validationIssues())
        return try await write { db, snapshot throws(StoreError) in
            let existing = snapshot.credentialsByID[credential.id]
            if existing == credential { return .unchanged(.unchanged) }
            try Self.checkProvider(credential, in: snapshot)
            try CredentialTable.upsert(db, self.keyring, credential)
            return .changed(existing == nil ? .created : .replaced)
        }
    }

    /// Reads, transforms and writes one credential atomically (PATCH, OAuth refresh); the id
    /// cannot change.
    @discardableResult
    public func updateCredential(
        id: String, _ transform: @escaping @Sendable (inout Credential) throws(StoreError) -> Void
    ) async throws(StoreError) -> Credential {
        try await write { db, snapshot throws(StoreError) in
            guard var credential = snapshot.credentialsByID[id] else { throw .notFound(.credential, id) }
            let before = credential
            try transform(&credential)
            guard credential.id == id else { throw .invalid("id", "cannot be changed") }
            try Self.check(credential.validationIssues())
            if credential == before { return .unchanged(credential) }
            try Self.checkProvider(credential, in: snapshot)
            try CredentialTable.upsert(db, self.keyring, credential)
            return .changed(credential)
        }
    }

    /// Deletes a credential and its runtime state (cooldowns, session bindings).
    public func deleteCredential(id: String) async throws(StoreError) {
        try await write { db, _ throws(StoreError) in
            guard try CredentialTable.delete(db, id: id) else { throw .notFound(.credential, id) }
            return .changed(())
        }
    }

    private static func checkProvider(_ credential: Credential, in snapshot: ConfigSnapshot) throws(StoreError) {
        if snapshot.providersByName[credential.provider] == nil {
            throw .invalid("provider", "unknown provider '\(credential.provider)'")
        }
    }
}
