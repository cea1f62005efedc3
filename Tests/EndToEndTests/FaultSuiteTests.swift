#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import TestSupport
import Testing

private let chat = ChatBody.plain
private let streamingChat = ChatBody.streaming

/// The rest of the fault suite (issue 7): hints, timeouts after the first byte, malformed
/// streams, large replayed bodies, load with flipping credentials, and shutdown with open
/// streams. After each case the gateway still answers and holds no leaked sockets.
@Suite(.serialized) struct FaultSuiteTests {
    @Test func retryAfterAsAnHTTPDateIsHonoured() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(120))
        try stack.fault(key: "key-openai-1", #"{"status":429,"headers":{"Retry-After":"\#(date)"}}"#)
        try stack.fault(key: "key-openai-2", #"{"status":429,"headers":{"Retry-After":"\#(date)"}}"#)
        let response = try stack.gateway("/v1/chat/completions", chat)
        #expect(response.status == 429)
        #expect((110...121).contains(Int(response.header("retry-after") ?? "") ?? 0))
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func headersThenSilenceHitsTheIdleTimeoutAsAnErrorEvent() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        #expect(try stack.admin("PATCH", "/v1/settings", #"{"upstream_timeouts":{"idle_seconds":1}}"#).status == 200)
        try stack.fault(key: "key-openai-1", #"{"hang_after_chunks":3}"#)
        let started = ContinuousClock.now
        let response = try stack.gateway("/v1/chat/completions", streamingChat)
        #expect(response.status == 200)
        #expect(ContinuousClock.now - started < .seconds(6))
        #expect(response.body.contains(#""error""#))
        #expect(!response.body.contains("[DONE]"))
        #expect(response.complete)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func aSlowDripIsCutAtTheTotalTimeout() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        #expect(try stack.admin("PATCH", "/v1/settings", #"{"upstream_timeouts":{"total_seconds":2}}"#).status == 200)
        try stack.fault(key: "key-openai-1", #"{"chunk_delay_ms":300,"chunks":100}"#)
        let started = ContinuousClock.now
        let response = try stack.gateway("/v1/chat/completions", streamingChat)
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(response.status == 200)
        #expect(response.body.contains(#""error""#))
        #expect(!response.body.contains("[DONE]"))
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func aMalformedStreamBeforeTheFirstPayloadFailsOver() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", times: 1, #"{"malformed":"json"}"#)
        let response = try stack.gateway("/v1/messages",
                                         #"{"model":"gpt-4o","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                         format: "anthropic")
        #expect(response.status == 200)
        #expect(SSEParser.parse(response.body).compactMap(\.event).last == "message_stop")
        #expect(try stack.upstreamKeys() == ["key-openai-1", "key-openai-2"])
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func aMalformedStreamAfterTheFirstPayloadEndsWithAnErrorEvent() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"malformed":"sse","malformed_after_chunks":4,"chunks":10}"#)
        let response = try stack.gateway("/v1/messages",
                                         #"{"model":"gpt-4o","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                         format: "anthropic")
        #expect(response.status == 200)
        let events = SSEParser.parse(response.body).compactMap(\.event)
        #expect(events.contains("content_block_delta"))
        #expect(events.last == "error")
        #expect(!events.contains("message_stop"))
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func anUpstreamErrorAfterTheFirstPayloadBecomesAnErrorEventInTheClientsFormat() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"error_after_chunks":3,"chunks":10}"#)
        let response = try stack.gateway("/v1beta/models/gpt-4o:streamGenerateContent?alt=sse",
                                         #"{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"#, format: "gemini")
        #expect(response.status == 200)
        let events = SSEParser.parse(response.body)
        #expect(events.last?.data.contains(#""error""#) == true)
        #expect(!events.dropLast().contains { $0.data.contains("finishReason") })
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func aFiveMegabyteBodyIsReplayedIdenticallyOnFailover() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"status":500}"#)
        let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 5 * 1024 * 1024 / 27)
        let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"\#(filler)"}],"x_unknown":{"kept":true}}"#
        let response = try stack.gateway("/v1/chat/completions", body)
        #expect(response.status == 200)
        let log = try JSONValue.parse(try stack.mockControl("GET", "/_mock/requests").body).array ?? []
        #expect(log.count == 2)
        let hashes = log.compactMap { $0["body_sha256"]?.string }
        #expect(hashes.count == 2 && hashes[0] == hashes[1])
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func concurrentStreamsWhileCredentialsFlipAreAllServedOrAnswered429() async throws {
        let stack = try await Stack.withTwoCredentials(["--max-connections", "1000"])
        defer { stack.stop() }
        let baseline = stack.descriptors
        // The first credential answers 429 for the next 60 requests; the second is slow but fine.
        try stack.fault(key: "key-openai-1", times: 60, #"{"status":429,"headers":{"Retry-After":"1"}}"#)
        try stack.fault(key: "key-openai-2", #"{"chunk_delay_ms":5,"chunks":20}"#)
        let port = stack.gatewayPort, key = stack.key
        let outcomes = await onThreads(200) { _ -> String in
            guard let response = rawExchange(port: port, path: "/v1/chat/completions",
                                             headers: ["Authorization: Bearer \(key)"], body: streamingChat,
                                             receiveTimeout: 30) else { return "no answer" }
            if response.status == 429 { return response.header("retry-after") != nil ? "429" : "429 without Retry-After" }
            guard response.status == 200 else { return "HTTP \(response.status)" }
            return response.complete && response.body.contains("[DONE]") ? "200" : "incomplete stream"
        }
        let unexpected = outcomes.filter { $0 != "200" && $0 != "429" }
        #expect(outcomes.count == 200)
        #expect(unexpected.isEmpty, "\(unexpected.prefix(5))")
        #expect(outcomes.filter { $0 == "200" }.count >= 100)
        // Up to 64 idle upstream connections stay pooled for reuse; nothing else may remain.
        try await stack.expectHealthy(baseline: baseline, pooled: 64 + 4)
    }

    @Test func sigtermLetsOpenStreamsFinishWithinTheDrainTimeout() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        try stack.fault(key: "key-openai-1", #"{"chunk_delay_ms":50,"chunks":20}"#)
        let port = stack.gatewayPort, key = stack.key
        let streams = Task {
            await onThreads(5) { _ in
                rawExchange(port: port, path: "/v1/chat/completions", headers: ["Authorization: Bearer \(key)"],
                            body: streamingChat, receiveTimeout: 20)
            }
        }
        try await Task.sleep(for: .milliseconds(400))
        let status = await Task.detached { stack.switchyard.stop(SIGTERM) }.value
        #expect(status == 0)
        let responses = await streams.value
        #expect(responses.count == 5)
        for response in responses {
            #expect(response?.status == 200)
            #expect(response?.complete == true)
            #expect(response?.body.contains("[DONE]") == true)
        }
    }
}
