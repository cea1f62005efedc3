/// Finds a byte string anywhere in a body, eight positions per step: scans that look for a marker
/// in every request (a Gemini signature in a tool call id, a foreign thinking signature) must not
/// cost much on a megabyte of chat history.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack` at or after `start`.
    public static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count - start >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in firstIndex(of: pin, in: hay, from: start) }
        }
    }

    private static func firstIndex(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let lastStart = hay.count - needle.count
        @inline(__always) func matches(at i: Int) -> Bool {
            for k in 0..<needle.count where hay[i + k] != needle[k] { return false }
            return true
        }
        var i = start
        if needle.count >= 2 {
            // Candidates have the needle's first two bytes in place; every flagged position is
            // checked (flags above the lowest may be false, but none is ever missing).
            let first = SWAR.ones &* UInt64(needle[0]), second = SWAR.ones &* UInt64(needle[1])
            while i + 9 <= hay.count && i <= lastStart {
                var candidates = zeroBytes(SWAR.load(hay, i) ^ first) & zeroBytes(SWAR.load(hay, i + 1) ^ second)
                while candidates != 0 {
                    let at = i + candidates.trailingZeroBitCount >> 3
                    if at <= lastStart && matches(at: at) { return at }
                    candidates &= candidates &- 1
                }
                i += 8
            }
        }
        while i <= lastStart {
            if matches(at: i) { return i }
            i += 1
        }
        return nil
    }

    /// High bit set in every zero byte of `word` (and possibly in bytes above the first one).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- SWAR.ones) & ~word & SWAR.highs
    }
}
