import Store

/// Lookup tables derived once from a configuration snapshot, so resolving a model costs a few
/// dictionary lookups however many credentials there are.
public struct RoutingIndex: Sendable {
    /// The snapshot version this index was built from.
    public let version: UInt64
    /// Providers, in configuration order, with at least one credential carrying an alias (key: lower-cased alias).
    let aliasProviders: [String: [String]]
    /// Providers, in configuration order, with at least one credential carrying a prefix.
    let prefixProviders: [String: [String]]
    /// Every provider name, in configuration order.
    let providerOrder: [String]

    public init(_ snapshot: ConfigSnapshot) {
        version = snapshot.version
        var aliases: [String: [String]] = [:]
        var prefixes: [String: [String]] = [:]
        for credential in snapshot.credentials {
            for alias in Set(credential.aliases.map { $0.alias.lowercased() }) {
                if aliases[alias]?.contains(credential.provider) != true { aliases[alias, default: []].append(credential.provider) }
            }
            if let prefix = credential.prefix, prefixes[prefix]?.contains(credential.provider) != true {
                prefixes[prefix, default: []].append(credential.provider)
            }
        }
        aliasProviders = aliases
        prefixProviders = prefixes
        providerOrder = snapshot.providers.map(\.name)
    }
}
