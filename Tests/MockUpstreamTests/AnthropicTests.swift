import Foundation
import TestSupport
import Testing

/// Anthropic Messages: bodies, the exact event sequence, thinking, tool_use, count_tokens, auth.
@Suite struct AnthropicTests {
    @Test func nonStreamingMessage() async throws {
        let mock = try await TestMock()
        let body = Bodies.anthropic("Tell me a story")
        let response = mock.anthropic(body)
        #expect(response.status == 200)
        let json = object(response.body)
        #expect(string(json, "id") == "msg_mock_1")
        #expect(string(json, "type") == "message")
        #expect(string(json, "role") == "assistant")
        #expect(string(json, "model") == "claude-sonnet-4-5")
        #expect(string(json, "content", 0, "type") == "text")
        #expect(string(json, "content", 0, "text") == "mock reply to: Tell me a story")
        #expect(string(json, "stop_reason") == "end_turn")
        #expect(path(json, "stop_sequence") is NSNull)
        #expect(int(json, "usage", "input_tokens") == body.utf8.count / 4)
        #expect(int(json, "usage", "output_tokens") == 7)
        await mock.stop()
    }

    @Test func streamingEventSequence() async throws {
        let mock = try await TestMock()
        let response = mock.anthropic(Bodies.anthropic("short one", stream: true))
        #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(response.complete)
        let events = SSEParser.parse(response.body)
        #expect(events.map { $0.event ?? "" } == ["message_start", "ping", "content_block_start"]
            + Array(repeating: "content_block_delta", count: 5) + ["content_block_stop", "message_delta", "message_stop"])
        for event in events { #expect(string(object(event.data), "type") == event.event) }
        let start = object(events[0].data)
        #expect(string(start, "message", "id") == "msg_mock_1")
        #expect(string(start, "message", "model") == "claude-sonnet-4-5")
        #expect(path(start, "message", "stop_reason") is NSNull)
        #expect(int(start, "message", "usage", "input_tokens")! > 0)
        #expect(string(object(events[2].data), "content_block", "type") == "text")
        let text = events[3..<8].compactMap { string(object($0.data), "delta", "text") }.joined()
        #expect(text == "mock reply to: short one")
        let delta = object(events[9].data)
        #expect(string(delta, "delta", "stop_reason") == "end_turn")
        #expect(int(delta, "usage", "output_tokens") == 5)
        await mock.stop()
    }

    @Test func thinkingBlockWithSignatureThenToolUseWithInputJSONDeltas() async throws {
        let mock = try await TestMock()
        let extra = #","thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"get_weather","input_schema":\#(Bodies.weatherTool)}]"#
        let json = object(mock.anthropic(Bodies.anthropic("now use tool please", extra: extra)).body)
        #expect(string(json, "content", 0, "type") == "thinking")
        #expect(string(json, "content", 0, "thinking") == "Thinking about: now use tool please")
        #expect(!(string(json, "content", 0, "signature") ?? "").isEmpty)
        #expect(string(json, "content", 1, "type") == "tool_use")
        #expect(string(json, "content", 1, "id") == "toolu_mock_1")
        #expect(string(json, "content", 1, "name") == "get_weather")
        #expect(string(json, "content", 1, "input", "city") == "mock")
        #expect(string(json, "stop_reason") == "tool_use")

        let events = SSEParser.parse(mock.anthropic(Bodies.anthropic("now use tool please", stream: true, extra: extra)).body)
        let payloads = events.map { object($0.data) }
        let starts = payloads.filter { string($0, "type") == "content_block_start" }
        #expect(starts.map { string($0, "content_block", "type") } == ["thinking", "tool_use"])
        #expect(starts.map { int($0, "index") } == [0, 1])
        let deltas = payloads.filter { string($0, "type") == "content_block_delta" }
        let thinking = deltas.filter { string($0, "delta", "type") == "thinking_delta" }
        #expect(thinking.compactMap { string($0, "delta", "thinking") }.joined() == "Thinking about: now use tool please")
        let signature = deltas.filter { string($0, "delta", "type") == "signature_delta" }
        #expect(signature.count == 1 && int(signature[0], "index") == 0)
        let json1 = deltas.filter { string($0, "delta", "type") == "input_json_delta" }
        #expect(json1.allSatisfy { int($0, "index") == 1 })
        #expect(json1.compactMap { string($0, "delta", "partial_json") }.joined() == #"{"city":"mock","days":1}"#)
        // Each thinking_delta precedes the signature; the signature precedes the block's stop.
        let kinds = payloads.map { string($0, "type") == "content_block_delta" ? string($0, "delta", "type")! : string($0, "type")! }
        #expect(kinds.firstIndex(of: "signature_delta")! > kinds.lastIndex(of: "thinking_delta")!)
        #expect(kinds.firstIndex(of: "signature_delta")! < kinds.firstIndex(of: "content_block_stop")!)
        #expect(string(payloads[payloads.count - 2], "delta", "stop_reason") == "tool_use")
        await mock.stop()
    }

    @Test func countTokensModelsAndMaxTokens() async throws {
        let mock = try await TestMock()
        let body = #"{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"count these tokens please"}]}"#
        let count = mock.anthropic(body, path: "/v1/messages/count_tokens")
        #expect(count.status == 200)
        #expect(int(object(count.body), "input_tokens") == body.utf8.count / 4)
        let models = mock.get("/v1/models", ["x-api-key: k", "anthropic-version: 2023-06-01"])
        #expect(string(object(models.body), "data", 0, "type") == "model")
        #expect((path(object(models.body), "has_more") as? Bool) == false)
        let cut = object(mock.anthropic(#"{"model":"m","max_tokens":3,"messages":[{"role":"user","content":"a b c d"}]}"#).body)
        #expect(string(cut, "stop_reason") == "max_tokens")
        #expect(string(cut, "content", 0, "text") == "mock reply to:")
        await mock.stop()
    }

    @Test func errorsInAnthropicFormat() async throws {
        let mock = try await TestMock()
        let missing = mock.anthropic(Bodies.anthropic("hi"), key: nil)
        #expect(missing.status == 401)
        #expect(string(object(missing.body), "type") == "error")
        #expect(string(object(missing.body), "error", "type") == "authentication_error")
        let noVersion = mock.anthropic(Bodies.anthropic("hi"), version: false)
        #expect(noVersion.status == 400)
        #expect(string(object(noVersion.body), "error", "message") == "anthropic-version: header is required")
        let noMaxTokens = mock.anthropic(#"{"model":"m","messages":[]}"#)
        #expect(noMaxTokens.status == 400)
        #expect(string(object(noMaxTokens.body), "error", "type") == "invalid_request_error")
        // An OAuth access token is accepted as Bearer.
        #expect(mock.anthropic(Bodies.anthropic("hi"), key: nil, extra: ["Authorization: Bearer oauth-token"]).status == 200)
        await mock.stop()
    }
}
