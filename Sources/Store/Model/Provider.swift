/// The wire dialect an upstream provider speaks.
public enum ProviderType: String, Sendable, Equatable, CaseIterable {
    /// Any OpenAI-compatible server; `base_url` includes the version path.
    case openai
    /// The Anthropic Messages API; `base_url` is the API root.
    case anthropic
    /// The Google Gemini API; `base_url` is the API root.
    case gemini
}

/// What a 429 cools down: one model on the credential, or the whole credential.
public enum QuotaScope: String, Sendable, Equatable, CaseIterable {
    case model, credential
}

/// An upstream provider (SPEC §4 `/v1/providers`).
public struct Provider: Sendable, Equatable {
    /// Unique slug (`[a-z0-9][a-z0-9_-]*`, at most 64 characters).
    public var name: String
    public var type: ProviderType
    /// As that provider's SDK takes it (see SPEC §4).
    public var baseURL: String
    /// Extra static headers sent upstream. Values are sealed at rest, since some carry tokens.
    public var headers: [String: String]
    /// Model names or globs (`claude-*`) this provider serves.
    public var models: [String]
    public var quotaScope: QuotaScope
    public var allowPrivateNetwork: Bool
    public var enabled: Bool

    public init(
        name: String, type: ProviderType, baseURL: String, headers: [String: String] = [:],
        models: [String] = [], quotaScope: QuotaScope = .model, allowPrivateNetwork: Bool = false,
        enabled: Bool = true
    ) {
        self.name = name
        self.type = type
        self.baseURL = baseURL
        self.headers = headers
        self.models = models
        self.quotaScope = quotaScope
        self.allowPrivateNetwork = allowPrivateNetwork
        self.enabled = enabled
    }
}
