import Testing
@testable import Translators

/// Inline media arrives in either base64 alphabet, padded or not (the google-genai SDK sends
/// base64url); every provider gets canonical standard base64.
@Suite struct Base64Tests {
    @Test(arguments: [
        ("iVBORw0KGgo=", "iVBORw0KGgo="),        // canonical: returned as is
        ("iVBORw0KGgo", "iVBORw0KGgo="),         // unpadded
        ("mNk-M9Q_", "mNk+M9Q/"),                // base64url
        ("mNk-M9Q_ag", "mNk+M9Q/ag=="),          // base64url, unpadded
        ("mNk-M9Q_ag==", "mNk+M9Q/ag=="),        // base64url, padded
        ("", ""),
    ])
    func acceptedAndStandardized(_ input: String, _ expected: String) {
        #expect(Base64.standard(input) == expected)
    }

    @Test(arguments: ["a", "abcde", "ab=c", "ab===", "abc==", "a b=", "ab\n==", "ab$c", "=", "ab=="+"=="])
    func refused(_ input: String) {
        #expect(Base64.standard(input) == nil)
    }

    /// What the google-genai SDK sends for an image reaches OpenAI and Anthropic as standard base64.
    @Test func aGeminiImageInBase64URLReachesOtherProvidersAsStandardBase64() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk-M9QDwADhgGAWjR9awAAAABJRU5ErkJggg"}},{"text":"what is it"}]}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        guard case .image(let media) = request.messages[0].content[0], case .base64(let type, let data) = media.source else {
            Issue.record("expected an inline image")
            return
        }
        #expect(type == "image/png")
        #expect(data == "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    }
}
