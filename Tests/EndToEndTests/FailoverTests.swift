#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import TestSupport
import Testing

private let chat = ChatBody.plain
private let streamingChat = ChatBody.streaming

/// The upstream-fault rows of SPEC §6 through real processes: two OpenAI credentials in tiers
/// 0 and 1; a fault scripted on the first must be invisible to the client.
@Suite(.serialized) struct FailoverTests {
    @Test(arguments: [
        #"{"status":429,"headers":{"Retry-After":"30"}}"#,
        #"{"status":401}"#,
        #"{"status":403}"#,
        #"{"status":500}"#,
        #"{"status":529}"#,
        #"{"status":404}"#,
    ])
    func failureOnTheFirstCredentialIsServedByTheSecond(_ fault: String) async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", fault)
        let response = try stack.gateway("/v1/chat/completions", chat)
        #expect(response.status == 200, "\(response.body)")
        #expect(try stack.upstreamKeys() == ["key-openai-1", "key-openai-2"])
        // The failed credential is now cooling: the next request goes straight to the second.
        #expect(try stack.gateway("/v1/chat/completions", chat).status == 200)
        #expect(try stack.upstreamKeys().last == "key-openai-2")
        #expect(try stack.upstreamKeys().count == 3)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func emptyStreamAndErrorBeforeTheFirstPayloadFailOver() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", times: 1, #"{"empty_stream":true}"#)
        let first = try stack.gateway("/v1/chat/completions", streamingChat)
        #expect(first.status == 200)
        #expect(try ClientFormat.openai.text(of: first, stream: true).text.contains("mock reply"))
        #expect(try stack.upstreamKeys() == ["key-openai-1", "key-openai-2"])
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func hangingUpstreamTimesOutAndFailsOver() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        #expect(try stack.admin("PATCH", "/v1/settings", #"{"upstream_timeouts":{"first_byte_seconds":1}}"#).status == 200)
        try stack.fault(key: "key-openai-1", #"{"hang":true}"#)
        let started = ContinuousClock.now
        let response = try stack.gateway("/v1/chat/completions", chat)
        #expect(response.status == 200)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try stack.upstreamKeys() == ["key-openai-1", "key-openai-2"])
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func connectionRefusedFailsOver() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        // A provider on a port nobody listens on, preferred by tier.
        let closed = try closedPort()
        try MockProviders.put(stack, "/v1/providers/dead",
                              #"{"type":"openai","base_url":"http://127.0.0.1:\#(closed)/v1","models":["gpt-*"],"allow_private_network":true}"#)
        try MockProviders.put(stack, "/v1/routes/gpt-4o",
                              #"{"targets":[{"provider":"dead","model":"gpt-4o"},{"provider":"mock-openai","model":"gpt-4o"}]}"#)
        try MockProviders.put(stack, "/v1/credentials/dead-1", #"{"provider":"dead","api_key":"key-dead"}"#)
        let response = try stack.gateway("/v1/chat/completions", chat)
        #expect(response.status == 200, "\(response.body)")
        #expect(try stack.upstreamKeys() == ["key-openai-1"])
    }

    @Test func midStreamResetEndsWithAnErrorEventInTheClientsFormat() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"reset_after_chunks":3,"chunks":20}"#)
        let response = try stack.gateway("/v1/messages",
                                         #"{"model":"gpt-4o","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                         format: "anthropic")
        #expect(response.status == 200)
        let events = SSEParser.parse(response.body).compactMap(\.event)
        #expect(events.first == "message_start")
        #expect(events.last == "error")
        #expect(!events.contains("message_stop"))
        #expect(response.complete)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func everyCredentialCoolingGives429WithTheSoonestRetryAfter() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"status":429,"headers":{"Retry-After":"40"}}"#)
        try stack.fault(key: "key-openai-2", #"{"status":429,"headers":{"retry-after-ms":"90000"}}"#)
        let response = try stack.gateway("/v1/chat/completions", chat)
        #expect(response.status == 429)
        let retryAfter = Int(response.header("retry-after") ?? "") ?? 0
        #expect((35...40).contains(retryAfter))
        #expect(response.body.contains("gpt-4o"))
        let again = try stack.gateway("/v1/chat/completions", chat)
        #expect(again.status == 429)
        #expect(try stack.upstreamKeys().count == 2)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func everyCredentialUnauthorizedGives502() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(model: "gpt-4o", #"{"status":401}"#)
        #expect(try stack.gateway("/v1/chat/completions", chat).status == 502)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func clientDisconnectClosesTheUpstreamConnectionWithinASecond() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        let baseline = stack.descriptors
        try stack.fault(key: "key-openai-1", #"{"chunk_delay_ms":200,"chunks":200}"#)
        do {
            let client = try RawClient(port: stack.gatewayPort)
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(stack.key)\r\n"
                        + "Content-Length: \(streamingChat.utf8.count)\r\n\r\n\(streamingChat)")
            _ = client.read(until: "\"content\"")
            #expect(try openUpstreamConnections(stack) >= 1)
        }
        let deadline = ContinuousClock.now + .seconds(1)
        var open = try openUpstreamConnections(stack)
        while open > 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            open = try openUpstreamConnections(stack)
        }
        #expect(open == 0)
        try await stack.expectHealthy(baseline: baseline)
    }

    @Test func cooldownsSurviveARestart() async throws {
        let stack = try await Stack.withTwoCredentials()
        defer { stack.stop() }
        try stack.fault(key: "key-openai-1", #"{"status":429,"headers":{"Retry-After":"600"}}"#)
        #expect(try stack.gateway("/v1/chat/completions", chat).status == 200)
        try await Task.sleep(for: .milliseconds(600))  // the persister batches every 200 ms
        try await stack.restart(with: SIGKILL)
        try stack.mockControl("DELETE", "/_mock/faults")
        try stack.mockControl("DELETE", "/_mock/requests")
        #expect(try stack.gateway("/v1/chat/completions", chat).status == 200)
        #expect(try stack.upstreamKeys() == ["key-openai-2"])
        let status = try stack.admin("GET", "/v1/credentials/openai-1")
        #expect(status.body.contains("quota"))
    }

    /// Upstream connections the mock holds, not counting the one asking.
    private func openUpstreamConnections(_ stack: Stack) throws -> Int {
        let stats = try JSONValue.parse(try stack.mockControl("GET", "/_mock/stats").bodyBytes)
        return (stats["open_connections"]?.int ?? 1) - 1
    }

    private func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
