import Testing
@testable import JSON

@Suite struct ByteSearchTests {
    private func naive(_ needle: [UInt8], _ haystack: [UInt8], _ start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return (max(0, start)...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test(arguments: [
        ("__thought__", "call_sy_r1_0__thought__CiQB", 0, 12 as Int?),
        ("__thought__", "call_sy_r1_0__thought_", 0, nil),
        ("__thought__", "__thought__", 0, 0),
        ("__thought__", "x__thought__", 2, nil),
        ("ab", "aaaaaaaaaaaaaaaaaaaaaaaaaab", 0, 25),
        ("a", "bbbbbbbbbbbbbbbbbbbbba", 0, 21),
        ("\"signature\"", #"{"sig":"signatur","signature":"x"}"#, 0, 18),
        ("xyz", "", 0, nil),
        ("", "abc", 0, nil),
    ])
    func table(needle: String, haystack: String, start: Int, expected: Int?) {
        #expect(ByteSearch.firstIndex(of: Array(needle.utf8), in: Array(haystack.utf8), from: start) == expected)
    }

    /// Every offset and length against a plain search, over a small alphabet (many near misses).
    @Test func agreesWithAPlainSearch() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3000 {
            let haystack = (0..<next(80)).map { _ in UInt8(ascii: "a") + UInt8(next(3)) }
            let needle = (0..<(1 + next(5))).map { _ in UInt8(ascii: "a") + UInt8(next(3)) }
            let start = next(10)
            #expect(ByteSearch.firstIndex(of: needle, in: haystack, from: start) == naive(needle, haystack, start),
                    "\(needle) in \(haystack) from \(start)")
        }
    }
}
