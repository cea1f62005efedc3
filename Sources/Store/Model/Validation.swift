import Foundation

/// Structural rules the Store enforces on every write. The admin API adds its own checks (such
/// as the SPEC §9 address rules) and may call these to report everything at once.
enum Rules {
    /// Provider names and credential prefixes: `[a-z0-9][a-z0-9_-]*`, at most 64 characters.
    static func isSlug(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { index, c in
            (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (index > 0 && (c == 0x2d || c == 0x5f))
        }
    }

    /// Resource ids: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 128 characters (they appear in URL paths).
    static func isIdentifier(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { index, c in
            let alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)
            return alnum || (index > 0 && (c == 0x2d || c == 0x5f || c == 0x2e))
        }
    }

    /// Non-empty, at most `max` characters, no whitespace or control characters (model names, globs, tokens).
    static func isToken(_ s: String, max: Int = 256) -> Bool {
        !s.isEmpty && s.count <= max && s.unicodeScalars.allSatisfy {
            !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.controlCharacters.contains($0)
        }
    }

    /// Free text (labels, names): at most `max` characters and no control characters.
    static func isText(_ s: String, max: Int = 256) -> Bool {
        s.count <= max && !s.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) }
    }

    /// An absolute http(s) URL with a host.
    static func isHTTPURL(_ s: String) -> Bool {
        guard isToken(s, max: 2048), let components = URLComponents(string: s),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty else { return false }
        return true
    }

    /// An HTTP header field name (RFC 9110 token characters).
    static func isHeaderName(_ s: String) -> Bool {
        let allowed = Set("!#$%&'*+-.^_`|~".utf8)
        return !s.isEmpty && s.utf8.count <= 128 && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || allowed.contains($0)
        }
    }
}

extension Provider {
    /// Structural problems of this provider; fields are prefixed with `path`.
    public func validationIssues(path: String = "") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ValidationIssue(field: path + field, message: message)) }
        if !Rules.isSlug(name) { add("name", "must be a slug: lower-case letters, digits, '-' or '_', at most 64 characters") }
        if !Rules.isHTTPURL(baseURL) { add("base_url", "must be an absolute http(s) URL") }
        for (header, value) in headers.sorted(by: { $0.key < $1.key }) {
            if !Rules.isHeaderName(header) { add("headers", "'\(header)' is not a valid header name") }
            if !Rules.isText(value, max: 8192) { add("headers.\(header)", "must not contain control characters") }
        }
        for (i, model) in models.enumerated() where !Rules.isToken(model) {
            add("models[\(i)]", "must be a non-empty model name or glob without spaces")
        }
        return issues
    }
}

extension Credential {
    /// Structural problems of this credential (not whether its provider exists).
    public func validationIssues(path: String = "") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ValidationIssue(field: path + field, message: message)) }
        if !Rules.isIdentifier(id) { add("id", "must be letters, digits, '.', '-' or '_', at most 128 characters") }
        if !Rules.isSlug(provider) { add("provider", "must name a provider") }
        if !Rules.isText(label) { add("label", "must be at most 256 characters without control characters") }
        switch secret {
        case .apiKey(let key):
            if !Rules.isToken(key.reveal(), max: 8192) { add("api_key", "must be non-empty, without spaces") }
        case .oauth(let token):
            if !Rules.isToken(token.accessToken.reveal(), max: 16384) { add("oauth.access_token", "must be non-empty, without spaces") }
            if let refresh = token.refreshToken, !Rules.isToken(refresh.reveal(), max: 16384) {
                add("oauth.refresh_token", "must be non-empty, without spaces")
            }
            if let url = token.tokenURL, !Rules.isHTTPURL(url) { add("oauth.token_url", "must be an absolute http(s) URL") }
            if let client = token.clientID, !Rules.isToken(client, max: 1024) { add("oauth.client_id", "must be non-empty, without spaces") }
        }
        if tier < 0 { add("tier", "must be ≥ 0") }
        if let prefix, !Rules.isSlug(prefix) { add("prefix", "must be a slug: lower-case letters, digits, '-' or '_'") }
        for (i, model) in models.enumerated() where !Rules.isToken(model) {
            add("models[\(i)]", "must be a non-empty model name or glob without spaces")
        }
        for (i, alias) in aliases.enumerated() {
            if !Rules.isToken(alias.alias) { add("aliases[\(i)].alias", "must be a non-empty name without spaces") }
            if !Rules.isToken(alias.model) { add("aliases[\(i)].model", "must be a non-empty model name without spaces") }
        }
        return issues
    }
}

extension Route {
    /// Structural problems of this route (not whether its providers exist).
    public func validationIssues(path: String = "") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ValidationIssue(field: path + field, message: message)) }
        if !Rules.isToken(name) { add("name", "must be a non-empty model name without spaces") }
        if targets.isEmpty { add("targets", "must list at least one target") }
        for (i, target) in targets.enumerated() {
            if !Rules.isSlug(target.provider) { add("targets[\(i)].provider", "must name a provider") }
            if !Rules.isToken(target.model) { add("targets[\(i)].model", "must be a non-empty model name without spaces") }
        }
        return issues
    }
}

extension ClientKey {
    /// Structural problems of this client key.
    public func validationIssues(path: String = "") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ValidationIssue(field: path + field, message: message)) }
        if !Rules.isIdentifier(id) { add("id", "must be letters, digits, '.', '-' or '_', at most 128 characters") }
        if name.isEmpty || !Rules.isText(name) { add("name", "must be non-empty, at most 256 characters without control characters") }
        for (i, model) in models.enumerated() where !Rules.isToken(model) {
            add("models[\(i)]", "must be a non-empty model name or glob without spaces")
        }
        return issues
    }
}

extension Configuration {
    /// Every structural and cross-reference problem of the document, all at once.
    public func validationIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var providerNames = Set<String>()
        for (i, provider) in providers.enumerated() {
            issues += provider.validationIssues(path: "providers[\(i)].")
            if !providerNames.insert(provider.name).inserted {
                issues.append(ValidationIssue(field: "providers[\(i)].name", message: "duplicate provider '\(provider.name)'"))
            }
        }
        var credentialIDs = Set<String>()
        for (i, credential) in credentials.enumerated() {
            issues += credential.validationIssues(path: "credentials[\(i)].")
            if !credentialIDs.insert(credential.id).inserted {
                issues.append(ValidationIssue(field: "credentials[\(i)].id", message: "duplicate credential '\(credential.id)'"))
            }
            if !providerNames.contains(credential.provider) {
                issues.append(ValidationIssue(field: "credentials[\(i)].provider", message: "unknown provider '\(credential.provider)'"))
            }
        }
        var routeNames = Set<String>()
        for (i, route) in routes.enumerated() {
            issues += route.validationIssues(path: "routes[\(i)].")
            if !routeNames.insert(route.name).inserted {
                issues.append(ValidationIssue(field: "routes[\(i)].name", message: "duplicate route '\(route.name)'"))
            }
            for (j, target) in route.targets.enumerated() where !providerNames.contains(target.provider) {
                issues.append(ValidationIssue(field: "routes[\(i)].targets[\(j)].provider", message: "unknown provider '\(target.provider)'"))
            }
        }
        var keyIDs = Set<String>()
        var hashes = Set<KeyHash>()
        for (i, key) in clientKeys.enumerated() {
            issues += key.validationIssues(path: "client_keys[\(i)].")
            if !keyIDs.insert(key.id).inserted {
                issues.append(ValidationIssue(field: "client_keys[\(i)].id", message: "duplicate client key '\(key.id)'"))
            }
            if !hashes.insert(key.keyHash).inserted {
                issues.append(ValidationIssue(field: "client_keys[\(i)]", message: "same key as another client key"))
            }
        }
        issues += settings.validationIssues().map { ValidationIssue(field: "settings." + $0.field, message: $0.message) }
        return issues
    }
}
