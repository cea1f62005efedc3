/// Eight-bytes-at-a-time scanning helpers for the parser's and serializer's string loops.
///
/// Each mask has the high bit set in the bytes that need attention. Bits above the first set
/// one may be false positives (borrows), but the lowest set bit is always exact, so callers
/// skip straight to it with `trailingZeroBitCount / 8`.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Bytes below 0x20, quotes and backslashes (what the serializer must escape).
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (control | (quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
    }

    /// Escape candidates plus non-ASCII bytes (what the parser must look at).
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        escapeMask(word) | (word & highs)
    }

    /// Loads the fewer than eight bytes from `offset` to the end, padded with `A`s (which never
    /// need attention).
    @inline(__always)
    static func loadTail(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        var word: UInt64 = 0x4141_4141_4141_4141
        withUnsafeMutableBytes(of: &word) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[offset...]))
        }
        return UInt64(littleEndian: word)
    }

    /// Loads eight bytes at `offset` (the caller checked that they exist).
    @inline(__always)
    static func load(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
