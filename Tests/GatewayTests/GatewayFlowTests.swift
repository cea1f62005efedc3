import Foundation
import HTTPCore
import JSON
import Store
import Synchronization
import TestSupport
import Testing
@testable import Router

/// The gateway end to end in one process: real sockets to a scripted upstream, failover and
/// translation through the whole stack.
@Suite(.serialized) struct GatewayFlowTests {
    /// An OpenAI-compatible provider at `upstream` with one credential per key.
    private func openAIProvider(_ upstream: ScriptedUpstream, keys: [String], tiers: [Int]? = nil) -> (Store) async throws -> Void {
        { store in
            _ = try await store.createProvider(Provider(name: "oai", type: .openai, baseURL: upstream.baseURL + "/v1",
                                                        models: ["gpt-*"], allowPrivateNetwork: true))
            for (index, key) in keys.enumerated() {
                _ = try await store.createCredential(Credential(id: "cred-\(index)", provider: "oai", secret: .apiKey(Secret(key)),
                                                                tier: tiers?[index] ?? 0))
            }
        }
    }

    private let chat = #"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"unknown_field":{"kept":[1.50,true]}}"#

    @Test func sameFormatPassesTheBodyThroughWithOnlyTheModelRewritten() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: { store in
            try await openAIProvider(upstream, keys: ["sk-a"])(store)
            try await store.putRoute(Route(name: "smart", targets: [RouteTarget(provider: "oai", model: "gpt-real")]))
        })
        let response = gateway.send("/v1/chat/completions", body: chat.replacingOccurrences(of: "gpt-test", with: "smart"))
        #expect(response.status == 200)
        #expect(response.body == String(decoding: Canned.openAIBody(), as: UTF8.self))
        #expect(upstream.seen.first?.text == chat.replacingOccurrences(of: "gpt-test", with: "gpt-real"))
        #expect(upstream.seen.first?.key == "sk-a")
        #expect(upstream.seen.first?.path == "/v1/chat/completions")
        // Usage read from the passed-through body.
        #expect(await gateway.requestLog(lines: 1).first?.contains(#""input_tokens":5,"output_tokens":3"#) == true)
        await gateway.stop()
        await upstream.stop()
    }

    /// A body already naming the upstream model goes byte for byte, but only when it names it once
    /// and verbatim: duplicated `model` keys (an upstream might read the other one) and escaped
    /// names are rewritten, every copy.
    @Test(arguments: [
        (#"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#,
         #"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#),
        (#"{"model":"gpt-premium","model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#,
         #"{"model":"gpt-test","model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#),
        (#"{"model":"gpt\u002dtest","messages":[{"role":"user","content":"hi"}]}"#,
         #"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#),
    ])
    func theModelIsRewrittenUnlessNamedOnceVerbatim(_ sent: String, _ forwarded: String) async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        #expect(gateway.send("/v1/chat/completions", body: sent).status == 200)
        #expect(upstream.seen.first?.text == forwarded)
        await gateway.stop()
        await upstream.stop()
    }

    /// Same format: content parts and fields Switchyard cannot translate still pass untouched
    /// (SPEC §3); the same body bound for a provider of another format is refused with the
    /// decoder's error in the caller's format, and no upstream sees it.
    @Test func partsSwitchyardCannotTranslatePassThroughToTheirOwnFormat() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: { store in
            try await openAIProvider(upstream, keys: ["sk-a"])(store)
            _ = try await store.createProvider(Provider(name: "ant", type: .anthropic, baseURL: upstream.baseURL,
                                                        models: ["claude-*"], allowPrivateNetwork: true))
            _ = try await store.createCredential(Credential(id: "ant-1", provider: "ant", secret: .apiKey(Secret("sk-ant"))))
        })
        let audio = #"{"model":"gpt-test","modalities":["text"],"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},{"type":"text","text":"transcribe"}]}]}"#
        let passed = gateway.send("/v1/chat/completions", body: audio)
        #expect(passed.status == 200)
        #expect(upstream.seen.last?.text == audio)
        let refused = gateway.send("/v1/chat/completions", body: audio.replacingOccurrences(of: "gpt-test", with: "claude-x"))
        #expect(refused.status == 400)
        #expect(refused.body.contains(#""type":"invalid_request_error""#))
        #expect(refused.body.contains("input_audio"))
        #expect(upstream.seen.count == 1)
        await gateway.stop()
        await upstream.stop()
    }

    /// The same for a Gemini client: code-execution history (parts no other format has) goes to
    /// a Gemini provider byte for byte, base64url media included (what google-genai sends).
    @Test func geminiPartsSwitchyardCannotTranslatePassThroughToGemini() async throws {
        let answer = #"{"candidates":[{"content":{"role":"model","parts":[{"text":"1"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1}}"#
        let upstream = try await ScriptedUpstream { request, _ in
            request.queryItem("alt") == "sse"
                ? HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .bytes(Array("data: \(answer)\r\n\r\n".utf8)))
                : .json(200, Array(answer.utf8))
        }
        let gateway = try await GatewayHarness(provision: { store in
            _ = try await store.createProvider(Provider(name: "gem", type: .gemini, baseURL: upstream.baseURL,
                                                        models: ["gemini-*"], allowPrivateNetwork: true))
            _ = try await store.createCredential(Credential(id: "gem-1", provider: "gem", secret: .apiKey(Secret("g-key"))))
        })
        let history = #"{"contents":[{"role":"user","parts":[{"text":"run it"},{"inlineData":{"mimeType":"image/png","data":"mNk-M9Q_"}}]},{"role":"model","parts":[{"executableCode":{"language":"PYTHON","code":"print(1)"}},{"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}}]},{"role":"user","parts":[{"text":"again"}]}],"tools":[{"codeExecution":{}}]}"#
        for action in ["generateContent", "streamGenerateContent?alt=sse"] {
            let response = gateway.send("/v1beta/models/gemini-2.5-flash:\(action)", body: history, keyHeader: "x-goog-api-key")
            #expect(response.status == 200, "\(action)")
            #expect(upstream.seen.last?.text == history, "\(action)")
        }
        await gateway.stop()
        await upstream.stop()
    }

    /// A reasoning suffix on the model is a setting, not part of the name: even to a provider of
    /// the client's own format the body is re-encoded with the reasoning written in.
    @Test func aReasoningSuffixIsWrittenIntoASameFormatBody() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let response = gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test(high)","messages":[{"role":"user","content":"hi"}]}"#)
        #expect(response.status == 200)
        let sent = try JSONValue.parse(upstream.seen.first?.body ?? [])
        #expect(sent["model"]?.string == "gpt-test")
        #expect(sent["reasoning_effort"]?.string == "high")
        #expect(try JSONValue.parse(response.body)["model"]?.string == "gpt-test")
        await gateway.stop()
        await upstream.stop()
    }

    /// Bodies the facts scan does not vouch for are decoded at the edge: the decoder's 400, no upstream call.
    @Test(arguments: [
        (#"{"messages":[{"role":"user","content":"hi"}]}"#, "model"),
        (#"{"model":"gpt-test"}"#, "messages"),
        (#"{"model":"gpt-test","messages":"hi"}"#, "messages"),
        (#"{"model":"gpt-test","messages":[{"role":"narrator","content":"x"}]}"#, "narrator"),
        (#"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"stream":"yes"}"#, "stream"),
        (#"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]"#, "JSON"),
    ])
    func malformedBodiesAreRefusedAtTheEdge(_ testCase: (String, String)) async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let response = gateway.send("/v1/chat/completions", body: testCase.0)
        #expect(response.status == 400)
        #expect(response.body.contains(testCase.1))
        #expect(upstream.seen.isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    @Test func a429FailsOverAndTheCoolingCredentialIsSkippedNextTime() async throws {
        let upstream = try await ScriptedUpstream { _, key in
            key == "sk-a" ? Canned.error(429, headers: ["Retry-After": "30"]) : Canned.openAI()
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"], tiers: [0, 1]))
        #expect(gateway.send("/v1/chat/completions", body: chat).status == 200)
        #expect(upstream.seen.map(\.key) == ["sk-a", "sk-b"])
        #expect(gateway.send("/v1/chat/completions", body: chat).status == 200)
        #expect(upstream.seen.map(\.key) == ["sk-a", "sk-b", "sk-b"])
        // One log line per request, naming the failed attempt but never a secret.
        let lines = await gateway.requestLog(lines: 2)
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""attempts":2"#) == true)
        #expect(lines.first?.contains(#""failures":["cred-0@oai: HTTP 429"#) == true)
        #expect(lines.last?.contains(#""credential_id":"cred-1""#) == true)
        #expect(!gateway.logs.text.contains("sk-a") && !gateway.logs.text.contains("sk-b"))
        #expect(!gateway.logs.text.contains(gateway.clientKey))
        await gateway.stop()
        await upstream.stop()
    }

    @Test func everyCredentialCoolingGives429WithRetryAfter() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.error(429, headers: ["Retry-After": "120"]) }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"]))
        let first = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#,
                                 keyHeader: "x-api-key")
        #expect(first.status == 429)
        let retryAfter = first.head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("retry-after:") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect(retryAfter.map { (100...120).contains($0) } == true)
        #expect(first.body.contains(#""type":"error""#))
        #expect(upstream.seen.count == 2)
        // Now both are cooling: answered at once, upstream not called again.
        #expect(gateway.send("/v1/chat/completions", body: chat).status == 429)
        #expect(upstream.seen.count == 2)
        await gateway.stop()
        await upstream.stop()
    }

    /// `Retry-After: 0` is no usable hint: the model backs off (1 s) rather than being called again
    /// at once, and the client's 429 says when to come back, as every 429 does.
    @Test func aZeroRetryAfterBacksOffAndTheClientStillGetsRetryAfter() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.error(429, headers: ["Retry-After": "0"]) }
        let gateway = try await GatewayHarness(provision: { store in
            try await openAIProvider(upstream, keys: ["sk-a"])(store)
            var settings = try await store.settings()
            settings.retry.maxWaitSeconds = 0
            _ = try await store.replaceSettings(settings)
        })
        let first = gateway.send("/v1/chat/completions", body: chat)
        #expect(first.status == 429)
        #expect(first.head.contains("Retry-After: 1\r\n"))
        #expect(gateway.registry.status(credentialID: "cred-0").contains { $0.reason == .quota && $0.until != nil })
        await gateway.stop()
        await upstream.stop()
    }

    /// The only candidates failing in this very request for another reason than a quota are no
    /// rate limit: the client gets that failure (a server error is the gateway's 502, a 404 stays
    /// a 404) without the cooldown as `Retry-After` (SDKs would sleep it before every retry),
    /// though with the upstream's own hint; a quota among them keeps the 429 and its `Retry-After`.
    @Test(arguments: [
        (["sk-a": 500], 502, nil), (["sk-a": 503, "sk-b": 500], 502, nil), (["sk-a": 404], 404, nil),
        (["sk-a": 500, "sk-b": 503], 503, nil), (["sk-a": 529], 503, nil), (["sk-a": 403], 502, nil),
        (["sk-a": 502], 502, 7),
        (["sk-a": 429, "sk-b": 500], 429, 60),
    ] as [([String: Int], Int, Int?)])
    func exhaustedByThisRequestsOwnFailures(statuses: [String: Int], answer: Int, retryAfter: Int?) async throws {
        let upstream = try await ScriptedUpstream { _, key in
            let status = statuses[key] ?? 500
            // A 429 hints two minutes; a 502 gives its own hint, passed on with its error.
            return Canned.error(status, type: status == 404 ? "not_found_error" : "api_error",
                                headers: status == 429 ? ["Retry-After": "120"] : status == 502 ? ["retry-after-ms": "6500"] : [:])
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: statuses.keys.sorted()))
        let response = gateway.send("/v1/chat/completions", body: chat)
        #expect(response.status == answer, "\(statuses)")
        let seconds = response.head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("retry-after:") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
        if let retryAfter {
            #expect(seconds.map { $0 <= retryAfter && $0 >= retryAfter - 5 } == true, "\(response.head)")
        } else {
            #expect(seconds == nil, "\(response.head)")
        }
        #expect(upstream.seen.count == statuses.count)
        await gateway.stop()
        await upstream.stop()
    }

    /// An overloaded Anthropic upstream (529) is a 529 to an Anthropic client (its SDK's
    /// `OverloadedError`, which its fallback middleware acts on), a 503 to the other formats.
    @Test func anOverloadedUpstreamIs529ToAnthropicClientsAnd503ToOthers() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.error(529, type: "overloaded_error") }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let anthropic = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#,
                                     keyHeader: "x-api-key")
        #expect(anthropic.status == 529)
        #expect(anthropic.body.contains(#""type":"overloaded_error""#))
        gateway.registry.reset(credentialID: "cred-0")
        let gemini = gateway.send("/v1beta/models/gpt-test:generateContent", body: #"{"contents":[{"parts":[{"text":"hi"}]}]}"#,
                                  keyHeader: "x-goog-api-key")
        #expect(gemini.status == 503)
        #expect(try JSONValue.parse(gemini.body)["error"]?["code"]?.int == 503)
        #expect(!gemini.head.lowercased().contains("retry-after"))
        // Each record says what its client got.
        let log = await gateway.requestLog(lines: 2)
        #expect(log.count == 2 && log[0].contains(#""status":529"#) && log[1].contains(#""status":503"#), "\(log)")
        await gateway.stop()
        await upstream.stop()
    }

    @Test func everyCredentialUnauthorizedGives502() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.error(401, type: "authentication_error") }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"]))
        #expect(gateway.send("/v1/chat/completions", body: chat).status == 502)
        #expect(upstream.seen.count == 2)
        await gateway.stop()
        await upstream.stop()
    }

    @Test func invalidRequestIsReturnedAtOnceWithoutFailover() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.error(400, type: "invalid_request_error") }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"]))
        let response = gateway.send("/v1/chat/completions", body: chat)
        #expect(response.status == 400)
        #expect(upstream.seen.count == 1)
        await gateway.stop()
        await upstream.stop()
    }

    @Test func anthropicClientGetsATranslatedAnswerFromAnOpenAIUpstream() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI("translated text", model: "gpt-test-2026-01-01") }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let response = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":50,"system":"be brief","messages":[{"role":"user","content":"hi"}]}"#,
                                    keyHeader: "x-api-key")
        #expect(response.status == 200)
        let json = try JSONValue.parse(response.body)
        #expect(json["type"]?.string == "message")
        // The model the upstream reports, as a passthrough answer and a translated stream carry it.
        #expect(json["model"]?.string == "gpt-test-2026-01-01")
        #expect(json["content"]?[0]?["text"]?.string == "translated text")
        #expect(json["stop_reason"]?.string == "end_turn")
        let sent = try JSONValue.parse(upstream.seen.first?.body ?? [])
        #expect(sent["messages"]?[0]?["role"]?.string == "system")
        await gateway.stop()
        await upstream.stop()
    }

    @Test func streamsPassThroughAndAnEmptyStreamFailsOverBeforeTheFirstByte() async throws {
        let upstream = try await ScriptedUpstream { _, key in
            key == "sk-a" ? HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { _ in })
                : Canned.openAIStream(["Hel", "lo"])
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"], tiers: [0, 1]))
        let response = gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(response.status == 200)
        #expect(response.head.contains("text/event-stream"))
        #expect(response.body.contains(#""content":"Hel""#))
        #expect(response.body.hasSuffix("data: [DONE]\n\n"))
        #expect(upstream.seen.map(\.key) == ["sk-a", "sk-b"])
        await gateway.stop()
        await upstream.stop()
    }

    @Test func usageIsRequestedForTheRecordsAndHiddenFromAClientThatDidNotAskForIt() async throws {
        let usageChunk = #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}"# + "\n\n"
        let upstream = try await ScriptedUpstream { request, _ in
            let asked = String(decoding: request.body, as: UTF8.self).contains(#""include_usage":true"#)
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"x_extra":1}"# + "\n\n")
                try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n")
                if asked { try await writer.write(usageChunk) }
                try await writer.write("data: [DONE]\n\n")
            })
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let plain = gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(plain.status == 200)
        // Spliced in as the last member; every other byte as sent.
        #expect(upstream.seen.last?.text
            == #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}"#)
        #expect(!plain.body.contains(#""choices":[]"#))
        #expect(plain.body.contains(#""x_extra":1"#))
        #expect(plain.body.hasSuffix("data: [DONE]\n\n"))
        let asking = gateway.send("/v1/chat/completions",
                                  body: #"{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(asking.body.contains(#""choices":[]"#))
        // Options present without the usage: rebuilt with it, the client's other option kept.
        let declined = gateway.send("/v1/chat/completions",
                                    body: #"{"model":"gpt-test","stream":true,"stream_options":{"include_usage":false,"x":1},"messages":[]}"#)
        #expect(declined.status == 200)
        #expect(upstream.seen.last?.text.contains(#""stream_options":{"include_usage":true,"x":1}"#) == true)
        #expect(!declined.body.contains(#""choices":[]"#))
        #expect(await gateway.requestLog(lines: 3).contains { $0.contains(#""input_tokens":7"#) })
        await gateway.stop()
        await upstream.stop()
    }

    /// Anthropic SSE events, as the upstream writes them.
    private static func anthropicEvent(_ type: String, _ data: String) -> String { "event: \(type)\ndata: \(data)\n\n" }
    private static let messageStart = anthropicEvent("message_start", #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}"#)
    private static let emptyTextBlock = anthropicEvent("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
    private static func textDelta(_ text: String) -> String {
        anthropicEvent("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""# + text + #""}}"#)
    }

    private func anthropicProvider(_ upstream: ScriptedUpstream, keys: [String]) -> (Store) async throws -> Void {
        { store in
            _ = try await store.createProvider(Provider(name: "ant", type: .anthropic, baseURL: upstream.baseURL,
                                                        models: ["claude-*"], allowPrivateNetwork: true))
            for (index, key) in keys.enumerated() {
                _ = try await store.createCredential(Credential(id: "ant-\(index)", provider: "ant", secret: .apiKey(Secret(key)),
                                                                tier: index))
            }
        }
    }

    /// Thinking another provider signed (an earlier turn served by OpenAI or Gemini after a
    /// failover) would make Anthropic refuse the whole conversation: the otherwise same-format
    /// body is translated, which drops that thinking and says so; Anthropic's own is kept.
    @Test func foreignThinkingIsDroppedOnTheWayToAnthropic() async throws {
        let answer = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}"#
        let upstream = try await ScriptedUpstream { _, _ in .json(200, Array(answer.utf8)) }
        let gateway = try await GatewayHarness(provision: anthropicProvider(upstream, keys: ["sk-ant-a"]))
        let history = #"{"model":"claude-test","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":["#
            + #"{"role":"user","content":"2+2?"},"#
            + #"{"role":"assistant","content":[{"type":"thinking","thinking":"2+2 is 4.","signature":"openai."},{"type":"text","text":"4"}]},"#
            + #"{"role":"user","content":"and 3+3?"},"#
            + #"{"role":"assistant","content":[{"type":"thinking","thinking":"6.","signature":"EqQBCkgIARAB"},{"type":"text","text":"6"}]},"#
            + #"{"role":"user","content":"thanks"}]}"#
        let response = gateway.send("/v1/messages", body: history, keyHeader: "x-api-key")
        #expect(response.status == 200)
        #expect(response.head.contains("X-Switchyard-Dropped: thinking\r\n"))
        let sent = try JSONValue.parse(upstream.seen.first?.body ?? [])
        let blocks = sent["messages"]?.array?.compactMap { $0["content"]?.array }.flatMap { $0 } ?? []
        #expect(blocks.compactMap { $0["signature"]?.string } == ["EqQBCkgIARAB"])
        #expect(blocks.compactMap { $0["text"]?.string } == ["2+2?", "4", "and 3+3?", "6", "thanks"])
        await gateway.stop()
        await upstream.stop()
    }

    /// A Gemini signature rides in the tool call ids an OpenAI client got from a Gemini turn;
    /// OpenAI refuses ids over 40 characters, so the otherwise same-format body is translated,
    /// which strips the signature from the call and its result alike.
    @Test func geminiStateInToolCallIDsIsStrippedOnTheWayToOpenAI() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let id = "call_sy_r1_0__thought__" + String(repeating: "CiQBVKhc7sig-1_Paris", count: 10)
        let history = #"{"model":"gpt-test","messages":[{"role":"user","content":"time?"},"#
            + #"{"role":"assistant","content":null,"tool_calls":[{"id":"\#(id)","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"#
            + #"{"role":"tool","tool_call_id":"\#(id)","content":"10:00"}]}"#
        #expect(gateway.send("/v1/chat/completions", body: history).status == 200)
        let sent = try JSONValue.parse(upstream.seen.first?.body ?? [])
        #expect(sent["messages"]?[1]?["tool_calls"]?[0]?["id"]?.string == "call_sy_r1_0")
        #expect(sent["messages"]?[2]?["tool_call_id"]?.string == "call_sy_r1_0")
        await gateway.stop()
        await upstream.stop()
    }

    /// A stream cut off after its first content cannot fail over, but its candidate cools like
    /// one cut off before it: the next request goes to the other credential, and the request's
    /// record, log line and metrics say the attempt failed (not a failover).
    @Test func aStreamBrokenAfterItsFirstContentCoolsItsCredential() async throws {
        let upstream = try await ScriptedUpstream { _, key in
            key == "sk-a" ? Canned.openAIStream(["partial"], done: false) : Canned.openAIStream(["whole"])
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"], tiers: [0, 1]))
        let body = #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let broken = gateway.send("/v1/chat/completions", body: body)
        #expect(broken.status == 200)
        #expect(broken.body.contains("partial") && broken.body.contains("upstream_stream_error") && !broken.body.contains("[DONE]"))
        let next = gateway.send("/v1/chat/completions", body: body)
        #expect(next.body.contains("whole"))
        #expect(upstream.seen.map(\.key) == ["sk-a", "sk-b"])
        #expect(gateway.registry.status(credentialID: "cred-0").contains { $0.reason == .transient })
        let log = await gateway.requestLog(lines: 2)
        #expect(log.first?.contains(#""failures":["cred-0@oai: "#) == true, "\(log)")
        await gateway.stop()
        await upstream.stop()
    }

    /// An upstream error (or bytes that are no stream) arriving in the same read as the stream's
    /// first content is past the commit point: the client gets the content and then the error
    /// event, and the request is not sent (and billed) again to another credential.
    @Test(arguments: [false, true], [
        (#"data: {"error":{"message":"boom after the answer","type":"server_error"}}"#, "boom after the answer"),
        ("data: {not json", "unreadable stream"),
    ])
    func anErrorInTheFirstReadAfterContentIsRelayedNotFailedOver(anthropicClient: Bool, tail: (event: String, shown: String)) async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .bytes(Array((
                #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"whole"},"finish_reason":null}]}"# + "\n\n"
                + #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
                + tail.event + "\n\n").utf8)))
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"]))
        let response = anthropicClient
            ? gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                           keyHeader: "x-api-key")
            : gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(response.status == 200)
        #expect(response.body.contains("whole"))
        #expect(response.body.contains(tail.shown), "\(response.body)")
        #expect(!response.body.contains("[DONE]") && !response.body.contains("message_stop") && !response.body.contains("not json"))
        #expect(upstream.seen.count == 1)
        await gateway.stop()
        await upstream.stop()
    }

    /// Later in a translated stream too: the content decoded before unreadable bytes of the same
    /// read reaches the client, then the error event.
    @Test func contentBeforeUnreadableBytesLaterInATranslatedStreamIsRelayed() async throws {
        let chunk: @Sendable (String) -> String = { text in
            #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"# + "\n\n"
        }
        let upstream = try await ScriptedUpstream { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(chunk("first"))
                try await Task.sleep(for: .milliseconds(50))
                try await writer.write(chunk("second") + "data: {not json\n\n")
            })
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let response = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                    keyHeader: "x-api-key")
        #expect(response.body.contains("first") && response.body.contains("second"), "\(response.body)")
        #expect(response.body.contains("unreadable stream") && !response.body.contains("message_stop"))
        await gateway.stop()
        await upstream.stop()
    }

    /// A stream still open when the drain timeout runs out ends with an error event in the
    /// client's format and a proper end of the response, not a cut connection; the upstream's
    /// credential does not cool for it.
    @Test func aStreamOpenAtTheDrainDeadlineEndsWithAnErrorEvent() async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"partial"},"finish_reason":null}]}"# + "\n\n")
                try await Task.sleep(for: .seconds(30))
            })
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let client = try RawClient(port: gateway.port, receiveTimeout: 10)
        let body = #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(gateway.clientKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(client.read(until: "partial").contains("partial"))
        await gateway.server.shutdown(drainTimeout: 0.2)
        let (rest, _) = client.readToEnd()
        #expect(rest.contains("server_shutting_down"), "\(rest)")
        #expect(rest.hasSuffix("0\r\n\r\n"), "\(rest)")
        #expect(!rest.contains("[DONE]"))
        #expect(gateway.registry.status(credentialID: "cred-0").isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    /// A request still waiting for its upstream when the drain timeout runs out is answered 503
    /// `server_shutting_down` in its endpoint's format, not left without an answer, and recorded
    /// so; the credential does not cool for it.
    @Test func aRequestInFlightAtTheDrainDeadlineIsAnswered503() async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            try? await Task.sleep(for: .seconds(30))
            return Canned.openAI()
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let client = try RawClient(port: gateway.port, receiveTimeout: 10)
        let body = #"{"model":"gpt-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#
        client.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: \(gateway.clientKey)\r\n"
                    + "X-Request-ID: req-drain-1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        while upstream.seen.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await gateway.server.shutdown(drainTimeout: 0.2)
        let (answer, _) = client.readToEnd()
        #expect(answer.hasPrefix("HTTP/1.1 503 "), "\(answer)")
        #expect(answer.lowercased().contains("connection: close"))
        #expect(answer.lowercased().contains("x-request-id: req-drain-1"), "\(answer)")
        #expect(answer.contains(#""type":"error""#) && answer.contains("server shutting down"), "\(answer)")
        #expect(gateway.registry.status(credentialID: "cred-0").isEmpty)
        // The request's record says what the client got, not a client that left.
        let log = await gateway.requestLog(lines: 1)
        #expect(log.first?.contains(#""status":503"#) == true && log.first?.contains("server_shutting_down") == true, "\(log)")
        await gateway.stop()
        await upstream.stop()
    }

    /// An opened but still empty content block has given the client nothing: an overloaded error
    /// right after it fails over like one before it.
    @Test func anErrorAfterAnEmptyContentBlockStillFailsOver() async throws {
        let upstream = try await ScriptedUpstream { _, key in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(Self.messageStart + Self.emptyTextBlock)
                if key == "sk-ant-a" {
                    try await writer.write(Self.anthropicEvent("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
                    return
                }
                try await writer.write(Self.textDelta("served by b") + Self.anthropicEvent("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
                    + Self.anthropicEvent("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}"#)
                    + Self.anthropicEvent("message_stop", #"{"type":"message_stop"}"#))
            })
        }
        let gateway = try await GatewayHarness(provision: anthropicProvider(upstream, keys: ["sk-ant-a", "sk-ant-b"]))
        let response = gateway.send("/v1/messages", body: #"{"model":"claude-test","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                    keyHeader: "x-api-key")
        #expect(response.status == 200)
        #expect(upstream.seen.map(\.key) == ["sk-ant-a", "sk-ant-b"])
        #expect(response.body.contains("served by b"))
        #expect(!response.body.contains("event: error"))
        await gateway.stop()
        await upstream.stop()
    }

    /// Passthrough relays whole events: an upstream that breaks off mid-event and then sends bytes
    /// that are no SSE gets its half event withheld, and the error event stands on its own.
    @Test func aHalfRelayedEventNeverMergesIntoTheErrorEvent() async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(Self.messageStart + Self.emptyTextBlock + Self.textDelta("first"))
                try await writer.write("event: content_block_delta\ndata: {\"unterminated\":")
                try await writer.write("\nthis line is not a field\r")
            })
        }
        let gateway = try await GatewayHarness(provision: anthropicProvider(upstream, keys: ["sk-ant-a"]))
        let response = gateway.send("/v1/messages", body: #"{"model":"claude-test","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                    keyHeader: "x-api-key")
        #expect(response.status == 200)
        #expect(response.body.contains(#""text":"first""#))
        #expect(!response.body.contains("unterminated"))
        // Every event ends with its blank line, and the last is Switchyard's error, alone.
        let events = response.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.last?.hasPrefix("event: error\ndata: {") == true)
        #expect(response.body.hasSuffix("\n\n"))
        await gateway.stop()
        await upstream.stop()
    }

    /// A translated answer carries one choice: more are not asked of (nor paid to) a provider
    /// of another format, and `n` is reported dropped (refused in strict mode); to a provider of
    /// the client's own format `n` passes.
    @Test func moreThanOneChoiceIsNotAskedOfAProviderOfAnotherFormat() async throws {
        let upstream = try await ScriptedUpstream { request, _ in
            request.path.contains("generateContent")
                ? .json(200, Array(#"{"candidates":[{"content":{"role":"model","parts":[{"text":"one"}]},"finishReason":"STOP"}]}"#.utf8))
                : Canned.openAI()
        }
        let gateway = try await GatewayHarness(provision: { store in
            try await openAIProvider(upstream, keys: ["sk-a"])(store)
            _ = try await store.createProvider(Provider(name: "gem", type: .gemini, baseURL: upstream.baseURL,
                                                        models: ["gemini-*"], allowPrivateNetwork: true))
            _ = try await store.createCredential(Credential(id: "gem-1", provider: "gem", secret: .apiKey(Secret("g-key"))))
        })
        let translated = gateway.send("/v1/chat/completions", body: #"{"model":"gemini-x","n":2,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(translated.status == 200)
        #expect(translated.head.lowercased().contains("x-switchyard-dropped: n\r\n"))
        #expect(!(upstream.seen.last?.text.contains("candidateCount") ?? true))
        let strict = gateway.send("/v1/chat/completions", body: #"{"model":"gemini-x","n":2,"messages":[{"role":"user","content":"hi"}]}"#,
                                  extraHeaders: "X-Switchyard-Translation: strict\r\n")
        #expect(strict.status == 422)
        #expect(upstream.seen.count == 1)
        let same = gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test","n":2,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(same.status == 200)
        #expect(upstream.seen.last?.text.contains(#""n":2"#) == true)
        await gateway.stop()
        await upstream.stop()
    }

    /// An OpenAI-compatible stream ends by its finish reason, not by `data: [DONE]` (which some
    /// servers never send). Closed after its finish reason, it is complete: an Anthropic client
    /// gets `message_stop`, an OpenAI client the `[DONE]` its upstream left out, and the
    /// credential does not cool. Cut before it, the client gets an error event instead of a
    /// finish, and the credential cools (the next request finds it cooling).
    @Test(arguments: [true, false])
    func anOpenAIStreamIsCompleteByItsFinishReason(finished: Bool) async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAIStream(["partial"], done: finished, doneMarker: false) }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let anthropic = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                     keyHeader: "x-api-key")
        #expect(anthropic.status == 200)
        #expect(anthropic.body.contains("event: content_block_delta"))
        #expect(anthropic.body.contains("event: message_stop") == finished)
        #expect(anthropic.body.contains("event: error") == !finished)
        let openai = gateway.send("/v1/chat/completions", body: #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        if finished {
            #expect(openai.status == 200)
            #expect(openai.body.hasSuffix("data: [DONE]\n\n"))
            #expect(!openai.body.contains("error"))
        } else {
            #expect(openai.status == 429)
        }
        #expect(upstream.seen.count == (finished ? 2 : 1))
        await gateway.stop()
        await upstream.stop()
    }

    @Test func missingOrWrongClientKeyGets401InTheClientsFormat() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let client = try RawClient(port: gateway.port)
        client.send("POST /v1beta/models/gpt-test:generateContent HTTP/1.1\r\nHost: t\r\nx-goog-api-key: sy-wrong\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        let text = client.readToEnd().text
        #expect(text.hasPrefix("HTTP/1.1 401 "))
        #expect(text.contains(#""status":"UNAUTHENTICATED""#))
        #expect(text.contains("WWW-Authenticate: Bearer realm=\"switchyard\"\r\n"))
        #expect(upstream.seen.isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    @Test func modelListsAndSingleModelsInEachFormat() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: { store in
            try await openAIProvider(upstream, keys: ["sk-a"])(store)
            try await store.putRoute(Route(name: "smart", targets: [RouteTarget(provider: "oai", model: "gpt-real")]))
        })
        let openai = try JSONValue.parse(gateway.send("/v1/models", method: "GET").body)
        #expect(openai["object"]?.string == "list")
        #expect(openai["data"]?[0]?["id"]?.string == "smart")
        let anthropic = try JSONValue.parse(gateway.send("/v1/models", method: "GET", keyHeader: "x-api-key",
                                                         extraHeaders: "anthropic-version: 2023-06-01\r\n").body)
        #expect(anthropic["has_more"]?.bool == false)
        #expect(anthropic["data"]?[0]?["type"]?.string == "model")
        let gemini = try JSONValue.parse(gateway.send("/v1beta/models", method: "GET", keyHeader: "x-goog-api-key").body)
        #expect(gemini["models"]?[0]?["name"]?.string == "models/smart")
        #expect(gateway.send("/v1/models/gpt-anything", method: "GET").status == 200)
        #expect(gateway.send("/v1beta/models/smart", method: "GET", keyHeader: "x-goog-api-key").status == 200)
        let action = gateway.send("/v1beta/models/smart:generateContent", method: "GET", keyHeader: "x-goog-api-key")
        #expect(action.status == 405)
        #expect(action.head.contains("Allow: POST\r\n"))
        // Each method once, though several patterns match the path.
        let put = gateway.send("/v1beta/models/smart:generateContent", method: "PUT", keyHeader: "x-goog-api-key")
        #expect(put.status == 405)
        #expect(put.head.contains("Allow: POST, GET\r\n"), "\(put.head)")
        // An action Switchyard does not serve is an unknown endpoint, in Gemini's shape.
        let unknownAction = gateway.send("/v1beta/models/smart:embedContent", body: "{}", keyHeader: "x-goog-api-key")
        #expect(unknownAction.status == 404)
        #expect(try JSONValue.parse(unknownAction.body)["error"]?["status"]?.string == "NOT_FOUND")
        let missing = gateway.send("/v1/models/claude-x", method: "GET")
        #expect(missing.status == 404)
        #expect(missing.body.contains("model_not_found"))
        await gateway.stop()
        await upstream.stop()
    }

    /// `models/:generateContent` names no model: a Gemini-shaped 400, not the 405 of the
    /// `GET models/{model}` pattern that the empty name used to fall into.
    @Test func anEmptyGeminiModelIs400InGeminiFormat() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        for action in ["generateContent", "streamGenerateContent", "countTokens"] {
            let response = gateway.send("/v1beta/models/:\(action)", body: #"{"contents":[{"parts":[{"text":"hi"}]}]}"#,
                                        keyHeader: "x-goog-api-key")
            #expect(response.status == 400, "\(action)")
            let error = try JSONValue.parse(response.body)["error"]
            #expect(error?["status"]?.string == "INVALID_ARGUMENT", "\(action)")
        }
        #expect(upstream.seen.isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    /// The server's own errors (here a body over the limit, refused from its declared length
    /// before any byte of it is read) come in the endpoint's format, as SPEC §3 has every error.
    @Test func aBodyTooLargeIsAnsweredInTheEndpointsFormat() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        func tooLarge(_ path: String) throws -> JSONValue {
            let client = try RawClient(port: gateway.port, receiveTimeout: 10)
            client.send("POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{")
            let (text, _) = client.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 413 "), "\(path)")
            return try JSONValue.parse(Array((text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? "").utf8))
        }
        let openai = try tooLarge("/v1/chat/completions")
        #expect(openai["error"]?["code"]?.string == "request_too_large")
        let anthropic = try tooLarge("/v1/messages")
        #expect(anthropic["type"]?.string == "error")
        #expect(anthropic["error"]?["type"]?.string == "request_too_large")
        let gemini = try tooLarge("/v1beta/models/gemini-x:generateContent")
        #expect(gemini["error"]?["code"]?.int == 413)
        #expect(gemini["error"]?["status"]?.string != nil)
        #expect(upstream.seen.isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    /// OpenRouter answers a failure of its provider with a 200 whose body is an error object
    /// (`error.code` the status it stands for): a failure like that status, so it fails over and
    /// cools instead of reaching the client as an empty answer.
    @Test(arguments: ["/v1/chat/completions", "/v1/messages"])
    func anErrorInA200BodyFailsOverLikeItsCode(_ path: String) async throws {
        let upstream = try await ScriptedUpstream { _, key in
            key == "sk-a" ? .json(200, Array(#"{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min"},"user_id":"u"}"#.utf8))
                : Canned.openAI()
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"], tiers: [0, 1]))
        let body = path == "/v1/messages" ? #"{"model":"gpt-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"# : chat
        let response = gateway.send(path, body: body, keyHeader: path == "/v1/messages" ? "x-api-key" : "Authorization")
        #expect(response.status == 200)
        #expect(response.body.contains("hello from openai"))
        #expect(upstream.seen.count == 2)
        #expect(gateway.registry.status(credentialID: "cred-0").contains { $0.reason == .quota })
        await gateway.stop()
        await upstream.stop()
    }

    /// The same error object answering a stream request (a JSON body, no stream at all) fails
    /// over like its code too, rather than as a stream without content.
    @Test func anErrorInA200BodyAnsweringAStreamFailsOverLikeItsCode() async throws {
        let upstream = try await ScriptedUpstream { _, key in
            key == "sk-a" ? .json(200, Array(#"{"error":{"code":429,"message":"Rate limit exceeded"}}"#.utf8)) : Canned.openAIStream(["hi"])
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"], tiers: [0, 1]))
        let response = gateway.send("/v1/messages", body: #"{"model":"gpt-test","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                    keyHeader: "x-api-key")
        #expect(response.status == 200)
        #expect(response.body.contains("message_stop"))
        #expect(gateway.registry.status(credentialID: "cred-0").contains { $0.reason == .quota })
        await gateway.stop()
        await upstream.stop()
    }

    /// An error in a 200 body with a code that names no status (OpenAI's
    /// `context_length_exceeded`) stands for its type's status: a 400 for the client, not a
    /// server failure that fails over and cools the model.
    @Test func anErrorInA200BodyWithATextCodeIsItsTypesStatus() async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            .json(200, Array(#"{"error":{"code":"context_length_exceeded","type":"invalid_request_error","message":"too long"}}"#.utf8))
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a", "sk-b"]))
        let response = gateway.send("/v1/chat/completions", body: chat)
        #expect(response.status == 400)
        #expect(response.body.contains("too long"))
        #expect(upstream.seen.count == 1)
        #expect(gateway.registry.status(credentialID: "cred-0").isEmpty)
        await gateway.stop()
        await upstream.stop()
    }

    /// A server that refuses `stream_options` (older vLLM: "Extra inputs are not permitted"),
    /// which Switchyard adds for its usage records, is asked again without it, and every later
    /// stream to that provider goes without; a client's own `stream_options` is its own to lose.
    @Test(arguments: ["/v1/chat/completions", "/v1/messages"])
    func aServerRefusingStreamOptionsIsAskedWithout(_ path: String) async throws {
        let upstream = try await ScriptedUpstream { request, _ in
            if String(decoding: request.body, as: UTF8.self).contains("stream_options") {
                return .json(400, Array(#"{"object":"error","message":"stream_options: Extra inputs are not permitted","type":"BadRequestError","code":400}"#.utf8))
            }
            return Canned.openAIStream(["hel", "lo"])
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let anthropic = path == "/v1/messages"
        let body = anthropic ? #"{"model":"gpt-test","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
            : #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let keyHeader = anthropic ? "x-api-key" : "Authorization"
        let first = gateway.send(path, body: body, keyHeader: keyHeader)
        #expect(first.status == 200)
        #expect(first.body.contains("hel") && first.body.contains("lo"))
        #expect(upstream.seen.count == 2)
        let second = gateway.send(path, body: body, keyHeader: keyHeader)
        #expect(second.status == 200)
        #expect(upstream.seen.count == 3)
        #expect(gateway.registry.status(credentialID: "cred-0").isEmpty)
        if !anthropic {
            let own = gateway.send(path, body: #"{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(own.status == 400)
            #expect(own.body.contains("stream_options"))
        }
        await gateway.stop()
        await upstream.stop()
    }

    /// A 400 that only echoes the text (a client's `"temperature": "stream_options"`) is asked
    /// once more without the field, but not remembered: the next stream asks for usage again.
    @Test func aRefusalThatOnlyEchoesStreamOptionsIsNotRemembered() async throws {
        let upstream = try await ScriptedUpstream { _, _ in
            .json(400, Array(#"{"object":"error","message":"temperature: 'stream_options' is not a number","code":400}"#.utf8))
        }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let body = #"{"model":"gpt-test","stream":true,"temperature":"stream_options","messages":[{"role":"user","content":"hi"}]}"#
        #expect(gateway.send("/v1/chat/completions", body: body).status == 400)
        #expect(upstream.seen.count == 2)
        #expect(gateway.send("/v1/chat/completions", body: body).status == 400)
        #expect(upstream.seen.count == 4)
        #expect(upstream.seen[2].text.contains("include_usage"))
        await gateway.stop()
        await upstream.stop()
    }

    @Test func unknownModelIs404ModelNotFound() async throws {
        let upstream = try await ScriptedUpstream { _, _ in Canned.openAI() }
        let gateway = try await GatewayHarness(provision: openAIProvider(upstream, keys: ["sk-a"]))
        let response = gateway.send("/v1/chat/completions", body: #"{"model":"claude-x","messages":[{"role":"user","content":"hi"}]}"#)
        #expect(response.status == 404)
        #expect(response.body.contains("model_not_found"))
        await gateway.stop()
        await upstream.stop()
    }
}

extension Canned {
    static func openAIBody() -> [UInt8] {
        guard case .bytes(let bytes) = openAI().body else { return [] }
        return bytes
    }
}
