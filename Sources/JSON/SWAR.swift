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

    /// The offset of the first byte at or after `start` that the serializer must escape, or
    /// `buffer.count`. Clean text, the usual case, is covered sixteen bytes per step.
    @inline(__always)
    static func firstEscape(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        while count - index >= 16 {
            let low = escapeMask(load(buffer, index))
            let high = escapeMask(load(buffer, index + 8))
            if low | high == 0 {
                index += 16
                continue
            }
            // Only the lowest set bit is exact, so the high word counts only when the low one is clean.
            return low != 0 ? index + low.trailingZeroBitCount >> 3 : index + 8 + high.trailingZeroBitCount >> 3
        }
        if count - index >= 8 {
            let mask = escapeMask(load(buffer, index))
            if mask != 0 { return index + mask.trailingZeroBitCount >> 3 }
            index += 8
        }
        // Fewer than eight bytes left: testing them one by one is cheaper than copying them
        // into a padded word.
        while index < count {
            let byte = buffer[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return count
    }

    /// Loads eight bytes at `offset` (the caller checked that they exist).
    @inline(__always)
    static func load(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
