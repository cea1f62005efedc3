import HTTPCore
import Testing
import Translators
@testable import Router

@Suite struct UsageChunkFilterTests {
    private let chunk = #"{"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null,"x":1}"#
    private let usage = #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#

    @Test func onlyTheUsageChunkIsRemovedAndPayloadsKeepTheirBytes() {
        var filter = UsageChunkFilter()
        let input = "data: \(chunk)\n\ndata: \(usage)\n\ndata: [DONE]\n\n"
        let output = filter.filter(Array(input.utf8))
        #expect(String(decoding: output, as: UTF8.self) == "data: \(chunk)\n\ndata: [DONE]\n\n")
    }

    /// Everything but the usage chunk keeps the upstream's framing: keep-alive comments
    /// (OpenRouter's, against idle timeouts), `event:`/`id:` lines, CRLF, `data:` without a space,
    /// and a usage chunk split over two `data:` lines is still found.
    @Test func theUpstreamsFramingIsKept() {
        var filter = UsageChunkFilter()
        let kept = ": OPENROUTER PROCESSING\r\n\r\nid: 7\r\nevent: chunk\r\ndata:\(chunk)\r\n\r\n"
        let usageSplit = "data: {\"id\":\"c\",\n\ndata: \"choices\":[]}\n\n"
        let input = kept + "data: \(usage)\r\n\r\n" + "data: {\"id\":\"c\",\ndata: \"choices\":[]}\n\n" + "data: [DONE]\n\n"
        #expect(String(decoding: filter.filter(Array(input.utf8)), as: UTF8.self) == kept + "data: [DONE]\n\n")
        #expect(UsageChunkFilter.split(Array(usageSplit.utf8)).count == 2)
        // An event the stream ended without closing is given up as it is, unless it is the usage chunk.
        var unterminated = UsageChunkFilter()
        #expect(unterminated.filter(Array("data: \(usage)".utf8)).isEmpty)
        #expect(unterminated.remainder().isEmpty)
        var ending = UsageChunkFilter()
        #expect(ending.filter(Array(": bye".utf8)).isEmpty)
        #expect(String(decoding: ending.remainder(), as: UTF8.self) == ": bye")
    }

    @Test func anySplitGivesTheSameOutput() {
        let input = Array("data: \(chunk)\r\n\r\ndata: \(usage)\r\n\r\ndata: [DONE]\r\n\r\n".utf8)
        var whole = UsageChunkFilter()
        let expected = whole.filter(input) + whole.remainder()
        for size in [1, 2, 7, 64] {
            var filter = UsageChunkFilter()
            var output: [UInt8] = []
            var offset = 0
            while offset < input.count {
                output += filter.filter(Array(input[offset..<min(input.count, offset + size)]))
                offset += size
            }
            output += filter.remainder()  // a final LF waits to know it ends a CRLF
            #expect(output == expected)
        }
    }

    @Test(arguments: [
        (#"{"choices":[]}"#, true),
        (#"{"choices":[],"usage":{"total_tokens":1}}"#, true),
        (#"{"choices":[{"index":0}]}"#, false),
        (#"{"usage":{}}"#, false),
        ("[DONE]", false),
        ("not json", false),
    ])
    func usageOnlyDetection(_ data: String, _ expected: Bool) {
        #expect(UsageChunkFilter.isUsageOnly(Array(data.utf8)) == expected)
    }
}

@Suite struct GatewayDialectTests {
    private func request(_ path: String, _ headers: HTTPHeaders = [:], method: String = "GET") -> HTTPRequest {
        HTTPRequest(method: method, target: path, headers: headers, body: [], id: "r", remoteAddress: "")
    }

    @Test func endpointsSpeakTheirFormat() {
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1/chat/completions") == .openai)
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1/messages/count_tokens") == .anthropic)
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1beta/models/x:generateContent") == .gemini)
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1/models/gemini-2.5-pro:streamGenerateContent") == .gemini)
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1/models/gemini%3AcountTokens") == .gemini)
        #expect(GatewayErrorRenderer.dialect(ofPath: "/v1/models/gpt-4o") == .openai)
    }

    @Test func modelListsFollowTheCallersHeaders() {
        #expect(GatewayErrorRenderer.listingDialect(request("/v1/models")) == .openai)
        #expect(GatewayErrorRenderer.listingDialect(request("/v1/models", ["anthropic-version": "2023-06-01"])) == .anthropic)
        #expect(GatewayErrorRenderer.listingDialect(request("/v1/models", ["x-goog-api-key": "k"])) == .gemini)
        #expect(GatewayErrorRenderer.listingDialect(request("/v1/models?key=k")) == .gemini)
    }

    @Test func percentEncodingKeepsOnlyUnreservedCharacters() {
        #expect(PercentEncoding.unreserved("gemini-2.5_pro~x") == "gemini-2.5_pro~x")
        #expect(PercentEncoding.unreserved("a b/c:d+é") == "a%20b%2Fc%3Ad%2B%C3%A9")
    }
}

@Suite struct ResponseUsageTests {
    @Test func usageIsReadWithoutDecodingTheResponse() {
        let openai = #"{"id":"x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"#
        let anthropic = #"{"type":"message","usage":{"input_tokens":7,"cache_read_input_tokens":2,"output_tokens":4}}"#
        let gemini = #"{"candidates":[],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":6}}"#
        #expect(Translator.usage(ofResponse: Array(openai.utf8), from: .openai) == Usage(inputTokens: 5, outputTokens: 3))
        #expect(Translator.usage(ofResponse: Array(anthropic.utf8), from: .anthropic)?.inputTokens == 9)
        #expect(Translator.usage(ofResponse: Array(gemini.utf8), from: .gemini)?.outputTokens == 6)
        #expect(Translator.usage(ofResponse: Array(#"{"id":"x"}"#.utf8), from: .openai) == nil)
        #expect(Translator.usage(ofResponse: Array("not json".utf8), from: .openai) == nil)
    }
}
