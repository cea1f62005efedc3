import Foundation

/// A key clients use to call the gateway; only its hash and a masked hint are kept
/// (SPEC §4 `/v1/client-keys`).
public struct ClientKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var keyHash: KeyHash
    /// Masked form of the key, e.g. `sy-…x7Qa`.
    public var hint: String
    /// Optional allow-list of models (names or globs); empty means every model.
    public var models: [String]
    public var enabled: Bool
    /// Creation time, normalised to milliseconds.
    public var createdAt: Date

    public init(id: String, name: String, keyHash: KeyHash, hint: String, models: [String] = [],
                enabled: Bool = true, createdAt: Date) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.hint = hint
        self.models = models
        self.enabled = enabled
        self.createdAt = Timestamp.normalized(createdAt)
    }

    /// Generates a new random key (`sy-…`) and the record that stores only its hash. The
    /// returned secret must be shown to the caller once and then forgotten.
    public static func issue(id: String = RandomKey.identifier(prefix: "key"), name: String,
                             models: [String] = [], enabled: Bool = true, now: Date) -> (ClientKey, Secret) {
        let key = RandomKey.clientKey()
        let record = ClientKey(id: id, name: name, keyHash: KeyHash(of: key), hint: key.hint,
                               models: models, enabled: enabled, createdAt: now)
        return (record, key)
    }
}
