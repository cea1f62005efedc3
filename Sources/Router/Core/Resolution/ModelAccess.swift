import Store

/// Client-key model allow-lists (SPEC §4 client keys, §5 `GET /v1/models`).
public enum ModelAccess {
    /// Throws `modelNotAllowed` when `key` restricts models and none of its globs matches
    /// `model` (the name without reasoning suffix). A nil key (none required) allows everything.
    public static func check(_ model: RequestedModel, for key: ClientKey?) throws(RoutingError) {
        guard let key, !key.models.isEmpty else { return }
        guard ModelGlob.matchesAny(key.models, model.name) else { throw .modelNotAllowed(model.name) }
    }

    /// True when `key` may use `name`.
    public static func allows(_ name: String, for key: ClientKey?) -> Bool {
        guard let key, !key.models.isEmpty else { return true }
        return ModelGlob.matchesAny(key.models, name)
    }

    /// The model ids a client key may request, for `GET /v1/models` and `GET /v1beta/models`:
    /// route names, credential aliases, the literal (non-glob) models of enabled providers that
    /// have an enabled credential allowed them, and their `prefix/model` forms; then the literal
    /// names of the key's allow-list that resolve to a provider with such a credential (served
    /// through a glob, they would be missing otherwise). Globs cannot be listed and are left out.
    /// Order: routes, aliases, provider models, allow-listed names; no duplicates. Route names
    /// are matched exactly (two routes may differ only by case); other names without case.
    public static func listModels(for key: ClientKey?, in snapshot: ConfigSnapshot) -> [ListedModel] {
        var routeNames = Set<String>()
        var seen = Set<String>()
        var out: [ListedModel] = []
        func add(_ id: String, _ owner: String) {
            guard allows(id, for: key), !routeNames.contains(id), seen.insert(id.lowercased()).inserted else { return }
            out.append(ListedModel(id: id, ownedBy: owner))
        }
        for route in snapshot.routes where allows(route.name, for: key) && routeNames.insert(route.name).inserted {
            seen.insert(route.name.lowercased())
            out.append(ListedModel(id: route.name, ownedBy: "switchyard"))
        }
        let usable = snapshot.credentials.filter { $0.enabled && snapshot.providersByName[$0.provider]?.enabled == true }
        for credential in usable {
            for alias in credential.aliases { add(alias.alias, credential.provider) }
        }
        for provider in snapshot.providers where provider.enabled {
            let credentials = usable.filter { $0.provider == provider.name }
            for model in provider.models where !ModelGlob.isGlob(model) {
                for credential in credentials where credential.models.isEmpty || ModelGlob.matchesAny(credential.models, model) {
                    add(model, provider.name)
                    if let prefix = credential.prefix { add("\(prefix)/\(model)", provider.name) }
                }
            }
            for credential in credentials {
                for model in credential.models where !ModelGlob.isGlob(model) {
                    if ModelGlob.matchesAny(provider.models, model) { add(model, provider.name) }
                }
            }
        }
        if let key, !key.models.isEmpty {
            let index = RoutingIndex(snapshot)
            for name in key.models where !ModelGlob.isGlob(name) {
                guard let resolution = try? ModelResolver.resolve(RequestedModel(parsing: name), in: snapshot, index: index),
                      let pool = resolution.pools.first(where: { pool in usable.contains { $0.provider == pool.provider } })
                else { continue }
                add(name, pool.provider)
            }
        }
        return out
    }
}

/// One entry of a model listing.
public struct ListedModel: Sendable, Equatable {
    public let id: String
    /// The provider serving it, or `switchyard` for a route.
    public let ownedBy: String
}
