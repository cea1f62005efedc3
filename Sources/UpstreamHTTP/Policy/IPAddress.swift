/// A numeric IPv4 (4 bytes) or IPv6 (16 bytes) address, as resolved by curl.
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// Network-order bytes: 4 or 16 of them.
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted IPv4 or textual IPv6.
    init?(_ text: String) {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = Int(csy_parse_ip(text, &buffer))
        guard count > 0 else { return nil }
        self.bytes = Array(buffer.prefix(count))
    }

    /// Parses curl's primary IP (a C string), ignoring an IPv6 zone suffix.
    init?(primaryIP text: UnsafePointer<CChar>) {
        let parsed: [UInt8]? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let count = Int(csy_parse_ip_unzoned(text, buffer.baseAddress!))
            return count > 0 ? Array(buffer.prefix(count)) : nil
        }
        guard let parsed else { return nil }
        self.bytes = parsed
    }

    var description: String {
        var out = [CChar](repeating: 0, count: 64)
        guard csy_format_ip(bytes, Int32(bytes.count), &out, 64) != 0 else { return "?" }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What kind of network the address belongs to, for the address policy.
    enum Scope: Sendable, Equatable {
        /// Ordinary public unicast.
        case global
        /// Loopback, RFC 1918, carrier-grade NAT, unique-local, unspecified.
        case privateNetwork
        /// 169.254.0.0/16 and fe80::/10.
        case linkLocal
        /// A known cloud metadata endpoint.
        case metadata
        /// Multicast, broadcast and reserved ranges.
        case reserved
    }

    var scope: Scope {
        bytes.count == 4 ? Self.scopeV4(bytes[0], bytes[1], bytes[2], bytes[3]) : scopeV6
    }

    private static func scopeV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Scope {
        let metadata: [(UInt8, UInt8, UInt8, UInt8)] = [
            (169, 254, 169, 254), (100, 100, 100, 200), (168, 63, 129, 16), (192, 0, 0, 192),
        ]
        if metadata.contains(where: { $0 == (a, b, c, d) }) { return .metadata }
        if a == 169 && b == 254 { return .linkLocal }
        if a >= 224 { return .reserved }  // multicast 224/4, reserved 240/4, broadcast
        if a == 0 || a == 127 || a == 10 { return .privateNetwork }
        if a == 172 && (b & 0xF0) == 16 { return .privateNetwork }
        if a == 192 && b == 168 { return .privateNetwork }
        if a == 100 && (b & 0xC0) == 64 { return .privateNetwork }
        return .global
    }

    private var scopeV6: Scope {
        let b = bytes
        let metadataV6 = IPAddress("fd00:ec2::254")!.bytes
        if b == metadataV6 { return .metadata }
        let firstTenZero = b[0..<10].allSatisfy { $0 == 0 }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) are the IPv4 address.
        if firstTenZero && b[10] == 0xFF && b[11] == 0xFF {
            return Self.scopeV4(b[12], b[13], b[14], b[15])
        }
        if firstTenZero && b[10] == 0 && b[11] == 0 {
            if b[12..<15].allSatisfy({ $0 == 0 }) && b[15] <= 1 { return .privateNetwork }  // :: and ::1
            return Self.scopeV4(b[12], b[13], b[14], b[15])
        }
        // 64:ff9b::/96 (NAT64) reaches the embedded IPv4 address.
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return Self.scopeV4(b[12], b[13], b[14], b[15])
        }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .linkLocal }        // fe80::/10
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return .privateNetwork }   // fec0::/10 site-local
        if (b[0] & 0xFE) == 0xFC { return .privateNetwork }                   // fc00::/7
        if b[0] == 0xFF { return .reserved }                                  // multicast
        return .global
    }
}
