import CCrypto

/// SHA-256 and constant-time comparison through libcrypto.
public enum Digest {
    /// SHA-256 of `bytes` (32 bytes).
    /// Low-level SHA-256 (ccr_sha256): OpenSSL 3's SHA256() and EVP_Digest fetch the algorithm
    /// from the provider under a lock on every call, which cost more than hashing a key.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { sha256(buffer: $0) }
    }

    /// SHA-256 of the UTF-8 bytes of `string`.
    public static func sha256(_ string: String) -> [UInt8] {
        var string = string
        return string.withUTF8 { sha256(buffer: UnsafeRawBufferPointer($0)) }
    }

    private static func sha256(buffer input: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            ccr_sha256(input.baseAddress, input.count, out.baseAddress)
            count = 32
        }
    }

    /// Compares without an early exit, so timing does not reveal where inputs differ.
    /// Inputs of different lengths compare unequal (the length itself is not secret here).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// Lower-case hexadecimal of `bytes` after `prefix` (ASCII), built in one allocation.
    public static func hex(_ bytes: [UInt8], prefix: String = "") -> String {
        bytes.withUnsafeBufferPointer { hex($0, prefix: prefix) }
    }

    public static func hex(_ bytes: ArraySlice<UInt8>, prefix: String = "") -> String {
        bytes.withUnsafeBufferPointer { hex($0, prefix: prefix) }
    }

    private static func hex(_ bytes: UnsafeBufferPointer<UInt8>, prefix: String) -> String {
        String(unsafeUninitializedCapacity: prefix.utf8.count + bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            for byte in prefix.utf8 {
                out[index] = byte
                index += 1
            }
            digits.withUTF8Buffer { digits in
                for byte in bytes {
                    out[index] = digits[Int(byte >> 4)]
                    out[index + 1] = digits[Int(byte & 0x0f)]
                    index += 2
                }
            }
            return index
        }
    }
}
