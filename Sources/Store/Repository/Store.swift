import Foundation

/// What a create-or-replace did.
public enum WriteOutcome: Sendable, Equatable {
    case created
    case replaced
    /// The stored value was already identical; nothing was written and the version did not move.
    case unchanged
}

/// The configuration store: typed, transactional access to one SQLite database, with secrets
/// sealed at rest and an immutable `ConfigSnapshot` swapped whole after every committed change.
///
/// All writes run on one serial queue in `BEGIN IMMEDIATE` transactions; reads of single
/// resources use a second connection (WAL lets it read while a write is in progress). The
/// snapshot is rebuilt inside the writing transaction and installed right after the commit,
/// before the writing call returns.
public final class Store: Sendable {
    /// Path of the database file.
    public let path: String
    /// The snapshot holder the router reads from.
    public let config: ConfigHolder
    let writer: DatabaseQueue
    let reader: DatabaseQueue
    let keyring: Keyring

    /// The configuration in force now (cheap; read once per request).
    public var snapshot: ConfigSnapshot { config.current }

    /// Opens (creating and migrating) the database with a master key from the environment
    /// (`SWITCHYARD_MASTER_KEY`) or the key file beside the database.
    public static func open(path: String, environment: [String: String], now: Date) async throws(StoreError) -> Store {
        let keyring = try Keyring.load(environment: environment, databasePath: path)
        return try await open(path: path, keyring: keyring, now: now)
    }

    /// Opens (creating and migrating) the database with an explicit keyring. Fails with
    /// `newerDatabase` if the file carries migrations this binary does not know, and with
    /// `decryption` if its secrets were sealed with a key the keyring lacks.
    public static func open(path: String, keyring: Keyring, now: Date) async throws(StoreError) -> Store {
        try await open(path: path, keyring: keyring, migrations: Schema.migrations, now: now)
    }

    static func open(path: String, keyring: Keyring, migrations: [Migration], now: Date) async throws(StoreError) -> Store {
        let writer = try DatabaseQueue(path: path, label: "writer")
        let nowMilliseconds = Timestamp.milliseconds(now)
        let (snapshot, applied) = try await writer.run { db throws(StoreError) in
            let applied = try Migrator(migrations: migrations).migrate(db, nowMilliseconds: nowMilliseconds)
            return (try Store.loadSnapshot(db, keyring, version: MetaTable.configVersion(db)), applied)
        }
        let reader = try DatabaseQueue(path: path, label: "reader")
        return Store(path: path, writer: writer, reader: reader, keyring: keyring, snapshot: snapshot, migrationsApplied: applied)
    }

    private init(path: String, writer: DatabaseQueue, reader: DatabaseQueue, keyring: Keyring, snapshot: ConfigSnapshot,
                 migrationsApplied: [String]) {
        self.path = path
        self.writer = writer
        self.reader = reader
        self.keyring = keyring
        self.migrationsApplied = migrationsApplied
        config = ConfigHolder(snapshot)
    }

    /// The migrations this open applied (empty when the database was already current).
    public let migrationsApplied: [String]

    /// Closes both connections after queued work; later calls fail with `storage`.
    public func close() {
        reader.close()
        writer.close()
    }

    /// Runs `PRAGMA integrity_check`; true when SQLite reports `ok`.
    public func integrityCheck() async throws(StoreError) -> Bool {
        try await reader.run { db throws(StoreError) in
            try db.query("PRAGMA integrity_check").first?.string(0) == "ok"
        }
    }

    // MARK: - Internals shared by the repository files

    /// The result of a write body: whether the configuration changed.
    enum Change<T: Sendable>: Sendable {
        case changed(T)
        case unchanged(T)
    }

    /// Runs `body` in a write transaction with the current snapshot. On `.changed` the version
    /// is bumped and a new snapshot built inside the transaction, then installed after commit.
    func write<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection, ConfigSnapshot) throws(StoreError) -> Change<T>
    ) async throws(StoreError) -> T {
        let keyring = keyring
        let config = config
        return try await writer.run { db throws(StoreError) in
            let current = config.current
            let (value, next) = try db.transaction { () throws(StoreError) -> (T, ConfigSnapshot?) in
                switch try body(db, current) {
                case .unchanged(let value):
                    return (value, nil)
                case .changed(let value):
                    let version = try MetaTable.bumpConfigVersion(db)
                    return (value, try Store.loadSnapshot(db, keyring, version: version))
                }
            }
            if let next { config.install(next) }
            return value
        }
    }

    /// Runs `body` on the read connection, in one read transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection, Keyring) throws(StoreError) -> T) async throws(StoreError) -> T {
        let keyring = keyring
        return try await reader.run { db throws(StoreError) in
            try db.transaction(readOnly: true) { () throws(StoreError) -> T in try body(db, keyring) }
        }
    }

    static func loadSnapshot(_ db: SQLiteConnection, _ keyring: Keyring, version: UInt64) throws(StoreError) -> ConfigSnapshot {
        let configuration = Configuration(
            providers: try ProviderTable.load(db, keyring),
            credentials: try CredentialTable.load(db, keyring),
            routes: try RouteTable.load(db),
            clientKeys: try ClientKeyTable.load(db),
            settings: try SettingsTable.load(db))
        return ConfigSnapshot(version: version, configuration: configuration,
                              adminTokenHash: try MetaTable.adminTokenHash(db))
    }
}

extension Array where Element == String {
    /// `'a', 'b' and 'c'` for messages.
    func quotedList() -> String {
        let quoted = map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
    }
}
