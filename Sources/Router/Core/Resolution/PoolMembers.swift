import Store

/// One member of a selection pool: a credential and the model it is asked for.
struct PoolMember: Sendable, Equatable {
    let credentialID: String
    let model: String
    let tier: Int
    let priority: Int
    /// Index of the first member of this credential's block (alias pools list several models of
    /// one credential next to each other) and the block's length.
    let blockStart: Int
    let blockLength: Int
}

/// A credential left out of a pool, and why (for `/v1/explain`).
public struct ExcludedCredential: Sendable, Equatable {
    /// Why a credential was not a candidate at all.
    public enum Reason: String, Sendable, Equatable {
        /// The credential is disabled.
        case credentialDisabled = "credential_disabled"
        /// Its provider is disabled.
        case providerDisabled = "provider_disabled"
        /// Its own `models` allow-list does not include the model.
        case notInAllowList = "not_in_credential_allow_list"
    }

    public let credentialID: String
    public let provider: String
    public let reason: Reason
}

/// Builds a pool's members from the snapshot: enabled credentials of the provider that fit the
/// selector, ordered by tier ascending, priority descending, then configuration order.
enum PoolMembers {
    static func build(_ key: PoolKey, in snapshot: ConfigSnapshot)
        -> (members: [PoolMember], excluded: [ExcludedCredential]) {
        guard let provider = snapshot.providersByName[key.provider] else { return ([], []) }
        var entries: [(credential: Credential, models: [String])] = []
        var excluded: [ExcludedCredential] = []
        for credential in snapshot.credentialsByProvider[key.provider] ?? [] {
            let models: [String]
            switch key.selector {
            case .serving(let model):
                guard credential.models.isEmpty || ModelGlob.matchesAny(credential.models, model) else {
                    excluded.append(ExcludedCredential(credentialID: credential.id, provider: key.provider, reason: .notInAllowList))
                    continue
                }
                models = [model]
            case .prefixed(let prefix, let model):
                guard credential.prefix == prefix else { continue }
                guard credential.models.isEmpty || ModelGlob.matchesAny(credential.models, model) else {
                    excluded.append(ExcludedCredential(credentialID: credential.id, provider: key.provider, reason: .notInAllowList))
                    continue
                }
                models = [model]
            case .aliased(let alias):
                var pool: [String] = []
                for entry in credential.aliases where entry.alias.lowercased() == alias && !pool.contains(entry.model) {
                    pool.append(entry.model)
                }
                guard !pool.isEmpty else { continue }
                models = pool
            }
            if !provider.enabled {
                excluded.append(ExcludedCredential(credentialID: credential.id, provider: key.provider, reason: .providerDisabled))
            } else if !credential.enabled {
                excluded.append(ExcludedCredential(credentialID: credential.id, provider: key.provider, reason: .credentialDisabled))
            } else {
                entries.append((credential, models))
            }
        }
        let sorted = entries.enumerated().sorted { a, b in
            if a.element.credential.tier != b.element.credential.tier { return a.element.credential.tier < b.element.credential.tier }
            if a.element.credential.priority != b.element.credential.priority {
                return a.element.credential.priority > b.element.credential.priority
            }
            return a.offset < b.offset
        }
        var members: [PoolMember] = []
        for (_, entry) in sorted {
            let start = members.count
            for model in entry.models {
                members.append(PoolMember(credentialID: entry.credential.id, model: model, tier: entry.credential.tier,
                                          priority: entry.credential.priority, blockStart: start,
                                          blockLength: entry.models.count))
            }
        }
        return (members, excluded)
    }
}
