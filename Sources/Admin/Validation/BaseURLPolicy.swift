#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// SPEC §9 at write time: `base_url` must be https unless the provider allows the private
/// network, never carries userinfo, and never points at link-local or cloud metadata
/// addresses; loopback and private addresses need `allow_private_network`. (The resolved
/// address is checked again at connect time by the upstream client.)
enum BaseURLPolicy {
    /// Host names of cloud metadata services, always refused.
    static let metadataHosts: Set<String> = [
        "metadata.google.internal", "metadata.goog", "metadata", "metadata.azure.com",
        "instance-data", "instance-data.ec2.internal", "169.254.169.254", "100.100.100.200", "fd00:ec2::254",
    ]

    /// Why `url` is refused, or nil when it is acceptable.
    static func problem(_ url: String, allowPrivateNetwork: Bool) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host, !rawHost.isEmpty else {
            return "must be an absolute http(s) URL"
        }
        guard scheme == "https" || scheme == "http" else { return "must use https" }
        if scheme == "http" && !allowPrivateNetwork { return "must use https (http needs allow_private_network)" }
        if components.user != nil || components.password != nil { return "must not contain a user name or password" }
        if components.query != nil || components.fragment != nil { return "must not contain a query or fragment" }
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        if metadataHosts.contains(host) { return "must not point at a cloud metadata service" }
        switch classify(host) {
        case .linkLocal, .metadata: return "must not point at a link-local or metadata address"
        case .privateNetwork where !allowPrivateNetwork:
            return "points at a loopback or private address (needs allow_private_network)"
        default: return nil
        }
    }

    /// What a host literal is, for the rules above.
    enum HostClass { case publicOrName, privateNetwork, linkLocal, metadata }

    /// Classifies a literal address (any form `inet_aton` accepts, or IPv6) or a host name.
    static func classify(_ host: String) -> HostClass {
        if host == "localhost" || host.hasSuffix(".localhost") { return .privateNetwork }
        if let v4 = ipv4(host) { return classify(v4: v4) }
        var v6 = in6_addr()
        let address = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? host
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return .publicOrName }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
            return classify(v4: UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        if b == [0xfd, 0, 0, 0, 0, 0xec, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0x54] { return .metadata }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] & 0xfe == 0xfc { return .privateNetwork }
        if b[0..<15].allSatisfy({ $0 == 0 }) && (b[15] == 1 || b[15] == 0) { return .privateNetwork }
        return .publicOrName
    }

    /// An IPv4 address in host order, in any of the forms resolvers accept (`127.1`, `0x7f.1`, `2130706433`).
    static func ipv4(_ host: String) -> UInt32? {
        guard host.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2e || $0 == 0x78 || ($0 >= 0x61 && $0 <= 0x66) }),
              host.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true else { return nil }
        var address = in_addr()
        guard inet_aton(host, &address) != 0 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    static func classify(v4: UInt32) -> HostClass {
        func within(_ base: UInt32, _ bits: UInt32) -> Bool { v4 >> (32 - bits) == base >> (32 - bits) }
        if v4 == 0xA9FE_A9FE || v4 == 0x6464_64C8 { return .metadata }      // 169.254.169.254, 100.100.100.200
        if within(0xA9FE_0000, 16) { return .linkLocal }                    // 169.254.0.0/16
        if within(0x7F00_0000, 8) || within(0x0A00_0000, 8) || within(0xAC10_0000, 12)
            || within(0xC0A8_0000, 16) || within(0x6440_0000, 10) || within(0, 8) {
            return .privateNetwork                                            // loopback, RFC 1918, CGNAT, 0/8
        }
        return .publicOrName
    }
}
