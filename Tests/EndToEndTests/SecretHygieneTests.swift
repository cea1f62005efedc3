import Foundation
import TestSupport
import Testing

/// No secret is ever logged or returned: canary secrets go in as upstream keys, OAuth tokens,
/// provider header values, the admin token and the client key; a mixed request set runs at
/// debug level; then logs, gateway answers and every admin read are searched for them.
@Suite(.serialized) struct SecretHygieneTests {
    @Test func canariesNeverAppearInLogsResponsesOrAdminReads() async throws {
        let canaries = ["sk-canary-upstream-0001", "canary-header-0002", "oat-canary-access-0003", "ort-canary-refresh-0004"]
        let stack = try await Stack(extraFlags: ["--log-level", "debug"]) { stack in
            let base = "http://127.0.0.1:\(stack.mockPort)"
            try MockProviders.put(stack, "/v1/providers/mock-openai",
                                  #"{"type":"openai","base_url":"\#(base)/v1","models":["gpt-*"],"allow_private_network":true,"headers":{"X-Org":"\#(canaries[1])"}}"#)
            try MockProviders.put(stack, "/v1/providers/mock-anthropic",
                                  #"{"type":"anthropic","base_url":"\#(base)","models":["claude-*"],"allow_private_network":true}"#)
            try MockProviders.put(stack, "/v1/credentials/keyed", #"{"provider":"mock-openai","api_key":"\#(canaries[0])"}"#)
            try MockProviders.put(stack, "/v1/credentials/oauth",
                                  #"{"provider":"mock-anthropic","oauth":{"access_token":"\#(canaries[2])","refresh_token":"\#(canaries[3])","expires_at":"2099-01-01T00:00:00Z","token_url":"\#(base)/token"}}"#)
        }
        defer { stack.stop() }
        var answers: [String] = []
        let chat = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#
        answers.append(try stack.gateway("/v1/chat/completions", chat).body)
        answers.append(try stack.gateway("/v1/messages", #"{"model":"claude-x","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                         format: "anthropic").body)
        try stack.fault(key: canaries[0], times: 1, #"{"status":401}"#)
        answers.append(try stack.gateway("/v1/chat/completions", chat).body)
        try stack.admin("POST", "/v1/credentials/keyed/reset")
        try stack.fault(key: canaries[0], times: 1, #"{"status":429,"body":"{\"error\":{\"message\":\"quota for sk-canary-upstream-0001\"}}"}"#)
        answers.append(try stack.gateway("/v1/chat/completions", chat).body)
        try stack.admin("POST", "/v1/credentials/keyed/reset")
        try stack.fault(key: canaries[0], times: 1,
                        #"{"status":400,"body":"{\"error\":{\"message\":\"bad request for key sk-canary-upstream-0001\",\"type\":\"invalid_request_error\"}}"}"#)
        let echoed = try stack.gateway("/v1/chat/completions", chat)
        #expect(echoed.status == 400)
        #expect(echoed.body.contains("[redacted]"))
        answers.append(echoed.body)
        // Error events inside streams echoing the key: before the first content (answered as an
        // error), and after it, relayed as they are (OpenAI client) or translated (Anthropic client).
        let streamChat = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let anthropicChat = #"{"model":"gpt-4o","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        for (after, path, body, format) in [(0, "/v1/chat/completions", streamChat, "openai"), (2, "/v1/chat/completions", streamChat, "openai"),
                                            (2, "/v1/messages", anthropicChat, "anthropic")] {
            try stack.admin("POST", "/v1/credentials/keyed/reset")
            try stack.fault(key: canaries[0], times: 1,
                            #"{"error_after_chunks":\#(after),"error_status":400,"error_message":"key sk-canary-upstream-0001 rejected"}"#)
            let streamed = try stack.gateway(path, body, format: format)
            #expect(streamed.body.contains("[redacted]"), "error after \(after) chunks, \(format) client: \(streamed.body)")
            answers.append(streamed.body)
        }
        answers.append(rawExchange(port: stack.gatewayPort, path: "/v1/chat/completions",
                                   headers: ["Authorization: Bearer \(stack.key)x"], body: chat)?.body ?? "")
        // A request the server refuses itself (a bare LF) with the key in its query: counted
        // and logged (`request_refused`), the key nowhere.
        let refused = try RawClient(port: stack.gatewayPort, receiveTimeout: 5)
        refused.send("GET /v1beta/models?key=\(stack.key) HTTP/1.1\nHost: t\n\n")
        let (refusal, _) = refused.readToEnd()
        #expect(refusal.hasPrefix("HTTP/1.1 400 "), "\(refusal)")
        answers.append(refusal)
        for path in ["/v1/providers", "/v1/credentials", "/v1/config", "/v1/status", "/v1/sessions", "/v1/usage", "/metrics",
                     "/v1/client-keys", "/v1/settings"] {
            answers.append(try stack.admin("GET", path).body)
        }
        answers.append(try stack.admin("POST", "/v1/explain", #"{"model":"gpt-4o"}"#).body)
        try await Task.sleep(for: .milliseconds(300))
        let logs = stack.switchyard.text
        #expect(logs.contains(#""event":"request""#))
        #expect(logs.contains(#""event":"request_refused""#) && logs.contains(#""path":"/v1beta/models""#), "\(logs)")
        #expect(try stack.admin("GET", "/metrics").body.contains(#"switchyard_http_refusals_total{listener="gateway",status="400"} 1"#))
        for secret in canaries + [stack.key, Stack.adminToken] {
            #expect(!logs.contains(secret), "\(secret) in the logs")
            #expect(!answers.contains { $0.contains(secret) }, "\(secret) in a response")
        }
    }
}
