import Foundation

/// A 256-bit AES key that seals secrets at rest, identified by a key id derived from it.
public struct MasterKey: Sendable, CustomStringConvertible {
    let bytes: [UInt8]
    /// Eight bytes derived from the key (not the key); stored with every ciphertext.
    public let id: [UInt8]

    /// Wraps raw key bytes; exactly 32 are required.
    public init(bytes: [UInt8]) throws(StoreError) {
        guard bytes.count == 32 else {
            throw .masterKey("a master key must be exactly 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
        id = Array(Digest.sha256(Array("switchyard master key id\u{0}".utf8) + bytes).prefix(8))
    }

    /// Parses the base64 form used by `SWITCHYARD_MASTER_KEY`.
    public init(base64: String) throws(StoreError) {
        let trimmed = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw .masterKey("not valid base64 (expected base64 of exactly 32 bytes, e.g. `openssl rand -base64 32`)")
        }
        guard data.count == 32 else {
            throw .masterKey("decodes to \(data.count) bytes; expected exactly 32 (e.g. `openssl rand -base64 32`)")
        }
        try self.init(bytes: Array(data))
    }

    /// A fresh random key.
    public static func generate() -> MasterKey {
        // 32 random bytes always satisfy the length check.
        try! MasterKey(bytes: RandomKey.bytes(32))
    }

    /// The key id in hexadecimal, safe to log.
    public var idHex: String { Digest.hex(id) }

    /// The key in base64, for moving a key file's content into `SWITCHYARD_MASTER_KEY`.
    public func base64() -> Secret { Secret(Data(bytes).base64EncodedString()) }

    public var description: String { "MasterKey(id: \(idHex))" }
}

/// The current master key plus older ones still accepted for decryption (key rotation).
public struct Keyring: Sendable {
    /// Seals every new ciphertext.
    public let current: MasterKey
    private let byID: [[UInt8]: MasterKey]

    public init(current: MasterKey, previous: [MasterKey] = []) {
        self.current = current
        var byID: [[UInt8]: MasterKey] = [:]
        for key in previous { byID[key.id] = key }
        byID[current.id] = current
        self.byID = byID
    }

    /// The key with this id, if known.
    func key(id: [UInt8]) -> MasterKey? { byID[id] }

    /// Environment variable holding the base64 master key.
    public static let environmentVariable = "SWITCHYARD_MASTER_KEY"
    /// Optional comma-separated base64 keys still accepted for decryption after a rotation.
    public static let previousEnvironmentVariable = "SWITCHYARD_MASTER_KEY_PREVIOUS"

    /// The key file used when the environment has no key: `<database>.key` beside the database.
    public static func keyFilePath(forDatabase databasePath: String) -> String { databasePath + ".key" }

    /// Loads the keyring: `SWITCHYARD_MASTER_KEY` if set (base64 of exactly 32 bytes; anything
    /// else is an error), else the key file beside the database, created (mode 0600) if absent.
    public static func load(environment: [String: String], databasePath: String) throws(StoreError) -> Keyring {
        var previous: [MasterKey] = []
        if let list = environment[previousEnvironmentVariable], !list.isEmpty {
            for item in list.split(separator: ",") {
                do { previous.append(try MasterKey(base64: String(item))) } catch {
                    throw .masterKey("\(previousEnvironmentVariable): \(error)")
                }
            }
        }
        if let value = environment[environmentVariable] {
            do { return Keyring(current: try MasterKey(base64: value), previous: previous) } catch {
                throw .masterKey("\(environmentVariable) \(error)")
            }
        }
        let key = try KeyFile.loadOrCreate(path: keyFilePath(forDatabase: databasePath))
        return Keyring(current: key, previous: previous)
    }
}
