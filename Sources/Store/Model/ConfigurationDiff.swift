/// What replacing one configuration with another would change (`PUT /v1/config?dry_run=true`).
public struct ConfigurationDiff: Sendable, Equatable {
    /// Keys (names or ids) created, updated and deleted within one resource kind, in document order.
    public struct Changes: Sendable, Equatable {
        public var created: [String] = []
        public var updated: [String] = []
        public var deleted: [String] = []

        public var isEmpty: Bool { created.isEmpty && updated.isEmpty && deleted.isEmpty }

        init<T: Equatable>(old: [T], new: [T], key: (T) -> String) {
            let before = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            let after = Set(new.map(key))
            for item in new {
                switch before[key(item)] {
                case nil: created.append(key(item))
                case let previous? where previous != item: updated.append(key(item))
                default: break
                }
            }
            deleted = old.map(key).filter { !after.contains($0) }
        }
    }

    public var providers: Changes
    public var credentials: Changes
    public var routes: Changes
    public var clientKeys: Changes
    /// Dotted paths of settings whose value changes.
    public var settings: [String]
    /// True when list order alone changes (which matters for alias resolution).
    public var reordered: Bool

    public var isEmpty: Bool {
        providers.isEmpty && credentials.isEmpty && routes.isEmpty && clientKeys.isEmpty && settings.isEmpty && !reordered
    }

    /// The changes that turn `old` into `new`. Secrets are compared by value and never included.
    public init(from old: Configuration, to new: Configuration) {
        providers = Changes(old: old.providers, new: new.providers, key: \.name)
        credentials = Changes(old: old.credentials, new: new.credentials, key: \.id)
        routes = Changes(old: old.routes, new: new.routes, key: \.name)
        clientKeys = Changes(old: old.clientKeys, new: new.clientKeys, key: \.id)
        settings = Settings.fields.filter { $0.value(in: old.settings) != $0.value(in: new.settings) }.map(\.path)
        func order<T>(_ list: [T], _ kept: Set<String>, _ key: (T) -> String) -> [String] {
            list.map(key).filter { kept.contains($0) }
        }
        let keptProviders = Set(old.providers.map(\.name)).intersection(new.providers.map(\.name))
        let keptCredentials = Set(old.credentials.map(\.id)).intersection(new.credentials.map(\.id))
        let keptRoutes = Set(old.routes.map(\.name)).intersection(new.routes.map(\.name))
        let keptKeys = Set(old.clientKeys.map(\.id)).intersection(new.clientKeys.map(\.id))
        reordered = order(old.providers, keptProviders, \.name) != order(new.providers, keptProviders, \.name)
            || order(old.credentials, keptCredentials, \.id) != order(new.credentials, keptCredentials, \.id)
            || order(old.routes, keptRoutes, \.name) != order(new.routes, keptRoutes, \.name)
            || order(old.clientKeys, keptKeys, \.id) != order(new.clientKeys, keptKeys, \.id)
    }
}
