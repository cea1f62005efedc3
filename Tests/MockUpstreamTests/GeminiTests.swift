import Foundation
import TestSupport
import Testing

/// Gemini: generateContent, both streamGenerateContent framings, thoughts, function calls, auth.
@Suite struct GeminiTests {
    @Test func generateContent() async throws {
        let mock = try await TestMock()
        let body = Bodies.gemini("Explain the moon")
        let response = mock.gemini("gemini-2.5-flash", "generateContent", body)
        #expect(response.status == 200)
        let json = object(response.body)
        #expect(string(json, "candidates", 0, "content", "role") == "model")
        #expect(string(json, "candidates", 0, "content", "parts", 0, "text") == "mock reply to: Explain the moon")
        #expect(string(json, "candidates", 0, "finishReason") == "STOP")
        #expect(string(json, "modelVersion") == "gemini-2.5-flash")
        #expect(string(json, "responseId") == "mock-1")
        #expect(int(json, "usageMetadata", "promptTokenCount") == body.utf8.count / 4)
        #expect(int(json, "usageMetadata", "candidatesTokenCount") == 6)
        #expect(int(json, "usageMetadata", "totalTokenCount") == body.utf8.count / 4 + 6)
        await mock.stop()
    }

    @Test func streamWithoutAltIsOneJSONArrayStreamedElementByElement() async throws {
        let mock = try await TestMock()
        let response = mock.gemini("gemini-2.5-pro", "streamGenerateContent", Bodies.gemini("two words"))
        #expect(response.header("content-type") == "application/json; charset=UTF-8")
        #expect(response.complete)
        #expect(response.body.hasPrefix("[{"))
        #expect(response.body.hasSuffix("}]"))
        let array = try #require(decode(response.body) as? [[String: Any]])
        #expect(array.count == 5)
        #expect(response.chunkSizes.count == 5)
        #expect(array.compactMap { string($0, "candidates", 0, "content", "parts", 0, "text") }.joined() == "mock reply to: two words")
        #expect(array.dropLast().allSatisfy { path($0, "candidates", 0, "finishReason") == nil })
        #expect(array.dropLast().allSatisfy { path($0, "usageMetadata", "candidatesTokenCount") == nil })
        #expect(string(array.last, "candidates", 0, "finishReason") == "STOP")
        #expect(int(array.last, "usageMetadata", "candidatesTokenCount") == 5)
        await mock.stop()
    }

    @Test func streamWithAltSSEIsDataEventsEndingInCRLF() async throws {
        let mock = try await TestMock()
        let response = mock.gemini("gemini-2.5-flash", "streamGenerateContent", Bodies.gemini("two words"), query: "?alt=sse")
        #expect(response.header("content-type") == "text/event-stream")
        #expect(response.body.hasPrefix("data: {"))
        #expect(response.body.hasSuffix("}\r\n\r\n"))
        let events = SSEParser.parse(response.body)
        #expect(events.count == 5)
        #expect(events.allSatisfy { $0.event == nil })
        let chunks = events.map { object($0.data) }
        #expect(chunks.compactMap { string($0, "candidates", 0, "content", "parts", 0, "text") }.joined() == "mock reply to: two words")
        #expect(string(chunks.last, "candidates", 0, "finishReason") == "STOP")
        await mock.stop()
    }

    @Test func thoughtsWithSignatureAndFunctionCall() async throws {
        let mock = try await TestMock()
        let thinking = #","generationConfig":{"thinkingConfig":{"includeThoughts":true,"thinkingBudget":1024}}"#
        let json = object(mock.gemini("gemini-2.5-pro", "generateContent", Bodies.gemini("ponder this", extra: thinking)).body)
        #expect((path(json, "candidates", 0, "content", "parts", 0, "thought") as? Bool) == true)
        #expect(string(json, "candidates", 0, "content", "parts", 0, "text") == "Thinking about: ponder this")
        #expect(!(string(json, "candidates", 0, "content", "parts", 1, "thoughtSignature") ?? "").isEmpty)
        #expect(int(json, "usageMetadata", "thoughtsTokenCount") == 4)

        let hidden = object(mock.gemini("m", "generateContent", Bodies.gemini("x", extra: #","generationConfig":{"thinkingConfig":{"thinkingBudget":512}}"#)).body)
        #expect((path(hidden, "candidates", 0, "content", "parts") as? [Any])?.count == 1)
        #expect(int(hidden, "usageMetadata", "thoughtsTokenCount") == 3)

        let tools = #","tools":[{"functionDeclarations":[{"name":"lookup","parameters":\#(Bodies.weatherTool)}]}]"#
        let call = object(mock.gemini("m", "generateContent", Bodies.gemini("use tool", extra: tools)).body)
        #expect(string(call, "candidates", 0, "content", "parts", 0, "functionCall", "name") == "lookup")
        #expect(string(call, "candidates", 0, "content", "parts", 0, "functionCall", "args", "city") == "mock")
        #expect(string(call, "candidates", 0, "finishReason") == "STOP")

        let events = SSEParser.parse(mock.gemini("m", "streamGenerateContent", Bodies.gemini("use tool", extra: tools + thinking), query: "?alt=sse").body)
        let chunks = events.map { object($0.data) }
        #expect(chunks.dropLast().allSatisfy { (path($0, "candidates", 0, "content", "parts", 0, "thought") as? Bool) == true })
        #expect(string(chunks.last, "candidates", 0, "content", "parts", 0, "functionCall", "name") == "lookup")
        #expect(string(chunks.last, "candidates", 0, "content", "parts", 0, "thoughtSignature") != nil)
        await mock.stop()
    }

    @Test func countTokensModelsAndAuth() async throws {
        let mock = try await TestMock()
        let body = Bodies.gemini("count")
        #expect(int(object(mock.gemini("m", "countTokens", body).body), "totalTokens") == body.utf8.count / 4)
        let models = mock.get("/v1beta/models", ["x-goog-api-key: k"])
        #expect(string(object(models.body), "models", 0, "name") == "models/gemini-2.5-flash")
        let viaQuery = mock.gemini("m", "generateContent", body, query: "?key=from-query", key: nil)
        #expect(viaQuery.status == 200)
        #expect(mock.requests().last?["key"] as? String == "from-query")
        let missing = mock.gemini("m", "generateContent", body, key: nil)
        #expect(missing.status == 401)
        #expect(int(object(missing.body), "error", "code") == 401)
        #expect(string(object(missing.body), "error", "status") == "UNAUTHENTICATED")
        let invalid = mock.gemini("m", "generateContent", #"{"contents":[]}"#)
        #expect(invalid.status == 400)
        #expect(string(object(invalid.body), "error", "status") == "INVALID_ARGUMENT")
        #expect(mock.send("/v1beta/nothing", [], nil, method: "GET").status == 404)
        await mock.stop()
    }
}
