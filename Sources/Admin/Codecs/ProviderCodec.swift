import JSON
import Store

/// Providers on the wire. Header values are write-only like secrets (some carry tokens):
/// reads show masked hints, and a hint written back keeps the stored value.
enum ProviderCodec {
    static let fields = ["name", "type", "base_url", "headers", "models", "quota_scope", "allow_private_network", "enabled"]

    /// Framing and hop-by-hop headers a provider may not set.
    static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "proxy-connection", "expect",
    ]

    static func encode(_ provider: Provider) -> JSONValue {
        var headers = JSONObject()
        for (name, value) in provider.headers.sorted(by: { $0.key < $1.key }) {
            headers.append(name, .string(SecretHint.mask(value)))
        }
        return [
            "name": .string(provider.name),
            "type": .string(provider.type.rawValue),
            "base_url": .string(provider.baseURL),
            "headers": .object(headers),
            "models": .strings(provider.models),
            "quota_scope": .string(provider.quotaScope.rawValue),
            "allow_private_network": .bool(provider.allowPrivateNetwork),
            "enabled": .bool(provider.enabled),
        ]
    }

    /// Reads a provider. `base` is what the fields not given keep: nil for a create or full
    /// replace (defaults apply and `name`, `type`, `base_url` are required), the stored
    /// provider for a PATCH. `existing` is the stored provider whose header values masked
    /// hints refer to. `name` is the name from the path, if any.
    static func decode(_ reader: inout ObjectReader, base: Provider?, existing: Provider?, name pathName: String?) -> Provider {
        let issues = reader.issues
        let name = reader.string("name")
        let type = reader.choice("type", ProviderType.self)
        let baseURL = reader.string("base_url")
        let headers = reader.stringMap("headers")
        let models = reader.strings("models")
        let scope = reader.choice("quota_scope", QuotaScope.self)
        let allowPrivate = reader.bool("allow_private_network")
        let enabled = reader.bool("enabled")
        if base == nil {
            if pathName == nil { reader.require(name, "name") }
            reader.require(type, "type")
            reader.require(baseURL, "base_url")
        }
        if let pathName, let given = name.value, given != pathName {
            issues.add("invalid_value", reader.field("name"), "must match the name in the path ('\(pathName)')")
        }
        var provider = base ?? Provider(name: "", type: .openai, baseURL: "")
        provider.name = pathName ?? name.value ?? provider.name
        if let value = type.value { provider.type = value }
        if let value = baseURL.value { provider.baseURL = value }
        if let value = models.value { provider.models = value }
        if let value = scope.value { provider.quotaScope = value }
        if let value = allowPrivate.value { provider.allowPrivateNetwork = value }
        if let value = enabled.value { provider.enabled = value }
        if let list = headers.value {
            var resolved: [String: String] = [:]
            for (header, value) in list {
                let stored = existing?.headers.first { $0.key.lowercased() == header.lowercased() }?.value
                let field = reader.field("headers.\(header)")
                resolved[header] = MaskedSecret.resolve(value, stored: stored.map(Secret.init), field: field, issues: issues).reveal()
            }
            if Set(resolved.keys.map { $0.lowercased() }).count != resolved.count {
                issues.add("invalid_value", reader.field("headers"), "names the same header twice")
            }
            provider.headers = resolved
        }
        return provider
    }

    /// Store rules plus the SPEC §9 address rules, prefixed with `path`.
    static func validate(_ provider: Provider, path: String = "", issues: Issues) {
        var found = provider.validationIssues(path: path)
        if !found.contains(where: { $0.field == path + "base_url" }),
           let problem = BaseURLPolicy.problem(provider.baseURL, allowPrivateNetwork: provider.allowPrivateNetwork) {
            found.append(ValidationIssue(field: path + "base_url", message: problem))
        }
        for header in provider.headers.keys.sorted() where reservedHeaders.contains(header.lowercased()) {
            found.append(ValidationIssue(field: path + "headers.\(header)", message: "is set by Switchyard and cannot be configured"))
        }
        issues.add(store: found)
    }
}
