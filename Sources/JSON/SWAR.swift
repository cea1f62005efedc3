/// Eight-bytes-at-a-time scanning helpers for the parser's and serializer's string loops.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is below 0x20, a quote or a backslash (serializer: needs escaping).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let special = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
        return (control | special) != 0
    }

    /// Whether any byte of `word` needs the parser's attention: an escape candidate or non-ASCII.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        (word & highs) != 0 || needsEscape(word)
    }

    /// Loads eight bytes at `offset` (the caller checked that they exist).
    @inline(__always)
    static func load(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
}
