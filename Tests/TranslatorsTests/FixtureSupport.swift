import Foundation
import Testing
@testable import Translators

/// Loads fixtures from the test bundle and compares outputs with golden files.
enum Fixtures {
    static var root: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    /// Where golden files are written when recording (the source tree, not the bundle).
    static var sourceRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }

    static func names(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)) ?? []
        return names.sorted()
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["SWITCHYARD_RECORD"] == "1" }

    /// Compares `actual` with the golden file at `path` byte for byte. With `SWITCHYARD_RECORD=1`
    /// (or when the file is missing) the golden file is written to the source tree instead.
    static func expectGolden(_ actual: [UInt8], _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = try? Data(contentsOf: root.appendingPathComponent(path))
        if recording || expected == nil {
            let url = sourceRoot.appendingPathComponent(path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(actual).write(to: url)
            if !recording { Issue.record("golden file \(path) was missing and has been recorded", sourceLocation: sourceLocation) }
            return
        }
        let expectedBytes = Array(expected!)
        #expect(actual == expectedBytes,
                "\(path) differs:\n--- actual\n\(String(decoding: actual, as: UTF8.self))\n--- expected\n\(String(decoding: expectedBytes, as: UTF8.self))",
                sourceLocation: sourceLocation)
    }

    /// The dialect a fixture name starts with.
    static func dialect(of name: String) -> Dialect {
        Dialect.allCases.first { name.hasPrefix($0.rawValue + "-") }!
    }
}

/// A deterministic pseudo-random generator for chunk splits.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte ranges that cut `count` bytes into chunks: whole, one byte, or random sizes.
enum Splits {
    static func whole(_ count: Int) -> [Range<Int>] { [0..<count] }

    static func single(_ count: Int) -> [Range<Int>] { (0..<count).map { $0..<($0 + 1) } }

    static func random(_ count: Int, seed: UInt64) -> [Range<Int>] {
        var generator = SplitMix(state: seed)
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let size = Int.random(in: 1...17, using: &generator)
            let end = min(count, start + size)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }
}
