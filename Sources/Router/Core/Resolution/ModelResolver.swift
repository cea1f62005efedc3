import Store

/// SPEC §5 model resolution: requested model → ordered candidate pools. Pure: reads only the
/// snapshot and its index.
public enum ModelResolver {
    /// Resolves `requested` (already stripped of its reasoning suffix) in rule order: route,
    /// `prefix/rest`, `provider/rest`, then provider globs and credential aliases.
    /// Throws `modelNotFound` when no rule yields a pool.
    public static func resolve(_ requested: RequestedModel, in snapshot: ConfigSnapshot,
                               index: RoutingIndex) throws(RoutingError) -> Resolution {
        let name = requested.name
        if let route = snapshot.routesByName[name] {
            let pools = route.targets.map { PoolKey(provider: $0.provider, selector: .serving(model: $0.model)) }
            return Resolution(kind: .route(name: route.name, strategy: route.strategy), model: requested, pools: pools)
        }
        if let slash = name.firstIndex(of: "/") {
            let head = String(name[..<slash])
            let rest = String(name[name.index(after: slash)...])
            if !rest.isEmpty, let providers = index.prefixProviders[head] {
                let pools = providers.map { PoolKey(provider: $0, selector: .prefixed(prefix: head, model: rest)) }
                return Resolution(kind: .prefix(head), model: requested, pools: pools)
            }
            if !rest.isEmpty, snapshot.providersByName[head] != nil {
                return Resolution(kind: .provider(head), model: requested,
                                  pools: [PoolKey(provider: head, selector: .serving(model: rest))])
            }
        }
        var pools: [PoolKey] = []
        for providerName in index.providerOrder {
            guard let provider = snapshot.providersByName[providerName],
                  ModelGlob.matchesAny(provider.models, name) else { continue }
            pools.append(PoolKey(provider: providerName, selector: .serving(model: name)))
        }
        let alias = name.lowercased()
        for providerName in index.aliasProviders[alias] ?? [] {
            pools.append(PoolKey(provider: providerName, selector: .aliased(alias: alias)))
        }
        guard !pools.isEmpty else { throw .modelNotFound(name) }
        return Resolution(kind: .match, model: requested, pools: pools)
    }
}
