import Testing
@testable import Translators

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

    /// Gemini function calls come without ids: the ids made up for them differ from one response
    /// to the next (seeded with the response id, or the gateway's fallback id when the body has
    /// none), since a client sends every earlier turn's ids back in its history.
    @Test func madeUpCallIDsDifferBetweenResponsesWithoutResponseID() throws {
        let body = Array(#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP"}]}"#.utf8)
        let first = try Translator.decodeResponse(body, from: .gemini, model: "g", fallbackID: "gen_1")
        let second = try Translator.decodeResponse(body, from: .gemini, model: "g", fallbackID: "gen_2")
        #expect(first.id == "gen_1" && second.id == "gen_2")
        let ids = [first, second].flatMap { $0.content.compactMap { part -> String? in
            if case .toolCall(let call) = part { return call.id } else { return nil }
        } }
        #expect(ids.count == 2 && ids[0] != ids[1], "\(ids)")
        var stream = StreamDecoder(dialect: .gemini, geminiFraming: .sse, model: "g", fallbackID: "gen_3")
        let events = try stream.feed(Array("data: ".utf8) + body + Array("\n\n".utf8))
        #expect(events.contains { if case .start(let id, _, _) = $0 { id == "gen_3" } else { false } })
    }

    /// A result takes the name of the latest call before it with its id, not of a later call that
    /// reuses the id (a client's own ids, or ids made up before the fix above).
    @Test func aReusedCallIDNamesEachResultAfterItsOwnCall() throws {
        let history: JSONValue = [
            "model": "m", "messages": [
                ["role": "user", "content": "weather, then time"],
                ["role": "assistant", "content": nil, "tool_calls": [["id": "call_x", "type": "function",
                                                                      "function": ["name": "get_weather", "arguments": "{}"]]]],
                ["role": "tool", "tool_call_id": "call_x", "content": "sunny"],
                ["role": "assistant", "content": nil, "tool_calls": [["id": "call_x", "type": "function",
                                                                      "function": ["name": "get_time", "arguments": "{}"]]]],
                ["role": "tool", "tool_call_id": "call_x", "content": "10:00"],
            ],
        ]
        let request = try Translator.decodeRequest(history.serialized(), from: .openai)
        let gemini = try JSONValue.parse(try Translator.encodeRequest(request, to: .gemini, model: "g").body)
        let responses = gemini["contents"]!.array!.flatMap { $0["parts"]!.array! }.compactMap { $0["functionResponse"] }
        #expect(responses.map { $0["name"] } == ["get_weather", "get_time"])
    }

    @Test(arguments: [
        (#"{"messages":[{"content":[{"type":"thinking","thinking":"t","signature":"gemini.CiQB"}]}]}"#, true),
        ("{\"content\":[{\"type\":\"thinking\",\"signature\" :\t\"openai.\"}]}", true),
        (#"{"content":[{"type":"thinking","signature":"EqQBCkgIARABGAIiQL"}]}"#, false),
        (#"{"content":[{"type":"text","text":"\"gemini.x\" said the signature"}]}"#, false),
        (#"{"content":[{"type":"thinking","signature":"anthropic.x"}]}"#, false),
        (#"{"content":[{"type":"text","text":"signature"}],"signature":"#, false),
        (#"{"signature":"gemini"}"#, false),
    ])
    func foreignSignaturesInAnAnthropicBody(body: String, foreign: Bool) {
        #expect(ProviderState.carriesForeignState(Array(body.utf8), client: .anthropic) == foreign)
    }

    @Test func geminiSignaturesInToolCallIDsAreForeignStateExceptForGemini() {
        let body = Array(#"{"messages":[{"role":"tool","tool_call_id":"call_sy_r1_0__thought__CiQBVKhc","content":"ok"}]}"#.utf8)
        #expect(ProviderState.carriesForeignState(body, client: .openai))
        #expect(ProviderState.carriesForeignState(body, client: .anthropic))
        #expect(!ProviderState.carriesForeignState(body, client: .gemini))
        #expect(!ProviderState.carriesForeignState(Array(#"{"messages":[{"role":"tool","tool_call_id":"call_1"}]}"#.utf8), client: .openai))
    }

    /// Gemini signs the answer's text part, not its thought: an Anthropic client has no place for
    /// that signature (documented), and the unsigned thought it sends back never becomes an
    /// empty `thoughtSignature` (Gemini would refuse it); the text comes back intact.
    @Test func anUnsignedGeminiThoughtSentBackAddsNoEmptySignature() throws {
        let body = Array(#"{"responseId":"r1","candidates":[{"content":{"role":"model","parts":[{"text":"Let me think.","thought":true},{"text":"42","thoughtSignature":"c2lnbmVk"}]},"finishReason":"STOP"}]}"#.utf8)
        let response = try Translator.decodeResponse(body, from: .gemini, model: "g")
        let shown = try JSONValue.parse(Translator.encodeResponse(response, to: .anthropic, created: 0))
        let next: JSONValue = [
            "model": "g", "max_tokens": 100,
            "messages": [["role": "user", "content": "?"], ["role": "assistant", "content": shown["content"]!],
                         ["role": "user", "content": "thanks"]],
        ]
        let request = try Translator.decodeRequest(next.serialized(), from: .anthropic)
        let gemini = try JSONValue.parse(try Translator.encodeRequest(request, to: .gemini, model: "g").body)
        let parts = gemini["contents"]![1]!["parts"]!.array!
        #expect(shown["content"]?[0]?["signature"] == "gemini.")
        #expect(parts.map { $0["text"] } == ["42"])
        #expect(parts[0]["thoughtSignature"] == nil)
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
