import Testing
@testable import Translators

/// Mangled input must give a typed error or a valid result, never a crash.
@Suite struct RobustnessTests {
    @Test(arguments: Fixtures.names(in: "requests"))
    func mangledRequestsNeverCrash(_ name: String) throws {
        let body = try Fixtures.bytes("requests/" + name)
        let dialect = Fixtures.dialect(of: name)
        var generator = SplitMix(state: UInt64(body.count))
        for cut in stride(from: 0, to: body.count, by: 5) {
            var mangled = Array(body[..<cut])
            if cut % 2 == 0, !mangled.isEmpty {
                mangled[Int.random(in: 0..<mangled.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                mangled += body[cut...]
            }
            do {
                let request = try Translator.decodeRequest(mangled, from: dialect, model: "m")
                for target in Dialect.allCases { _ = try Translator.encodeRequest(request, to: target, model: "m") }
            } catch is TranslationError {
                continue
            }
        }
    }

    @Test(arguments: Fixtures.names(in: "streams"))
    func mangledStreamsNeverCrash(_ name: String) throws {
        let bytes = try Fixtures.bytes("streams/" + name)
        var generator = SplitMix(state: 77)
        for round in 0..<40 {
            var mangled = bytes
            for _ in 0..<(round % 5 + 1) {
                mangled[Int.random(in: 0..<mangled.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            for client in Dialect.allCases {
                do {
                    _ = try Transcoder.run(mangled, upstream: Fixtures.dialect(of: name), framing: Transcoder.framing(for: name),
                                           client: client, chunks: Splits.random(mangled.count, seed: UInt64(round)))
                } catch is TranslationError {
                    continue
                }
            }
        }
    }
}
