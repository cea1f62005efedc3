/// The SHA-256 of a client key or admin token: the only form in which those are stored.
public struct KeyHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Hashes a presented key or token.
    public init(of key: String) { bytes = Digest.sha256(key) }

    /// Hashes a presented secret.
    public init(of secret: Secret) { self.init(of: secret.reveal()) }

    /// Wraps stored digest bytes; nil unless exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hexadecimal characters.
    public init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let hi = Self.nibble(chars[index]), let lo = Self.nibble(chars[index + 1]) else { return nil }
            out.append(hi << 4 | lo)
            index += 2
        }
        bytes = out
    }

    /// Lower-case hexadecimal form.
    public var hex: String { Digest.hex(bytes) }

    /// True when `key` hashes to this value; the comparison is constant-time.
    public func matches(_ key: String) -> Bool {
        Digest.constantTimeEquals(Digest.sha256(key), bytes)
    }

    /// Constant-time equality of two hashes.
    public func constantTimeEquals(_ other: KeyHash) -> Bool {
        Digest.constantTimeEquals(bytes, other.bytes)
    }

    /// Hashes the digest bytes in one call (the synthesised conformance combines them one by
    /// one, which cost more than the SHA-256 on every authenticated request).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public static func == (a: KeyHash, b: KeyHash) -> Bool { a.bytes == b.bytes }

    public var description: String { "KeyHash(\(hex.prefix(8))…)" }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
