import JSON
import Testing
@testable import Translators

/// Sampling values legal in the client's format but refused by the target's API are brought
/// into range and reported, not sent to fail.
@Suite struct SamplingLimitsTests {
    func encode(_ generationConfig: String, to target: Dialect, strict: Bool = false) throws -> (JSONValue, [String]) {
        let body = #"{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":\#(generationConfig)}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        let encoded = try Translator.encodeRequest(request, to: target, model: "m", options: .init(strict: strict))
        return (try JSONValue.parse(encoded.body), encoded.dropped)
    }

    @Test(arguments: [(1.5, 1.0, ["temperature"]), (1.0, 1.0, []), (0.3, 0.3, [])])
    func anthropicTakesTemperaturesUpToOne(_ asked: Double, _ sent: Double, _ dropped: [String]) throws {
        let (body, droppedFeatures) = try encode(#"{"temperature":\#(asked)}"#, to: .anthropic)
        #expect(body["temperature"]?.double == sent)
        #expect(droppedFeatures == dropped)
    }

    @Test func otherTargetsKeepTemperaturesAboveOne() throws {
        #expect(try encode(#"{"temperature":1.5}"#, to: .openai).0["temperature"]?.double == 1.5)
    }

    @Test func openAITakesFourStopSequences() throws {
        let (body, dropped) = try encode(#"{"stopSequences":["a","b","c","d","e"]}"#, to: .openai)
        #expect(body["stop"]?.array?.compactMap(\.string) == ["a", "b", "c", "d"])
        #expect(dropped == ["stop"])
    }

    @Test func anthropicTakesNoBlankStopSequence() throws {
        let (body, dropped) = try encode(#"{"stopSequences":["\n\n","END"," "]}"#, to: .anthropic)
        #expect(body["stop_sequences"]?.array?.compactMap(\.string) == ["END"])
        #expect(dropped == ["stop"])
        #expect(throws: TranslationError.self) { try encode(#"{"stopSequences":["\n\n"]}"#, to: .anthropic, strict: true) }
    }

    @Test func geminiTakesFiveStopSequences() throws {
        let body = #"{"model":"m","max_tokens":5,"stop_sequences":["a","b","c","d","e","f"],"messages":[{"role":"user","content":"hi"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .anthropic)
        let encoded = try Translator.encodeRequest(request, to: .gemini, model: "m")
        #expect(try JSONValue.parse(encoded.body)["generationConfig"]?["stopSequences"]?.array?.count == 5)
        #expect(encoded.dropped == ["stop"])
    }
}
