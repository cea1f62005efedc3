import JSON
import Testing
@testable import Translators

/// Anthropic refuses extended thinking beside a temperature other than 1, `top_k`, a `top_p`
/// under 0.95, or a forced tool call: requests from formats that allow those combinations (a
/// Gemini client sends a temperature with its thinking config) are made acceptable, and what
/// was changed is listed as dropped.
@Suite struct AnthropicThinkingConstraintsTests {
    func encode(_ openAIBody: String, strict: Bool = false) throws -> (JSONValue, [String]) {
        let request = try Translator.decodeRequest(Array(openAIBody.utf8), from: .openai)
        let encoded = try Translator.encodeRequest(request, to: .anthropic, model: "claude-x", options: .init(strict: strict))
        return (try JSONValue.parse(encoded.body), encoded.dropped)
    }

    @Test(arguments: [
        (#""temperature":0.7,"top_p":0.9,"top_k":40"#, nil as Double?, 0.95 as Double?, ["temperature", "top_p", "top_k"]),
        (#""temperature":1,"top_p":0.97"#, 1.0, 0.97, []),
        (#""top_p":0.95"#, nil, 0.95, []),
    ])
    func samplingBesideThinking(_ sampling: String, _ temperature: Double?, _ topP: Double?, _ dropped: [String]) throws {
        let (body, droppedFeatures) = try encode(#"{"model":"m","reasoning_effort":"high",\#(sampling),"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(body["thinking"]?["type"]?.string == "enabled")
        #expect(body["temperature"]?.double == temperature)
        #expect(body["top_p"]?.double == topP)
        #expect(body["top_k"] == nil)
        #expect(droppedFeatures == dropped)
    }

    @Test func samplingWithoutThinkingIsSentAsAsked() throws {
        let (body, dropped) = try encode(#"{"model":"m","temperature":0.7,"top_p":0.9,"top_k":40,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(body["temperature"]?.double == 0.7)
        #expect(body["top_p"]?.double == 0.9)
        #expect(body["top_k"]?.int == 40)
        #expect(dropped.isEmpty)
    }

    @Test(arguments: [#""required""#, #"{"type":"function","function":{"name":"f"}}"#])
    func aForcedToolCallWinsOverThinking(_ choice: String) throws {
        let request = #"{"model":"m","reasoning_effort":"low","max_tokens":100,"tool_choice":\#(choice),"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"hi"}]}"#
        let (body, dropped) = try encode(request)
        #expect(body["thinking"] == nil)
        #expect(body["max_tokens"]?.int == 100)
        #expect(["any", "tool"].contains(body["tool_choice"]?["type"]?.string))
        #expect(dropped == ["thinking"])
        #expect(throws: TranslationError.self) { try encode(request, strict: true) }
    }

    /// In a tool loop the last assistant turn must open with a thinking block Anthropic signed;
    /// an OpenAI client cannot send one back, so its second turn goes without thinking.
    @Test func aToolLoopWithoutSignedThinkingGoesWithoutThinking() throws {
        let tools = #""tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]"#
        let turn2 = #"{"model":"m","reasoning_effort":"high",\#(tools),"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"toolu_1","content":"ok"}]}"#
        let (body, dropped) = try encode(turn2)
        #expect(body["thinking"] == nil)
        #expect(dropped == ["thinking"])
        // The first turn, and a conversation whose last assistant turn called no tool, keep it.
        let turn1 = #"{"model":"m","reasoning_effort":"high",\#(tools),"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"done"},{"role":"user","content":"more"}]}"#
        #expect(try encode(turn1).0["thinking"]?["type"]?.string == "enabled")
    }

    /// Anthropic refuses whitespace-only text blocks (and a blank system prompt as one).
    @Test func blankTextIsNotSent() throws {
        let request = #"{"model":"m","messages":[{"role":"system","content":"  "},{"role":"user","content":"hi"},{"role":"assistant","content":"\n\n","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"toolu_1","content":"ok"}]}"#
        let (body, _) = try encode(request)
        #expect(body["system"] == nil)
        #expect(body["messages"]?[1]?["content"]?[0]?["type"]?.string == "tool_use")
    }
}
