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
    /// have an enabled credential allowed them, and their `prefix/model` forms. Globs cannot be
    /// listed and are left out. Order: routes, aliases, provider models; no duplicates.
    public static func listModels(for key: ClientKey?, in snapshot: ConfigSnapshot) -> [ListedModel] {
        var seen = Set<String>()
        var out: [ListedModel] = []
        func add(_ id: String, _ owner: String) {
            guard allows(id, for: key), seen.insert(id.lowercased()).inserted else { return }
            out.append(ListedModel(id: id, ownedBy: owner))
        }
        for route in snapshot.routes { add(route.name, "switchyard") }
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
        return out
    }
}

/// One entry of a model listing.
public struct ListedModel: Sendable, Equatable {
    public let id: String
    /// The provider serving it, or `switchyard` for a route.
    public let ownedBy: String
}
