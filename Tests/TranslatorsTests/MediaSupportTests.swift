import JSON
import Testing
@testable import Translators

/// Media a target's API does not take is dropped as `media` (refused in strict mode) instead of
/// being sent to fail there; a base64 plain-text document is sent as text.
@Suite struct MediaSupportTests {
    static let body = #"{"contents":[{"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"audio/wav","data":"UklGRg=="}},{"inlineData":{"mimeType":"text/plain","data":"aGVsbG8="}},{"inlineData":{"mimeType":"image/heic","data":"AAAA"}},{"fileData":{"mimeType":"application/pdf","fileUri":"gs://bucket/doc.pdf"}},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}]}"#

    func encode(to target: Dialect, strict: Bool = false) throws -> (JSONValue, [String]) {
        let request = try Translator.decodeRequest(Array(Self.body.utf8), from: .gemini, model: "m")
        let encoded = try Translator.encodeRequest(request, to: target, model: "m", options: .init(strict: strict))
        return (try JSONValue.parse(encoded.body), encoded.dropped)
    }

    @Test func anthropicGetsWhatItTakes() throws {
        let (body, dropped) = try encode(to: .anthropic)
        let parts = body["messages"]?[0]?["content"]?.array ?? []
        #expect(parts.map { $0["type"]?.string } == ["text", "document", "image"])
        #expect(parts[1]["source"]?["type"]?.string == "text")
        #expect(parts[1]["source"]?["data"]?.string == "hello")
        #expect(parts[2]["source"]?["media_type"]?.string == "image/png")
        #expect(dropped == ["media"])
        #expect(throws: TranslationError.unsupported(feature: "media", dialect: .anthropic)) { try encode(to: .anthropic, strict: true) }
    }

    @Test func openAIGetsWhatItTakes() throws {
        let (body, dropped) = try encode(to: .openai)
        let parts = body["messages"]?[0]?["content"]?.array ?? []
        #expect(parts.map { $0["type"]?.string } == ["text", "input_audio", "text", "image_url"])
        #expect(parts[1]["input_audio"]?["format"]?.string == "wav")
        #expect(parts[2]["text"]?.string == "hello")
        #expect(dropped == ["media", "document_url"])
    }

    @Test func geminiTakesEveryType() throws {
        let (body, dropped) = try encode(to: .gemini)
        #expect(body["contents"]?[0]?["parts"]?.array?.count == 6)
        #expect(dropped.isEmpty)
    }

    @Test(arguments: [("aGVsbG8=", "hello" as String?), ("4pyT", "✓"), ("", ""), ("/w==", nil), ("aGk=", "hi")])
    func base64DecodesToText(_ base64: String, _ text: String?) {
        #expect(Base64.decodeUTF8(base64) == text)
    }

    /// A message of nothing but media the target does not take would vanish (and the
    /// conversation's last user turn with it): refused, as in strict mode.
    @Test func aMessageOfOnlyUnsupportedMediaIsRefused() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"audio/ogg","data":"T2dn"}}]}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        #expect(throws: TranslationError.unsupported(feature: "media", dialect: .anthropic)) {
            try Translator.encodeRequest(request, to: .anthropic, model: "m")
        }
    }
}
