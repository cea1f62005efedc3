/// An immutable, internally consistent view of the configuration (secrets decrypted) with
/// lookup indexes, read once per request. A new snapshot with a higher `version` replaces it
/// whole after each committed change.
public final class ConfigSnapshot: Sendable {
    /// Increases with every committed configuration change; persisted, so it survives restarts.
    public let version: UInt64
    public let configuration: Configuration
    /// Hash of the admin token, if one was set.
    public let adminTokenHash: KeyHash?

    public let providersByName: [String: Provider]
    public let credentialsByID: [String: Credential]
    /// Credentials of each provider, in configuration order.
    public let credentialsByProvider: [String: [Credential]]
    public let routesByName: [String: Route]
    public let clientKeysByID: [String: ClientKey]
    public let clientKeysByHash: [KeyHash: ClientKey]

    public init(version: UInt64, configuration: Configuration, adminTokenHash: KeyHash?) {
        self.version = version
        self.configuration = configuration
        self.adminTokenHash = adminTokenHash
        providersByName = Dictionary(configuration.providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        credentialsByID = Dictionary(configuration.credentials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        credentialsByProvider = Dictionary(grouping: configuration.credentials, by: \.provider)
        routesByName = Dictionary(configuration.routes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        clientKeysByID = Dictionary(configuration.clientKeys.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        clientKeysByHash = Dictionary(configuration.clientKeys.map { ($0.keyHash, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// An empty configuration at version 0.
    public static let empty = ConfigSnapshot(version: 0, configuration: Configuration(), adminTokenHash: nil)

    public var providers: [Provider] { configuration.providers }
    public var credentials: [Credential] { configuration.credentials }
    public var routes: [Route] { configuration.routes }
    public var clientKeys: [ClientKey] { configuration.clientKeys }
    public var settings: Settings { configuration.settings }

    /// The client key a presented key belongs to (enabled or not), compared by hash in constant time.
    public func clientKey(presented key: String) -> ClientKey? {
        let hash = KeyHash(of: key)
        guard let found = clientKeysByHash[hash], found.keyHash.constantTimeEquals(hash) else { return nil }
        return found
    }

    /// True when `token` is the admin token (constant-time; false when none is set).
    public func isAdminToken(_ token: String) -> Bool {
        guard let adminTokenHash else { return false }
        return adminTokenHash.matches(token)
    }
}
