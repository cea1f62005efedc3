import Store

/// Which credentials of one provider a pool holds; a pool is the unit selection rotates over
/// ("round-robin cursor per provider and model").
public struct PoolKey: Hashable, Sendable, CustomStringConvertible {
    /// How the pool's credentials were chosen.
    public enum Selector: Hashable, Sendable {
        /// Every credential of the provider allowed `model` by its own allow-list.
        case serving(model: String)
        /// Credentials carrying `prefix`, for `model` (a `prefix/model` request).
        case prefixed(prefix: String, model: String)
        /// Credentials with the alias (lower-cased); each member carries the aliased model, a
        /// credential listing the alias several times contributes a pool of models.
        case aliased(alias: String)
    }

    public let provider: String
    public let selector: Selector

    public init(provider: String, selector: Selector) {
        self.provider = provider
        self.selector = selector
    }

    public var description: String {
        switch selector {
        case .serving(let model): return "\(provider):\(model)"
        case .prefixed(let prefix, let model): return "\(provider):\(prefix)/\(model)"
        case .aliased(let alias): return "\(provider):alias:\(alias)"
        }
    }
}

/// One thing that can serve a request: a credential of a provider asked for an upstream model.
public struct Candidate: Hashable, Sendable, CustomStringConvertible {
    public let credentialID: String
    public let provider: String
    /// The model name sent upstream.
    public let model: String

    public init(credentialID: String, provider: String, model: String) {
        self.credentialID = credentialID
        self.provider = provider
        self.model = model
    }

    public var description: String { "\(credentialID)@\(provider):\(model)" }
}

/// How a requested model was resolved (SPEC §5), in rule order.
public enum ResolutionKind: Sendable, Equatable {
    /// Rule 1: a route and its strategy; targets are tried in route order.
    case route(name: String, strategy: RouteStrategy)
    /// Rule 2: `prefix/rest` with credentials carrying that prefix.
    case prefix(String)
    /// Rule 3: `provider/rest`.
    case provider(String)
    /// Rule 4: provider model globs and credential aliases.
    case match
}

/// The result of model resolution: ordered candidate pools, built lazily by the registry.
public struct Resolution: Sendable, Equatable {
    public let kind: ResolutionKind
    /// The requested model (suffix stripped); session bindings are scoped by it.
    public let model: RequestedModel
    /// Pools in their base order: route target order, or configuration order of providers.
    public let pools: [PoolKey]

    public init(kind: ResolutionKind, model: RequestedModel, pools: [PoolKey]) {
        self.kind = kind
        self.model = model
        self.pools = pools
    }

    /// True when pools are tried strictly in order (routes); otherwise pools are merged by tier
    /// and priority and the starting provider rotates per model.
    public var isOrdered: Bool {
        if case .route = kind { return true }
        return false
    }
}
