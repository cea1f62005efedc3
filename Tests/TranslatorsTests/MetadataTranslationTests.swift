import JSON
import Testing
@testable import Translators

/// The end-user id across formats.
@Suite struct MetadataTranslationTests {
    /// OpenAI takes `user` of at most 64 characters: Claude Code's `metadata.user_id` (about 160,
    /// naming its account) is dropped, not sent to be refused; a short one is sent.
    @Test(arguments: [(String(repeating: "u", count: 64), true), ("user_" + String(repeating: "a", count: 64) + "_account_x_session_y", false)])
    func anthropicUserIDToOpenAI(_ user: String, _ sent: Bool) throws {
        let body = #"{"model":"m","max_tokens":5,"metadata":{"user_id":"\#(user)"},"messages":[{"role":"user","content":"hi"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .anthropic)
        let encoded = try Translator.encodeRequest(request, to: .openai, model: "m")
        #expect(try JSONValue.parse(encoded.body)["user"]?.string == (sent ? user : nil))
        #expect(encoded.dropped == (sent ? [] : ["user"]))
    }
}
