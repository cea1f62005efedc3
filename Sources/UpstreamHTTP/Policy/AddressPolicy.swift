/// Which resolved addresses an upstream request may connect to (SPEC §9), checked at connect time.
///
/// Link-local (169.254.0.0/16, fe80::/10), cloud metadata and multicast/reserved addresses are
/// always refused; loopback and private ranges only when `allowPrivateNetwork` is set.
public struct AddressPolicy: Sendable, Equatable {
    /// Whether loopback and private ranges (127/8, 10/8, 172.16/12, 192.168/16, 100.64/10, ::1, fc00::/7, 0/8, ::) are allowed.
    public var allowPrivateNetwork: Bool

    public init(allowPrivateNetwork: Bool) {
        self.allowPrivateNetwork = allowPrivateNetwork
    }

    /// Public unicast addresses only.
    public static let publicOnly = AddressPolicy(allowPrivateNetwork: false)
    /// Public plus loopback and private addresses (`allow_private_network: true`).
    public static let allowingPrivate = AddressPolicy(allowPrivateNetwork: true)

    /// Whether a connection to `address` is allowed.
    func allows(_ address: IPAddress) -> Bool {
        switch address.scope {
        case .global: true
        case .privateNetwork: allowPrivateNetwork
        case .linkLocal, .metadata, .reserved: false
        }
    }

    /// Cloud metadata host names refused before resolving, whatever they resolve to.
    static let forbiddenHostNames: Set<String> = [
        "metadata", "metadata.google.internal", "metadata.goog",
        "instance-data", "instance-data.ec2.internal", "metadata.azure.internal",
        "metadata.tencentyun.com", "metadata.platformequinix.com",
    ]

    /// Whether `host` (as it appears in the URL) names a cloud metadata service.
    static func isForbiddenHostName(_ host: String) -> Bool {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        if forbiddenHostNames.contains(name) { return true }
        return name.hasSuffix(".metadata.google.internal")
    }
}
