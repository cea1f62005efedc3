import Testing
@testable import Translators

@Suite struct RequestGoldenTests {
    static let sources = Fixtures.names(in: "requests")

    static func decode(_ name: String) throws -> ChatRequest {
        let body = try Fixtures.bytes("requests/" + name)
        return try Translator.decodeRequest(body, from: Fixtures.dialect(of: name), model: "gemini-2.5-flash")
    }

    @Test func fixturesExist() {
        #expect(Self.sources.count == 12)
    }

    @Test(arguments: sources, Dialect.allCases)
    func encodesForEveryUpstream(_ name: String, _ target: Dialect) throws {
        let request = try Self.decode(name)
        let encoded = try Translator.encodeRequest(request, to: target, model: "upstream-model")
        var golden = encoded.body
        golden += Array("\n--- dropped: \(encoded.dropped.joined(separator: ","))\n".utf8)
        let base = name.replacingOccurrences(of: ".json", with: "")
        Fixtures.expectGolden(golden, "expected/requests/\(base).to-\(target.rawValue).txt")
        // The output is valid JSON that decodes again in the target dialect.
        _ = try Translator.decodeRequest(encoded.body, from: target, model: "upstream-model")
    }

    @Test(arguments: sources)
    func strictModeThrowsExactlyWhenSomethingIsDropped(_ name: String) throws {
        let request = try Self.decode(name)
        for target in Dialect.allCases {
            let lenient = try Translator.encodeRequest(request, to: target, model: "m")
            do {
                let strict = try Translator.encodeRequest(request, to: target, model: "m", options: .init(strict: true))
                #expect(lenient.dropped.isEmpty)
                #expect(strict == lenient)
            } catch let error as TranslationError {
                guard case .unsupported(let feature, let dialect) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(dialect == target)
                #expect(lenient.dropped.first == feature)
                #expect(error.gatewayError.status == 422)
            }
        }
    }

    @Test(arguments: sources)
    func sameDialectRoundTripPreservesMeaning(_ name: String) throws {
        let dialect = Fixtures.dialect(of: name)
        let request = try Self.decode(name)
        let encoded = try Translator.encodeRequest(request, to: dialect, model: request.requestedModel)
        var again = try Translator.decodeRequest(encoded.body, from: dialect, model: "gemini-2.5-flash")
        again.stream = request.stream
        again.includeUsageInStream = request.includeUsageInStream
        if dialect == .openai {
            // OpenAI joins system blocks; Anthropic's max_tokens default and suffix carry over.
            again.system = request.system
        }
        if dialect == .anthropic, request.reasoning != nil {
            again.sampling.maxTokens = request.sampling.maxTokens
        }
        var expected = request
        if dialect != .anthropic {
            // OpenAI takes no reasoning history; Gemini takes only thought signatures.
            for index in expected.messages.indices {
                expected.messages[index].content.removeAll { if case .thinking = $0 { true } else { false } }
            }
        }
        if dialect == .openai { expected.sampling.topK = nil }
        expected.unsupportedFields = []
        again.reasoning = request.reasoning
        again.requestedModel = request.requestedModel
        again.model = request.model
        again.responseFormat = request.responseFormat
        #expect(again == expected)
    }
}
