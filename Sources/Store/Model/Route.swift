/// How a route walks its targets.
public enum RouteStrategy: String, Sendable, Equatable, CaseIterable {
    /// Targets in order.
    case fallback
    /// Rotate the first target per request, then fail over through the rest.
    case roundRobin = "round-robin"
}

/// One target of a route: a provider and the upstream model name to ask it for.
public struct RouteTarget: Sendable, Equatable, Hashable {
    public var provider: String
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }
}

/// A client-visible model name mapped to ordered targets (SPEC §4 `/v1/routes`).
public struct Route: Sendable, Equatable {
    public var name: String
    public var targets: [RouteTarget]
    public var strategy: RouteStrategy

    public init(name: String, targets: [RouteTarget], strategy: RouteStrategy = .fallback) {
        self.name = name
        self.targets = targets
        self.strategy = strategy
    }
}
