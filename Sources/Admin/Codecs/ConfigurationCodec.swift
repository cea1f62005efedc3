import Foundation
import JSON
import Store

/// The whole configuration (`GET`/`PUT /v1/config`): the resources' own shapes in lists, and
/// the settings. An export re-imports to the same state: masked secrets keep the stored ones,
/// client keys keep their stored key unless `key` supplies one.
enum ConfigurationCodec {
    static func encode(_ configuration: Configuration) -> JSONValue {
        [
            "providers": .array(configuration.providers.map(ProviderCodec.encode)),
            "credentials": .array(configuration.credentials.map { CredentialCodec.encode($0) }),
            "routes": .array(configuration.routes.map(RouteCodec.encode)),
            "client_keys": .array(configuration.clientKeys.map { ClientKeyCodec.encode($0) }),
            "settings": SettingsCodec.encode(configuration.settings),
        ]
    }

    /// Reads and validates a whole document against `current` (for masked secrets and stored
    /// client keys); omitted sections are empty (settings: the defaults). Throws 422 listing
    /// every issue.
    static func decode(_ object: JSONObject, current: Configuration, now: Date) throws(AdminError) -> Configuration {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let storedProviders = Dictionary(current.providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let storedCredentials = Dictionary(current.credentials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let storedKeys = Dictionary(current.clientKeys.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        let providers = reader.objects("providers") { item -> Provider in
            let name = item.object["name"]?.string ?? ""
            return ProviderCodec.decode(&item, base: nil, existing: storedProviders[name], name: nil)
        }.value ?? []
        let credentials = reader.objects("credentials") { item -> Credential in
            let id = item.object["id"]?.string ?? ""
            if item.object["id"] == nil { issues.add("required", item.field("id"), "is required") }
            return CredentialCodec.decode(&item, base: nil, existing: storedCredentials[id], id: id, idFromPath: false)
        }.value ?? []
        let routes = reader.objects("routes") { item -> Route in RouteCodec.decode(&item, name: nil) }.value ?? []
        let clientKeys = reader.objects("client_keys") { item -> ClientKey? in
            let storedHint = item.object["id"]?.string.flatMap { storedKeys[$0]?.hint }
            let input = ClientKeyCodec.Input.read(&item, id: nil, allowKey: true, storedHint: storedHint)
            item.require(input.name, "name")
            guard let id = input.id else {
                issues.add("required", item.field("id"), "is required")
                return nil
            }
            var key: ClientKey
            if let stored = storedKeys[id] {
                key = stored
            } else if let secret = input.key {
                key = ClientKey(id: id, name: "", keyHash: KeyHash(of: secret), hint: secret.hint, createdAt: now)
            } else {
                issues.add("required", item.field("key"), "is required for a client key not stored yet")
                return nil
            }
            key.models = []
            key.enabled = true
            input.apply(to: &key)
            return key
        }.value?.compactMap { $0 } ?? []
        var settings = Settings()
        let settingsMember = reader.raw("settings")
        if !settingsMember.isAbsent {
            let value = settingsMember.value ?? JSONValue.null
            if case .object(let nested) = value {
                SettingsCodec.merge(nested, path: "settings.", into: &settings, issues: issues)
            } else {
                issues.add("invalid_type", "settings", "must be an object, not \(value.typeName)")
            }
        }
        reader.finish()

        let configuration = Configuration(providers: providers, credentials: credentials, routes: routes,
                                          clientKeys: clientKeys, settings: settings)
        validate(configuration, issues: issues)
        try issues.check()
        return configuration
    }

    /// Whole-document rules (structure, duplicates, references) plus the admin-only rules.
    private static func validate(_ configuration: Configuration, issues: Issues) {
        let byName = Dictionary(configuration.providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var extra: [ValidationIssue] = configuration.validationIssues()
        for (i, provider) in configuration.providers.enumerated() {
            let scratch = Issues()
            ProviderCodec.validate(provider, path: "providers[\(i)].", issues: scratch)
            extra += scratch.all.map { ValidationIssue(field: $0.field ?? "", message: $0.message) }
        }
        for (i, credential) in configuration.credentials.enumerated() {
            let scratch = Issues()
            CredentialCodec.validate(credential, provider: byName[credential.provider], path: "credentials[\(i)].", issues: scratch)
            extra += scratch.all.map { ValidationIssue(field: $0.field ?? "", message: $0.message) }
        }
        var unique: [ValidationIssue] = []
        for issue in extra where !unique.contains(issue) { unique.append(issue) }
        issues.add(store: unique)
    }
}
