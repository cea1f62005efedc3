import Foundation

/// Rows of `credentials`, `credential_models` and `credential_aliases` (secret sealed).
enum CredentialTable {
    /// Credentials in creation order with decrypted secrets; only `id` when given.
    static func load(_ db: SQLiteConnection, _ keyring: Keyring, id: String? = nil) throws(StoreError) -> [Credential] {
        let key = SQLValue.optionalText(id)
        let rows = try db.query("""
            SELECT id, provider, label, secret_kind, secret_sealed, tier, priority, prefix, enabled
            FROM credentials WHERE (?1 IS NULL OR id = ?1) ORDER BY position, rowid
            """, [key])
        let models = try db.query("""
            SELECT credential_id, pattern FROM credential_models
            WHERE (?1 IS NULL OR credential_id = ?1) ORDER BY credential_id, position
            """, [key]).grouped()
        let aliases = try db.query("""
            SELECT credential_id, alias, model FROM credential_aliases
            WHERE (?1 IS NULL OR credential_id = ?1) ORDER BY credential_id, position
            """, [key]).grouped()
        var credentials: [Credential] = []
        credentials.reserveCapacity(rows.count)
        for row in rows {
            let id = row.string(0)
            let secret = try SecretCodec.decode(kind: row.string(3), sealed: row.blob(4), credentialID: id, keyring: keyring)
            credentials.append(Credential(
                id: id, provider: row.string(1), label: row.string(2), secret: secret, tier: row.int(5),
                priority: row.int(6), prefix: row.optionalString(7),
                models: (models[id] ?? []).map { $0.string(1) },
                aliases: (aliases[id] ?? []).map { ModelAlias(alias: $0.string(1), model: $0.string(2)) },
                enabled: row.bool(8)))
        }
        return credentials
    }

    /// Inserts or replaces `credential`, sealing its secret with a fresh nonce. `position` as for providers.
    static func upsert(_ db: SQLiteConnection, _ keyring: Keyring, _ credential: Credential, position: Int? = nil) throws(StoreError) {
        let sealed = try SecretCodec.encode(credential.secret, credentialID: credential.id, keyring: keyring)
        try db.execute("""
            INSERT INTO credentials (id, provider, label, secret_kind, secret_sealed, secret_hint, tier, priority,
                prefix, enabled, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                COALESCE(?11, (SELECT COALESCE(MAX(position), 0) + 1 FROM credentials)))
            ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, label = excluded.label,
                secret_kind = excluded.secret_kind, secret_sealed = excluded.secret_sealed,
                secret_hint = excluded.secret_hint, tier = excluded.tier, priority = excluded.priority,
                prefix = excluded.prefix, enabled = excluded.enabled, position = COALESCE(?11, position)
            """, [.text(credential.id), .text(credential.provider), .text(credential.label),
                  .text(credential.secret.kind), .blob(sealed), .text(credential.secret.hint),
                  .int(credential.tier), .int(credential.priority), .optionalText(credential.prefix),
                  .bool(credential.enabled), position.map(SQLValue.int) ?? .null])
        try db.execute("DELETE FROM credential_models WHERE credential_id = ?", [.text(credential.id)])
        for (position, pattern) in credential.models.enumerated() {
            try db.execute("INSERT INTO credential_models (credential_id, position, pattern) VALUES (?, ?, ?)",
                           [.text(credential.id), .int(position), .text(pattern)])
        }
        try db.execute("DELETE FROM credential_aliases WHERE credential_id = ?", [.text(credential.id)])
        for (position, alias) in credential.aliases.enumerated() {
            try db.execute("INSERT INTO credential_aliases (credential_id, position, alias, model) VALUES (?, ?, ?, ?)",
                           [.text(credential.id), .int(position), .text(alias.alias), .text(alias.model)])
        }
    }

    /// Deletes the credential (its runtime state cascades); false if it did not exist.
    static func delete(_ db: SQLiteConnection, id: String) throws(StoreError) -> Bool {
        try db.execute("DELETE FROM credentials WHERE id = ?", [.text(id)])
        return db.changes > 0
    }

    /// Re-seals secrets under the current key; returns how many changed.
    static func reseal(_ db: SQLiteConnection, _ keyring: Keyring) throws(StoreError) -> Int {
        var count = 0
        for row in try db.query("SELECT id, secret_kind, secret_sealed FROM credentials") {
            guard SecretBox.keyID(of: row.blob(2)) != keyring.current.id else { continue }
            let id = row.string(0)
            let secret = try SecretCodec.decode(kind: row.string(1), sealed: row.blob(2), credentialID: id, keyring: keyring)
            try db.execute("UPDATE credentials SET secret_sealed = ? WHERE id = ?",
                           [.blob(try SecretCodec.encode(secret, credentialID: id, keyring: keyring)), .text(id)])
            count += 1
        }
        return count
    }
}

/// Serialises a `CredentialSecret` to sealed bytes: an API key as its UTF-8, OAuth tokens as
/// JSON; the credential id and kind are bound in as authenticated data.
enum SecretCodec {
    private struct OAuthPayload: Codable {
        var access_token: String
        var refresh_token: String?
        var expires_at_ms: Int64?
        var token_url: String?
        var client_id: String?
    }

    static func encode(_ secret: CredentialSecret, credentialID: String, keyring: Keyring) throws(StoreError) -> [UInt8] {
        let plain: [UInt8]
        switch secret {
        case .apiKey(let key):
            plain = Array(key.reveal().utf8)
        case .oauth(let token):
            let payload = OAuthPayload(
                access_token: token.accessToken.reveal(), refresh_token: token.refreshToken?.reveal(),
                expires_at_ms: token.expiresAt.map(Timestamp.milliseconds), token_url: token.tokenURL,
                client_id: token.clientID)
            do { plain = Array(try JSONEncoder().encode(payload)) } catch {
                throw .storage("cannot encode OAuth tokens")
            }
        }
        return try SecretBox.seal(plain, context: context(credentialID, secret.kind), keyring: keyring)
    }

    static func decode(kind: String, sealed: [UInt8], credentialID: String, keyring: Keyring) throws(StoreError) -> CredentialSecret {
        let plain: [UInt8]
        do { plain = try SecretBox.open(sealed, context: context(credentialID, kind), keyring: keyring) } catch {
            if case .decryption(let message) = error { throw .decryption("credential '\(credentialID)': \(message)") }
            throw error
        }
        switch kind {
        case "api_key":
            return .apiKey(Secret(String(decoding: plain, as: UTF8.self)))
        case "oauth":
            guard let payload = try? JSONDecoder().decode(OAuthPayload.self, from: Data(plain)) else {
                throw .storage("credential '\(credentialID)' has unreadable OAuth tokens")
            }
            return .oauth(OAuthToken(
                accessToken: Secret(payload.access_token), refreshToken: payload.refresh_token.map(Secret.init),
                expiresAt: payload.expires_at_ms.map { Timestamp.date(milliseconds: $0) },
                tokenURL: payload.token_url, clientID: payload.client_id))
        default:
            throw .storage("credential '\(credentialID)' has unknown secret kind '\(kind)'")
        }
    }

    private static func context(_ id: String, _ kind: String) -> String { "credential\u{0}\(id)\u{0}\(kind)" }
}
