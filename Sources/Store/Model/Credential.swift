import Foundation

/// One entry of a credential's alias list; an alias listed with several models is a pool.
public struct ModelAlias: Sendable, Equatable, Hashable {
    public var alias: String
    public var model: String

    public init(alias: String, model: String) {
        self.alias = alias
        self.model = model
    }
}

/// OAuth tokens of a credential; refreshed before `expiresAt` by the router's refresher.
public struct OAuthToken: Sendable, Equatable {
    public var accessToken: Secret
    public var refreshToken: Secret?
    public var expiresAt: Date?
    public var tokenURL: String?
    public var clientID: String?

    public init(accessToken: Secret, refreshToken: Secret? = nil, expiresAt: Date? = nil,
                tokenURL: String? = nil, clientID: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt.map(Timestamp.normalized)
        self.tokenURL = tokenURL
        self.clientID = clientID
    }
}

/// How a credential authenticates upstream: an API key or OAuth tokens (write-only on the API).
public enum CredentialSecret: Sendable, Equatable {
    case apiKey(Secret)
    case oauth(OAuthToken)

    /// A masked hint of the key (or access token), e.g. `sk-…9f2c`.
    public var hint: String {
        switch self {
        case .apiKey(let key): return key.hint
        case .oauth(let token): return token.accessToken.hint
        }
    }

    /// `api_key` or `oauth`.
    public var kind: String {
        switch self {
        case .apiKey: return "api_key"
        case .oauth: return "oauth"
        }
    }
}

/// An upstream credential of a provider (SPEC §4 `/v1/credentials`).
public struct Credential: Sendable, Equatable {
    public var id: String
    /// The provider's name.
    public var provider: String
    public var label: String
    public var secret: CredentialSecret
    /// Lower tiers are tried first (default 0).
    public var tier: Int
    /// Higher priorities are tried first within a tier (default 0).
    public var priority: Int
    /// Requests for `prefix/model` go only to credentials with that prefix.
    public var prefix: String?
    /// Optional allow-list (names or globs) narrowing the provider's models; empty means no narrowing.
    public var models: [String]
    public var aliases: [ModelAlias]
    public var enabled: Bool

    public init(
        id: String, provider: String, label: String = "", secret: CredentialSecret, tier: Int = 0,
        priority: Int = 0, prefix: String? = nil, models: [String] = [], aliases: [ModelAlias] = [],
        enabled: Bool = true
    ) {
        self.id = id
        self.provider = provider
        self.label = label
        self.secret = secret
        self.tier = tier
        self.priority = priority
        self.prefix = prefix
        self.models = models
        self.aliases = aliases
        self.enabled = enabled
    }
}

/// Times are stored as Unix milliseconds; values are normalised to that precision on the way in
/// so that what is written compares equal to what is read back.
enum Timestamp {
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
    static func normalized(_ date: Date) -> Date { Self.date(milliseconds: milliseconds(date)) }
}
