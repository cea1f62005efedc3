import Foundation
import TestSupport
import Testing

/// Each fault kind through the `X-Mock-Fault` header, in each API's format where it differs.
@Suite struct FaultTests {
    private func fault(_ spec: String) -> [String] { ["X-Mock-Fault: \(spec)"] }

    @Test func statusWithDefaultBodiesInEachFormatAndHeaders() async throws {
        let mock = try await TestMock()
        let spec = #"{"status":429,"headers":{"Retry-After":"3","retry-after-ms":"2500"}}"#
        let openAI = mock.openAI(Bodies.openAI("hi"), extra: fault(spec))
        #expect(openAI.status == 429)
        #expect(openAI.header("retry-after") == "3")
        #expect(openAI.header("retry-after-ms") == "2500")
        #expect(string(object(openAI.body), "error", "type") == "requests")
        #expect(string(object(openAI.body), "error", "code") == "rate_limit_exceeded")
        let anthropic = mock.anthropic(Bodies.anthropic("hi"), extra: fault(#"{"status":529}"#))
        #expect(anthropic.status == 529)
        #expect(string(object(anthropic.body), "error", "type") == "overloaded_error")
        let gemini = mock.gemini("m", "generateContent", Bodies.gemini("hi"), extra: fault(#"{"status":429,"retry_delay":"17s"}"#))
        #expect(gemini.status == 429)
        #expect(string(object(gemini.body), "error", "status") == "RESOURCE_EXHAUSTED")
        let details = path(object(gemini.body), "error", "details") as? [[String: Any]] ?? []
        #expect(details.contains { $0["@type"] as? String == "type.googleapis.com/google.rpc.RetryInfo" && $0["retryDelay"] as? String == "17s" })
        let custom = mock.openAI(Bodies.openAI("hi"), extra: fault(#"{"status":400,"body":"{\"error\":{\"message\":\"model not supported\"}}"}"#))
        #expect(custom.status == 400)
        #expect(custom.body == #"{"error":{"message":"model not supported"}}"#)
        let streaming = mock.anthropic(Bodies.anthropic("hi", stream: true), extra: fault(#"{"status":503}"#))
        #expect(streaming.status == 503)
        #expect(streaming.header("content-type") == "application/json")
        await mock.stop()
    }

    @Test func delayBeforeHeadersAndBetweenChunks() async throws {
        let mock = try await TestMock()
        var start = ContinuousClock.now
        #expect(mock.openAI(Bodies.openAI("hi"), extra: fault(#"{"delay_ms":300}"#)).status == 200)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        start = ContinuousClock.now
        let response = mock.openAI(Bodies.openAI("a b", stream: true), extra: fault(#"{"chunk_delay_ms":60}"#))
        #expect(response.complete)
        // 8 events (role, 5 words, finish, [DONE]): 7 gaps.
        #expect(ContinuousClock.now - start >= .milliseconds(7 * 60))
        await mock.stop()
    }

    @Test func hangNeverAnswersAndIsReleasedWhenTheClientLeaves() async throws {
        let mock = try await TestMock()
        let start = ContinuousClock.now
        let response = mock.openAI(Bodies.openAI("hi"), extra: fault(#"{"hang":true}"#), timeout: 0.4)
        #expect(response.status == 0)
        #expect(ContinuousClock.now - start >= .milliseconds(400))
        let silent = mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"hang_after_chunks":2}"#), timeout: 0.4)
        #expect(silent.status == 200)
        #expect(!silent.complete)
        #expect(silent.chunkSizes.count == 2)
        #expect(mock.openAI(Bodies.openAI("after")).status == 200)
        #expect(mock.requests().count == 3)
        #expect(await eventually { mock.mock.openConnections == 0 })
        await mock.stop()
    }

    @Test func resetAfterChunksCutsTheBodyWithoutItsEnd() async throws {
        let mock = try await TestMock()
        let response = mock.anthropic(Bodies.anthropic("hi", stream: true), extra: fault(#"{"reset_after_chunks":3}"#))
        #expect(response.status == 200)
        #expect(!response.complete)
        #expect(response.chunkSizes.count == 3)
        #expect(SSEParser.parse(response.body).map { $0.event } == ["message_start", "ping", "content_block_start"])
        let half = mock.openAI(Bodies.openAI("hi"), extra: fault(#"{"reset_after_chunks":1}"#))
        #expect(half.status == 200 && !half.complete && half.chunkSizes.count == 1)
        #expect(half.body.hasPrefix("{\"id\":\"chatcmpl-mock-2\""))
        let zero = mock.gemini("m", "streamGenerateContent", Bodies.gemini("hi"), query: "?alt=sse", extra: fault(#"{"reset_after_chunks":0}"#))
        #expect(zero.status == 200 && !zero.complete && zero.bodyBytes.isEmpty)
        await mock.stop()
    }

    @Test func emptyStreamIsHeadersThenNothing() async throws {
        let mock = try await TestMock()
        let response = mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"empty_stream":true}"#))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(response.complete)
        #expect(response.bodyBytes.isEmpty)
        await mock.stop()
    }

    @Test func malformedJSONAndSSE() async throws {
        let mock = try await TestMock()
        let body = mock.openAI(Bodies.openAI("hi"), extra: fault(#"{"malformed":"json"}"#))
        #expect(body.status == 200)
        #expect(decode(body.body) == nil)
        let stream = mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"malformed":"json"}"#))
        let events = SSEParser.parse(stream.body)
        #expect(events.count == 2)
        #expect(decode(events[0].data) != nil)
        #expect(decode(events[1].data) == nil)
        let sse = mock.anthropic(Bodies.anthropic("hi", stream: true), extra: fault(#"{"malformed":"sse"}"#))
        #expect(sse.complete)
        #expect(!sse.body.contains("message_stop"))
        #expect(!sse.body.hasSuffix("\n\n"))
        let array = mock.gemini("m", "streamGenerateContent", Bodies.gemini("hi"), extra: fault(#"{"malformed":"json"}"#))
        #expect(array.body.hasPrefix("[{"))
        #expect(decode(array.body) == nil)
        await mock.stop()
    }

    @Test func hugeBodiesAndLongStreams() async throws {
        let mock = try await TestMock()
        let huge = mock.anthropic(Bodies.anthropic("hi"), extra: fault(#"{"huge_bytes":200000}"#))
        #expect(huge.bodyBytes.count == 200_000)
        #expect(string(object(huge.body), "type") == "message")
        let stream = mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"huge_bytes":100000}"#))
        let text = SSEParser.parse(stream.body).dropLast().compactMap { string(object($0.data), "choices", 0, "delta", "content") }.joined()
        #expect(text.utf8.count == 100_000 + "mock reply to: hi".utf8.count)
        let long = mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"chunks":200}"#))
        let deltas = SSEParser.parse(long.body).dropLast().compactMap { string(object($0.data), "choices", 0, "delta", "content") }
        #expect(deltas.count == 201)  // the empty role delta plus 200 words
        #expect(deltas.dropFirst().allSatisfy { !$0.isEmpty })
        await mock.stop()
    }

    @Test func errorEventMidStreamInEachFormat() async throws {
        let mock = try await TestMock()
        let anthropic = SSEParser.parse(mock.anthropic(Bodies.anthropic("hi", stream: true), extra: fault(#"{"error_after_chunks":2}"#)).body)
        #expect(anthropic.map { $0.event } == ["message_start", "ping", "error"])
        #expect(string(object(anthropic[2].data), "error", "type") == "overloaded_error")
        let openAI = SSEParser.parse(mock.openAI(Bodies.openAI("hi", stream: true), extra: fault(#"{"error_after_chunks":1,"error_status":429}"#)).body)
        #expect(openAI.count == 2)
        #expect(string(object(openAI[1].data), "error", "code") == "rate_limit_exceeded")
        let gemini = mock.gemini("m", "streamGenerateContent", Bodies.gemini("hi"), extra: fault(#"{"error_after_chunks":0}"#))
        let array = try #require(decode(gemini.body) as? [[String: Any]])
        #expect(string(array.first, "error", "status") == "INTERNAL")
        await mock.stop()
    }

    @Test func invalidHeaderSpecIsA400InTheAPIsFormat() async throws {
        let mock = try await TestMock()
        let response = mock.anthropic(Bodies.anthropic("hi"), extra: fault(#"{"stauts":429}"#))
        #expect(response.status == 400)
        #expect(string(object(response.body), "error", "message")?.contains("stauts") == true)
        await mock.stop()
    }
}
