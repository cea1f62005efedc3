import Testing
@testable import Translators

@Suite struct SSEParserTests {
    @Test func handlesEveryLineEndingAndSplit() throws {
        let text = "\u{FEFF}: comment\r\nevent: a\r\ndata: one\r\ndata:two\r\n\r\nid: 7\ndata: x\n\nevent: empty\n\ndata: ü😀\r\r"
        let bytes = Array(text.utf8)
        var whole = SSEParser()
        let expected = try whole.feed(bytes) + whole.finish()
        #expect(expected == [SSEEvent(event: "a", data: Array("one\ntwo".utf8)), SSEEvent(data: Array("x".utf8), id: "7"),
                             SSEEvent(data: Array("ü😀".utf8), id: "7")])
        for cut in 0...bytes.count {
            var parser = SSEParser()
            let events = try parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...]) + parser.finish()
            #expect(events == expected, "cut at \(cut)")
        }
    }

    @Test func deliversAFinalEventWithoutBlankLine() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: Array("[DONE]".utf8))])
    }
}

@Suite struct ModelSuffixTests {
    static let cases: [(String, String, Reasoning?)] = [
        ("gpt-5(high)", "gpt-5", Reasoning(effort: .high)),
        ("claude-sonnet-4-5(8192)", "claude-sonnet-4-5", Reasoning(budgetTokens: 8192)),
        ("gemini-2.5-pro(0)", "gemini-2.5-pro", Reasoning(budgetTokens: 0)),
        ("gemini-2.5-pro(-1)", "gemini-2.5-pro", Reasoning(budgetTokens: -1)),
        ("m(NONE)", "m", Reasoning(effort: ReasoningEffort.none)),
        ("m(turbo)", "m(turbo)", nil),
        ("(high)", "(high)", nil),
        ("plain", "plain", nil),
    ]

    @Test(arguments: cases)
    func splits(_ testCase: (String, String, Reasoning?)) {
        let (base, reasoning) = ModelSuffix.split(testCase.0)
        #expect(base == testCase.1)
        #expect(reasoning == testCase.2)
    }

    @Test func effortBudgetTable() {
        #expect(ReasoningEffort(budgetTokens: 0) == ReasoningEffort.none)
        #expect(ReasoningEffort(budgetTokens: 512) == .minimal)
        #expect(ReasoningEffort(budgetTokens: 1024) == .low)
        #expect(ReasoningEffort(budgetTokens: 8192) == .medium)
        #expect(ReasoningEffort(budgetTokens: 20000) == .high)
        #expect(ReasoningEffort(budgetTokens: 64000) == .xhigh)
        for effort in ReasoningEffort.allCases where effort != .auto {
            #expect(ReasoningEffort(budgetTokens: effort.budgetTokens) == effort)
        }
    }

    @Test func suffixOverridesBody() throws {
        let body = "{\"model\":\"o3(high)\",\"messages\":[],\"reasoning_effort\":\"low\"}"
        let request = try Translator.decodeRequest(Array(body.utf8), from: .openai)
        #expect(request.model == "o3")
        #expect(request.requestedModel == "o3(high)")
        #expect(request.reasoning?.effort == .high)
    }
}

@Suite struct PassthroughAndStateTests {
    @Test func passthroughRewritesOnlyTheModel() throws {
        let body = Array("{\"model\":\"alias\",\"x-unknown\":{\"deep\":[1.50,true]},\"messages\":[]}".utf8)
        let out = try Translator.passthrough(body, dialect: .anthropic, model: "claude-real")
        #expect(String(decoding: out, as: UTF8.self) == "{\"model\":\"claude-real\",\"x-unknown\":{\"deep\":[1.50,true]},\"messages\":[]}")
        #expect(try Translator.passthrough(Array("{\"contents\":[]}".utf8), dialect: .gemini, model: "g") == Array("{\"contents\":[]}".utf8))
        #expect(throws: TranslationError.self) { try Translator.passthrough(Array("{\"model\":".utf8), dialect: .openai, model: "x") }
    }

    @Test func toolCallIDsCarryGeminiSignatures() {
        let id = ProviderState.embed(id: "call_1", thoughtSignature: "ab+/cd==")
        #expect(id == "call_1__thought__ab-_cd")
        #expect(ProviderState.split(id: id) == ("call_1", "ab+/cd=="))
        #expect(ProviderState.split(id: "toolu_x") == ("toolu_x", nil))
        #expect(ProviderState.readSignature(ProviderState.showSignature("sig", origin: .gemini, to: .anthropic), from: .anthropic) == ("sig", .gemini))
        #expect(ProviderState.readSignature("EqQB", from: .anthropic) == ("EqQB", .anthropic))
    }

    @Test func multiTurnToolUseAcrossDialectsKeepsIDsAndSignatures() throws {
        // Gemini upstream answers an Anthropic client with a signed function call.
        let upstream = try Fixtures.bytes("responses/gemini-tools.json")
        let response = try Translator.decodeResponse(upstream, from: .gemini)
        let shown = try JSONValue.parse(Translator.encodeResponse(response, to: .anthropic, created: 0))
        let toolUses = shown["content"]!.array!.filter { $0["type"] == "tool_use" }
        #expect(toolUses.count == 2)
        // The client sends the calls back with results; the next Gemini request carries the signature.
        let next: JSONValue = [
            "model": "gemini-2.5-flash", "max_tokens": 100,
            "messages": [
                ["role": "user", "content": "Weather?"],
                ["role": "assistant", "content": shown["content"]!],
                ["role": "user", "content": .array(toolUses.map { ["type": "tool_result", "tool_use_id": $0["id"]!, "content": "ok"] })],
            ],
        ]
        let request = try Translator.decodeRequest(next.serialized(), from: .anthropic)
        let encoded = try Translator.encodeRequest(request, to: .gemini, model: "gemini-2.5-flash")
        let gemini = try JSONValue.parse(encoded.body)
        let modelParts = gemini["contents"]![1]!["parts"]!.array!
        #expect(modelParts[0]["functionCall"]?["name"] == "get_weather")
        #expect(modelParts[0]["thoughtSignature"] == "CiQBVKhc7sig+1/Parisxx==")
        #expect(modelParts[0]["functionCall"]?["id"] == nil)
        #expect(modelParts[1]["thoughtSignature"] == nil)
        let resultParts = gemini["contents"]![2]!["parts"]!.array!
        #expect(resultParts.map { $0["functionResponse"]?["name"] } == ["get_weather", "get_weather"])
        // The unsigned Gemini thought is not replayed anywhere, and nothing was reported dropped for Gemini.
        #expect(encoded.dropped.isEmpty)
        // Sent to Anthropic instead, the tool ids match between calls and results.
        let anthropic = try JSONValue.parse(try Translator.encodeRequest(request, to: .anthropic, model: "c").body)
        let callIDs = anthropic["messages"]![1]!["content"]!.array!.compactMap { $0["id"]?.string }
        let resultIDs = anthropic["messages"]![2]!["content"]!.array!.compactMap { $0["tool_use_id"]?.string }
        #expect(callIDs == resultIDs)
        #expect(callIDs.count == 2)
    }

    @Test func anthropicThinkingSignatureRoundTrips() throws {
        let upstream = try Fixtures.bytes("responses/anthropic-thinking.json")
        let response = try Translator.decodeResponse(upstream, from: .anthropic)
        let shown = try JSONValue.parse(Translator.encodeResponse(response, to: .anthropic, created: 0))
        let next: JSONValue = ["model": "c", "max_tokens": 100,
                               "messages": [["role": "user", "content": "hi"], ["role": "assistant", "content": shown["content"]!]]]
        let request = try Translator.decodeRequest(next.serialized(), from: .anthropic)
        let body = try JSONValue.parse(try Translator.encodeRequest(request, to: .anthropic, model: "c").body)
        #expect(body["messages"]![1]!["content"]![0]!["signature"] == "EqQBCgIYAhIM1gbcDa9GJwZA")
    }
}

@Suite struct CountTokensAndErrorTests {
    @Test func countTokensTranslates() throws {
        let anthropic = "{\"model\":\"claude-x\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"
        let request = try Translator.decodeCountTokensRequest(Array(anthropic.utf8), from: .anthropic)
        let gemini = try #require(try Translator.encodeCountTokensRequest(request, to: .gemini, model: "gemini-2.5-flash"))
        #expect(String(decoding: gemini.body, as: UTF8.self)
            == "{\"generateContentRequest\":{\"model\":\"models/gemini-2.5-flash\",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello there\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]}}}")
        let back = try Translator.decodeCountTokensRequest(gemini.body, from: .gemini, model: "models/gemini-2.5-flash")
        #expect(back.messages == request.messages)
        let toAnthropic = try #require(try Translator.encodeCountTokensRequest(back, to: .anthropic, model: "claude-x"))
        #expect(String(decoding: toAnthropic.body, as: UTF8.self)
            == "{\"model\":\"claude-x\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello there\"}]}]}")
        #expect(try Translator.encodeCountTokensRequest(request, to: .openai, model: "gpt") == nil)
        #expect(TokenEstimator.estimate(request) == 3 + 4 + 3 + 4 + 3)
        #expect(try Translator.decodeCountTokensResponse(Array("{\"totalTokens\":31}".utf8), from: .gemini) == 31)
        #expect(try Translator.decodeCountTokensResponse(Array("{\"input_tokens\":12}".utf8), from: .anthropic) == 12)
        #expect(Translator.encodeCountTokensResponse(31, to: .anthropic) == Array("{\"input_tokens\":31}".utf8))
        #expect(Translator.encodeCountTokensResponse(31, to: .gemini) == Array("{\"totalTokens\":31}".utf8))
    }

    @Test func errorsRenderInEachDialect() {
        let error = GatewayError(kind: .rateLimited, message: "model m is cooling down for 12 s", code: "rate_limit_exceeded",
                                 retryAfterSeconds: 12)
        #expect(String(decoding: Translator.errorBody(error, for: .openai), as: UTF8.self)
            == "{\"error\":{\"message\":\"model m is cooling down for 12 s\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
        #expect(String(decoding: Translator.errorBody(error, for: .anthropic), as: UTF8.self)
            == "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"model m is cooling down for 12 s\"}}")
        #expect(String(decoding: Translator.errorBody(error, for: .gemini), as: UTF8.self)
            == "{\"error\":{\"code\":429,\"message\":\"model m is cooling down for 12 s\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
    }

    static let upstreamErrors: [(Dialect, Int, String, ErrorKind, String)] = [
        (.openai, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", .rateLimited, "Rate limit reached"),
        (.openai, 404, "{\"error\":{\"message\":\"The model `x` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}", .invalidRequest, "The model `x` does not exist"),
        (.anthropic, 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", .overloaded, "Overloaded"),
        (.gemini, 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid\",\"status\":\"INVALID_ARGUMENT\"}}", .invalidRequest, "API key not valid"),
        (.gemini, 502, "<html>Bad Gateway</html>", .api, "<html>Bad Gateway</html>"),
    ]

    @Test(arguments: 0..<upstreamErrors.count)
    func decodesUpstreamErrors(_ index: Int) {
        let (dialect, status, body, kind, message) = Self.upstreamErrors[index]
        let error = ErrorCodec.decode(Array(body.utf8), status: status, dialect: dialect)
        #expect(error.kind == kind)
        #expect(error.status == status)
        #expect(error.message == message)
    }
}

@Suite struct SessionHintTests {
    @Test(arguments: [
        ("user_abc_account_123_session_4f1a-99", "4f1a-99"),
        ("{\"device_id\":\"d\",\"session_id\":\"s-42\"}", "s-42"),
        ("plain-user", nil),
        ("user_session_", nil),
    ] as [(String, String?)])
    func claudeSessionIDs(_ testCase: (String, String?)) {
        #expect(RequestMetadata(userID: testCase.0).claudeSessionID == testCase.1)
    }

    @Test func affinityTextsAreTheFirstOfEachRole() throws {
        let request = try Translator.decodeRequest(try Fixtures.bytes("requests/openai-basic.json"), from: .openai)
        let texts = request.affinityTexts(limit: 8)
        #expect(texts.system == "You are ")
        #expect(texts.user == "Name a c")
        #expect(texts.assistant == "{\"colour")
    }
}

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
