/// The usable members of a pool as a two-level bitset: finding the next usable member from a
/// cursor costs O(1 + n/4096) word operations however many members are cooling, instead of a
/// walk past each cooling one.
struct AvailabilitySet: Sendable, Equatable {
    private var words: [UInt64]
    /// Bit i is set when `words[i]` is non-zero.
    private var summary: [UInt64]
    let capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        words = Array(repeating: 0, count: (capacity + 63) / 64)
        summary = Array(repeating: 0, count: (words.count + 63) / 64)
    }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(_ i: Int) {
        guard !contains(i) else { return }
        words[i >> 6] |= 1 << UInt64(i & 63)
        summary[i >> 12] |= 1 << UInt64((i >> 6) & 63)
        count += 1
    }

    mutating func remove(_ i: Int) {
        guard contains(i) else { return }
        let w = i >> 6
        words[w] &= ~(1 << UInt64(i & 63))
        if words[w] == 0 { summary[w >> 6] &= ~(1 << UInt64(w & 63)) }
        count -= 1
    }

    /// The smallest member ≥ `from` and < `end`, if any.
    func next(from: Int, end: Int) -> Int? {
        guard from < end else { return nil }
        var w = from >> 6
        let masked = words[w] & (~0 << UInt64(from & 63))
        if masked != 0 {
            let i = (w << 6) + masked.trailingZeroBitCount
            return i < end ? i : nil
        }
        w += 1
        let lastWord = (end - 1) >> 6
        while w <= lastWord {
            let s = w >> 6
            let summaryMasked = summary[s] & (~0 << UInt64(w & 63))
            if summaryMasked != 0 {
                let found = (s << 6) + summaryMasked.trailingZeroBitCount
                guard found <= lastWord else { return nil }
                let i = (found << 6) + words[found].trailingZeroBitCount
                return i < end ? i : nil
            }
            w = (s + 1) << 6
        }
        return nil
    }

    /// The first member in `range` at or after `start`, wrapping around to the range's start.
    func nextCyclic(in range: Range<Int>, from start: Int) -> Int? {
        guard !range.isEmpty else { return nil }
        let s = range.contains(start) ? start : range.lowerBound
        return next(from: s, end: range.upperBound) ?? next(from: range.lowerBound, end: s)
    }
}
