import Foundation
import Testing
@testable import Translators

@Suite struct StreamEncoderSafetyTests {
    /// A stream that ends without a finish reason must end with an error, never a fake stop.
    @Test(arguments: Dialect.allCases)
    func finishWithoutFinishReasonIsAnError(_ client: Dialect) throws {
        var encoder = StreamEncoder(dialect: client, created: 1, includeUsage: true)
        var out = encoder.encode([.start(id: "r", model: "m", usage: nil), .partStart(index: 0, .text), .delta(index: 0, .text("Hi"))])
        out += encoder.finish()
        out += encoder.finish()
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains("upstream stream ended before the response was complete"))
        #expect(text.components(separatedBy: "ended before").count == 2)
        #expect(!text.contains("[DONE]"))
        #expect(!text.contains("message_stop"))
        #expect(!text.contains("finishReason"))
        #expect(!text.contains("\"finish_reason\":\"stop\""))
    }

    @Test func unfoldedResponsesStreamCompletely() throws {
        let response = try Translator.decodeResponse(try Fixtures.bytes("responses/openai-tools.json"), from: .openai)
        var encoder = StreamEncoder(dialect: .anthropic)
        let out = encoder.encode(response.streamEvents()) + encoder.finish()
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
        #expect(text.contains("\"stop_reason\":\"tool_use\""))
    }
}
