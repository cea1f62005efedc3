import Foundation
import TestSupport
import Testing

/// OpenAI Chat Completions: bodies, the exact chunk sequence, tools, reasoning, models, auth.
@Suite struct OpenAITests {
    @Test func nonStreamingReplyEchoesModelAndDerivesTextFromTheLastUserTurn() async throws {
        let mock = try await TestMock()
        let body = Bodies.openAI("What is the capital of France? Answer in one word please.")
        let response = mock.openAI(body)
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let json = object(response.body)
        #expect(string(json, "id") == "chatcmpl-mock-1")
        #expect(string(json, "object") == "chat.completion")
        #expect(string(json, "model") == "gpt-4o-mini")
        #expect(int(json, "created") == 1_700_000_000)
        #expect(string(json, "choices", 0, "message", "role") == "assistant")
        #expect(string(json, "choices", 0, "message", "content") == "mock reply to: What is the capital of France? Answer in")
        #expect(string(json, "choices", 0, "finish_reason") == "stop")
        #expect(int(json, "usage", "prompt_tokens") == body.utf8.count / 4)
        #expect(int(json, "usage", "completion_tokens") == 11)
        #expect(int(json, "usage", "total_tokens") == body.utf8.count / 4 + 11)
        #expect(string(object(mock.openAI(body).body), "id") == "chatcmpl-mock-2")
        await mock.stop()
    }

    @Test func streamingSendsRoleDeltaContentDeltasFinishThenDone() async throws {
        let mock = try await TestMock()
        let response = mock.openAI(Bodies.openAI("hello big world", stream: true))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(response.complete)
        let events = SSEParser.parse(response.body)
        #expect(events.last?.data == "[DONE]")
        let chunks = events.dropLast().map { object($0.data) }
        #expect(chunks.allSatisfy { string($0, "object") == "chat.completion.chunk" && string($0, "id") == "chatcmpl-mock-1" })
        #expect(chunks.allSatisfy { $0["usage"] == nil })
        #expect(string(chunks[0], "choices", 0, "delta", "role") == "assistant")
        let deltas = chunks.dropFirst().dropLast().compactMap { string($0, "choices", 0, "delta", "content") }
        #expect(deltas == ["mock ", "reply ", "to: ", "hello ", "big ", "world"])
        #expect(string(chunks.last, "choices", 0, "finish_reason") == "stop")
        #expect(response.chunkSizes.count == events.count)  // one HTTP chunk per event
        await mock.stop()
    }

    @Test func includeUsageAddsNullUsageEverywhereAndAFinalUsageChunk() async throws {
        let mock = try await TestMock()
        let body = Bodies.openAI("count me", stream: true, extra: #","stream_options":{"include_usage":true}"#)
        let events = SSEParser.parse(mock.openAI(body).body)
        let chunks = events.dropLast().map { object($0.data) }
        #expect(chunks.dropLast().allSatisfy { $0["usage"] is NSNull })
        let usage = chunks.last!
        #expect((usage["choices"] as? [Any])?.isEmpty == true)
        #expect(int(usage, "usage", "prompt_tokens") == body.utf8.count / 4)
        #expect(int(usage, "usage", "completion_tokens") == 5)
        #expect(string(chunks[chunks.count - 2], "choices", 0, "finish_reason") == "stop")
        await mock.stop()
    }

    @Test func toolCallWhenToolsAreOfferedAndAskedFor() async throws {
        let mock = try await TestMock()
        let tools = #","tools":[{"type":"function","function":{"name":"get_weather","parameters":\#(Bodies.weatherTool)}}]"#
        let plain = object(mock.openAI(Bodies.openAI("just chat", extra: tools)).body)
        #expect(path(plain, "choices", 0, "message", "tool_calls") == nil)
        let json = object(mock.openAI(Bodies.openAI("please use tool", extra: tools)).body)
        #expect(string(json, "choices", 0, "finish_reason") == "tool_calls")
        #expect(path(json, "choices", 0, "message", "content") is NSNull)
        #expect(string(json, "choices", 0, "message", "tool_calls", 0, "id") == "call_mock_2")
        #expect(string(json, "choices", 0, "message", "tool_calls", 0, "function", "name") == "get_weather")
        #expect(string(json, "choices", 0, "message", "tool_calls", 0, "function", "arguments") == #"{"city":"mock","days":1}"#)

        let events = SSEParser.parse(mock.openAI(Bodies.openAI("use tool", stream: true, extra: tools)).body)
        let chunks = events.dropLast().map { object($0.data) }
        #expect(string(chunks[0], "choices", 0, "delta", "tool_calls", 0, "id") == "call_mock_3")
        #expect(string(chunks[0], "choices", 0, "delta", "tool_calls", 0, "function", "name") == "get_weather")
        #expect(int(chunks[0], "choices", 0, "delta", "tool_calls", 0, "index") == 0)
        let arguments = chunks.compactMap { string($0, "choices", 0, "delta", "tool_calls", 0, "function", "arguments") }.joined()
        #expect(arguments == #"{"city":"mock","days":1}"#)
        #expect(chunks.count == 5)  // head, three argument deltas, finish
        #expect(string(chunks.last, "choices", 0, "finish_reason") == "tool_calls")
        await mock.stop()
    }

    @Test func reasoningIsCountedNotStreamedAndMaxTokensCuts() async throws {
        let mock = try await TestMock()
        let json = object(mock.openAI(Bodies.openAI("think hard", model: "o3-mini", extra: #","reasoning_effort":"high""#)).body)
        #expect(int(json, "usage", "completion_tokens_details", "reasoning_tokens") == 4)
        #expect(int(json, "usage", "completion_tokens") == 9)
        let cut = object(mock.openAI(Bodies.openAI("one two three four", extra: #","max_completion_tokens":2"#)).body)
        #expect(string(cut, "choices", 0, "message", "content") == "mock reply")
        #expect(string(cut, "choices", 0, "finish_reason") == "length")
        await mock.stop()
    }

    @Test func modelsListAndAuthErrorsInOpenAIFormat() async throws {
        let mock = try await TestMock()
        let models = mock.get("/v1/models", ["Authorization: Bearer sk-x"])
        #expect(string(object(models.body), "object") == "list")
        #expect(string(object(models.body), "data", 0, "object") == "model")
        for response in [mock.openAI(Bodies.openAI("hi"), key: nil), mock.openAI(Bodies.openAI("hi"), key: "invalid-key"),
                         mock.get("/v1/models")] {
            #expect(response.status == 401)
            #expect(string(object(response.body), "error", "type") == "invalid_request_error")
            #expect(string(object(response.body), "error", "code") == "invalid_api_key")
            #expect(string(object(response.body), "error", "message") != nil)
        }
        let bad = mock.openAI(#"{"model":"gpt-4o"}"#)
        #expect(bad.status == 400)
        #expect(string(object(bad.body), "error", "type") == "invalid_request_error")
        #expect(mock.openAI("not json").status == 400)
        await mock.stop()
    }
}
