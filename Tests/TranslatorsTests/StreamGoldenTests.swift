import Testing
@testable import Translators

/// Replays upstream stream fixtures through decoder and encoder, as the Router will.
enum Transcoder {
    static func run(_ bytes: [UInt8], upstream: Dialect, framing: GeminiStreamDecoder.Framing, client: Dialect,
                    geminiClientFraming: GeminiStreamEncoder.Framing = .sse, chunks: [Range<Int>]) throws -> (bytes: [UInt8], events: [StreamEvent]) {
        var decoder = StreamDecoder(dialect: upstream, geminiFraming: framing, model: "requested-model")
        var encoder = StreamEncoder(dialect: client, created: 1_700_000_000, includeUsage: true, geminiFraming: geminiClientFraming)
        var out: [UInt8] = []
        var events: [StreamEvent] = []
        for range in chunks {
            let batch = try decoder.feed(bytes[range])
            events += batch
            out += encoder.encode(batch)
        }
        let last = try decoder.finish()
        events += last
        out += encoder.encode(last)
        if decoder.isComplete {
            out += encoder.finish()
        } else {
            out += encoder.encode(.error(GatewayError(kind: .api, message: "upstream stream ended early", status: 502)))
        }
        return (out, events)
    }

    static func framing(for name: String) -> GeminiStreamDecoder.Framing {
        name.hasSuffix(".json") ? .jsonArray : .sse
    }
}

@Suite struct StreamGoldenTests {
    static let sources = Fixtures.names(in: "streams")

    @Test(arguments: sources, Dialect.allCases)
    func transcodesAtEverySplit(_ name: String, _ client: Dialect) throws {
        let bytes = try Fixtures.bytes("streams/" + name)
        let upstream = Fixtures.dialect(of: name)
        let framing = Transcoder.framing(for: name)
        let whole = try Transcoder.run(bytes, upstream: upstream, framing: framing, client: client, chunks: Splits.whole(bytes.count))
        let single = try Transcoder.run(bytes, upstream: upstream, framing: framing, client: client, chunks: Splits.single(bytes.count))
        #expect(single.bytes == whole.bytes)
        #expect(single.events == whole.events)
        for seed in UInt64(1)...5 {
            let random = try Transcoder.run(bytes, upstream: upstream, framing: framing, client: client,
                                            chunks: Splits.random(bytes.count, seed: seed))
            #expect(random.bytes == whole.bytes, "seed \(seed)")
        }
        let base = name.split(separator: ".").first!
        let ext = client == .gemini || client == .openai || client == .anthropic ? "sse" : "txt"
        Fixtures.expectGolden(whole.bytes, "expected/streams/\(base).to-\(client.rawValue).\(ext)")
    }

    @Test(arguments: sources)
    func clientOutputDecodesBackToTheSameResponse(_ name: String) throws {
        let bytes = try Fixtures.bytes("streams/" + name)
        let upstream = Fixtures.dialect(of: name)
        let first = try Transcoder.run(bytes, upstream: upstream, framing: Transcoder.framing(for: name), client: upstream,
                                       chunks: Splits.whole(bytes.count))
        var fold = ResponseAccumulator()
        for event in first.events { fold.apply(event) }
        for client in Dialect.allCases {
            let output = try Transcoder.run(bytes, upstream: upstream, framing: Transcoder.framing(for: name), client: client,
                                            chunks: Splits.whole(bytes.count))
            let again = try Transcoder.run(output.bytes, upstream: client, framing: .sse, client: client,
                                           chunks: Splits.random(output.bytes.count, seed: 9))
            var refold = ResponseAccumulator()
            for event in again.events { refold.apply(event) }
            #expect((refold.error == nil) == (fold.error == nil), "\(client)")
            let original = fold.response
            let echoed = refold.response
            #expect(echoed.content.compactMap(\.textValue) == original.content.compactMap(\.textValue), "\(client)")
            let calls = { (response: ChatResponse) in response.content.compactMap { part -> String? in
                if case .toolCall(let call) = part { return "\(call.name)\(call.arguments)\(call.thoughtSignature ?? "")" }
                return nil
            } }
            #expect(calls(echoed) == calls(original), "\(client)")
            if fold.error == nil {
                #expect(echoed.stopReason.map { mapped($0, via: client) } == original.stopReason.map { mapped($0, via: client) })
            }
        }
    }

    /// The stop reason after a trip through `dialect` (some dialects merge reasons).
    func mapped(_ reason: StopReason, via dialect: Dialect) -> StopReason {
        switch dialect {
        case .openai: OpenAIResponseCodec.stopReason(OpenAIResponseCodec.finishReason(reason))
        case .anthropic: AnthropicResponseCodec.stopReason(AnthropicResponseCodec.stopReason(reason))
        case .gemini: GeminiResponseCodec.stopReason(GeminiResponseCodec.finishReason(reason))
        }
    }

    @Test func geminiArrayFramingForClients() throws {
        let bytes = try Fixtures.bytes("streams/anthropic-thinking-tools.sse")
        let output = try Transcoder.run(bytes, upstream: .anthropic, framing: .sse, client: .gemini,
                                        geminiClientFraming: .jsonArray, chunks: Splits.whole(bytes.count))
        Fixtures.expectGolden(output.bytes, "expected/streams/anthropic-thinking-tools.to-gemini-array.json")
        let value = try JSONValue.parse(output.bytes)
        // Thought, thought, text, then the call with the finish reason (no empty text chunk).
        #expect(value.array?.count == 4)
    }
}
