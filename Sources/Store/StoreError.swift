/// One problem found while validating a value, with the field it concerns (dotted path).
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    /// The offending field, e.g. `name`, `targets[1].provider`, `credentials[0].tier`.
    public var field: String
    /// A human-readable explanation.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Kinds of configuration resources, used to name what was not found.
public enum ResourceKind: String, Sendable, Equatable {
    case provider, credential, route, clientKey = "client key"
}

/// Every error the Store throws; callers (the admin API) map each case to one HTTP status.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The resource does not exist (404).
    case notFound(ResourceKind, String)
    /// The change clashes with existing state; the message names what uses or holds it (409).
    case conflict(String)
    /// The value breaks a rule; every issue found is listed (422).
    case invalid([ValidationIssue])
    /// An optimistic-concurrency check failed: the configuration is at `current` now (412).
    case versionMismatch(current: UInt64)
    /// The database holds migrations this binary does not know: it was written by a newer Switchyard.
    case newerDatabase(unknownMigrations: [String])
    /// The master key is missing, malformed, or its key file is unusable.
    case masterKey(String)
    /// A ciphertext could not be opened: wrong key, unknown key id, or tampered data.
    case decryption(String)
    /// SQLite or the file system failed.
    case storage(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): return "\(kind.rawValue) '\(id)' not found"
        case .conflict(let message): return "conflict: \(message)"
        case .invalid(let issues): return "invalid: " + issues.map(\.description).joined(separator: "; ")
        case .versionMismatch(let current): return "configuration changed meanwhile (now at version \(current))"
        case .newerDatabase(let names):
            return "the database was migrated by a newer Switchyard (unknown migrations: "
                + names.joined(separator: ", ") + "); refusing to open it with this binary"
        case .masterKey(let message): return "master key: \(message)"
        case .decryption(let message): return "decryption failed: \(message)"
        case .storage(let message): return "storage: \(message)"
        }
    }

    /// Shorthand for a single validation issue.
    static func invalid(_ field: String, _ message: String) -> StoreError {
        .invalid([ValidationIssue(field: field, message: message)])
    }
}
