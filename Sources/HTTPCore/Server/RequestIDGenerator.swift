import Synchronization

/// Unique ids (`<prefix><16 hex digits>`): a per-process random seed mixed with a counter (a
/// bijection, so no repeats), without a system call per id.
public final class RequestIDGenerator: Sendable {
    private let seed: UInt64
    private let counter = Atomic<UInt64>(0)
    private let prefix: [UInt8]

    public init(prefix: String = "req_") {
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
        self.prefix = Array(prefix.utf8)
    }

    public func next() -> String {
        var x = seed &+ counter.add(1, ordering: .relaxed).newValue &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return String(unsafeUninitializedCapacity: prefix.count + 16) { buffer in
            for (i, byte) in prefix.enumerated() { buffer[i] = byte }
            for i in 0..<16 {
                let nibble = UInt8((x >> UInt64(60 - 4 * i)) & 0xF)
                buffer[prefix.count + i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // 0-9, a-f
            }
            return prefix.count + 16
        }
    }

    /// Accepts a client-supplied id only if it is short and plain.
    static func isAcceptable(_ id: String) -> Bool {
        id.utf8.count >= 8 && id.utf8.count <= 128 && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
    }
}
