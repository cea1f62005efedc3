import CCrypto

/// Random secrets and identifiers from the OpenSSL CSPRNG (`RAND_bytes`).
public enum RandomKey {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `count` cryptographically random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBytes { RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed")
        return out
    }

    /// `length` base62 characters, uniformly distributed (rejection sampling, no modulo bias).
    public static func base62(length: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(length)
        while out.count < length {
            for byte in bytes(length) where byte < 248 && out.count < length {  // 248 = 4 × 62
                out.append(alphabet[Int(byte % 62)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A new client key or admin token: `sy-` followed by 43 base62 characters (~256 bits).
    public static func clientKey() -> Secret { Secret("sy-" + base62(length: 43)) }

    /// A server-assigned resource id such as `cred_3kT9…` (16 base62 characters).
    public static func identifier(prefix: String) -> String { prefix + "_" + base62(length: 16) }
}
