import Foundation

extension Store {
    /// The current settings.
    public func settings() async throws(StoreError) -> Settings {
        try await read { db, _ throws(StoreError) in try SettingsTable.load(db) }
    }

    /// Replaces the settings.
    @discardableResult
    public func replaceSettings(_ settings: Settings) async throws(StoreError) -> Settings {
        try await updateSettings { $0 = settings }
    }

    /// Reads, transforms and writes the settings atomically (PATCH); returns the result.
    @discardableResult
    public func updateSettings(
        _ transform: @escaping @Sendable (inout Settings) throws(StoreError) -> Void
    ) async throws(StoreError) -> Settings {
        try await write { db, snapshot throws(StoreError) in
            var settings = snapshot.settings
            try transform(&settings)
            try Self.check(settings.validationIssues())
            if settings == snapshot.settings { return .unchanged(settings) }
            try SettingsTable.save(db, settings)
            return .changed(settings)
        }
    }

    /// The stored admin token hash, if any (also in `snapshot.adminTokenHash`).
    public func adminTokenHash() -> KeyHash? { snapshot.adminTokenHash }

    /// Stores the admin token's hash (never the token).
    public func setAdminTokenHash(_ hash: KeyHash, now: Date) async throws(StoreError) {
        let nowMilliseconds = Timestamp.milliseconds(now)
        try await write { db, snapshot throws(StoreError) in
            if snapshot.adminTokenHash == hash { return .unchanged(()) }
            try MetaTable.setAdminTokenHash(db, hash, nowMilliseconds: nowMilliseconds)
            return .changed(())
        }
    }

    /// Shortest admin token accepted from the environment.
    public static let minimumAdminTokenLength = 16

    /// SPEC §2: with `SWITCHYARD_ADMIN_TOKEN` set, stores its hash and returns nil; otherwise, on
    /// first start (no hash stored), generates a token, stores its hash and returns it so the
    /// caller prints it once to stderr. Later starts return nil.
    public func bootstrapAdminToken(environmentToken: String?, now: Date) async throws(StoreError) -> Secret? {
        if let token = environmentToken?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            guard token.count >= Self.minimumAdminTokenLength else {
                throw .invalid("SWITCHYARD_ADMIN_TOKEN", "must be at least \(Self.minimumAdminTokenLength) characters")
            }
            try await setAdminTokenHash(KeyHash(of: token), now: now)
            return nil
        }
        let token = RandomKey.clientKey()
        let hash = KeyHash(of: token)
        let nowMilliseconds = Timestamp.milliseconds(now)
        let created = try await write { db, snapshot throws(StoreError) -> Change<Bool> in
            if snapshot.adminTokenHash != nil { return .unchanged(false) }
            try MetaTable.setAdminTokenHash(db, hash, nowMilliseconds: nowMilliseconds)
            return .changed(true)
        }
        return created ? token : nil
    }
}
