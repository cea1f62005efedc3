import JSON
import Testing
@testable import Translators

/// What real OpenAI-compatible servers send that OpenAI does not, streamed and not.
@Suite struct OpenAICompatibleQuirksTests {
    /// The calls and stop reason a stream of these `delta`s (and finish reasons) decodes to.
    func decodeStream(_ deltas: [(delta: String, finish: String)], done: Bool = true) throws -> ChatResponse {
        var text = deltas.map { "data: {\"id\":\"c9\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":\($0.delta),\"finish_reason\":\($0.finish)}]}\n\n" }.joined()
        if done { text += "data: [DONE]\n\n" }
        var stream = StreamDecoder(dialect: .openai)
        var accumulator = ResponseAccumulator()
        for event in try stream.feed(Array(text.utf8)) + stream.finish() { accumulator.apply(event) }
        #expect(stream.isComplete)
        return accumulator.response
    }

    func calls(_ response: ChatResponse) -> [String] {
        response.content.compactMap { part in
            if case .toolCall(let call) = part { "\(call.id) \(call.name) \(call.arguments.serializedString)" } else { nil }
        }
    }

    /// Google's OpenAI-compatible endpoint streams whole calls without `index` (and finishes
    /// them with "stop"); Ollama numbers every call of a batch 0.
    @Test(arguments: [#""#, #""index":0,"#])
    func parallelCallsWithoutDistinctIndexes(_ index: String) throws {
        let response = try decodeStream([
            (#"{"tool_calls":[{\#(index)"id":"call_a","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"ls\"}"}}]}"#, "null"),
            (#"{"tool_calls":[{\#(index)"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}"#, "null"),
            ("{}", #""stop""#),
        ])
        #expect(calls(response) == [#"call_a Bash {"command":"ls"}"#, #"call_b get_weather {"city":"Paris"}"#])
        #expect(response.stopReason == .toolUse)
    }

    /// vLLM serving Command-A sends the name `""` first and the real one later.
    @Test func aNameThatComesAfterTheCallStarted() throws {
        let response = try decodeStream([
            (#"{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"","arguments":"{\"a\""}}]}"#, "null"),
            (#"{"tool_calls":[{"index":0,"function":{"name":"Bash","arguments":":1}"}}]}"#, "null"),
            ("{}", #""tool_calls""#),
        ])
        #expect(calls(response) == [#"call_a Bash {"a":1}"#])
    }

    @Test func aCallThatNeverGetsANameIsAnUnreadableStream() {
        #expect(throws: TranslationError.self) {
            try decodeStream([(#"{"tool_calls":[{"index":0,"id":"call_a","function":{"name":"","arguments":"{}"}}]}"#, #""tool_calls""#)])
        }
    }

    /// llama.cpp (an option) and TGI send `arguments` as the JSON object itself.
    @Test func argumentsAsAnObject() throws {
        let streamed = try decodeStream([
            (#"{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":{"x":[1,2]}}}]}"#, "null"),
            ("{}", #""tool_calls""#),
        ])
        #expect(calls(streamed) == [#"call_a f {"x":[1,2]}"#])
        let body = #"{"id":"c9","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"call_a","type":"function","function":{"name":"f","arguments":{"x":1}}}]},"finish_reason":"tool_calls"}]}"#
        #expect(calls(try Translator.decodeResponse(Array(body.utf8), from: .openai)) == [#"call_a f {"x":1}"#])
    }

    /// `data: [DONE]` ends an answer normally even when no finish reason came (vLLM#27572).
    @Test func doneWithoutAFinishReason() throws {
        let response = try decodeStream([(#"{"content":"hi"}"#, "null")])
        #expect(response.stopReason == .endTurn)
    }

    /// …but a stream that brought nothing before `[DONE]` (a role chunk, a usage chunk) has no
    /// finish either: it stays a stream without content, which fails over.
    @Test func doneAfterNothingIsNoAnswer() throws {
        let text = #"data: {"id":"c9","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#
            + "\n\n" + #"data: {"id":"c9","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":0}}"# + "\n\ndata: [DONE]\n\n"
        var stream = StreamDecoder(dialect: .openai)
        let events = try stream.feed(Array(text.utf8)) + stream.finish()
        #expect(!events.contains { if case .finish = $0 { true } else if case .delta = $0 { true } else { false } }, "\(events)")
    }

    /// A tool reason without a call is an ordinary end; a legacy `function_call` is a call.
    @Test func toolReasonsAndLegacyFunctionCalls() throws {
        let noCalls = #"{"id":"c9","choices":[{"index":0,"message":{"role":"assistant","content":"done"},"finish_reason":"tool_calls"}]}"#
        #expect(try Translator.decodeResponse(Array(noCalls.utf8), from: .openai).stopReason == .endTurn)
        let legacy = #"{"id":"c9","choices":[{"index":0,"message":{"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{\"a\":1}"}},"finish_reason":"function_call"}]}"#
        let decoded = try Translator.decodeResponse(Array(legacy.utf8), from: .openai)
        #expect(calls(decoded) == [#"call_sy_c9_0 f {"a":1}"#])
        #expect(decoded.stopReason == .toolUse)
        let streamed = try decodeStream([(#"{"function_call":{"name":"f","arguments":"{}"}}"#, "null"), ("{}", #""function_call""#)])
        #expect(calls(streamed) == ["call_sy_c9_0 f {}"])
    }

    @Test(arguments: ["eos", "eos_token", ""])
    func endOfSequenceReasonsAreAnEndTurn(_ reason: String) {
        #expect(OpenAIResponseCodec.stopReason(reason) == .endTurn)
    }

    /// An answer without a choice (OpenRouter's, when its provider failed) is no answer.
    @Test func anAnswerWithoutAChoiceIsUnreadable() {
        #expect(throws: TranslationError.self) { try Translator.decodeResponse(Array(#"{"id":"x","choices":[]}"#.utf8), from: .openai) }
    }

    /// Parallel calls whose argument fragments interleave (Responses-to-Chat converters send
    /// them so): each Anthropic block's deltas come between its own start and stop, one block at
    /// a time, and Gemini gets every call whole.
    @Test func interleavedArgumentFragments() throws {
        let chunk = { (delta: String, finish: String) in
            "data: {\"id\":\"c9\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finish)}]}\n\n"
        }
        let text = chunk(#"{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Bash","arguments":""}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_weather","arguments":""}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"command\":"}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":1,"function":{"arguments":"{\"city\":"}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\"ls\"}"}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":1,"function":{"arguments":"\"Paris\"}"}}]}"#, "null")
            + chunk("{}", #""tool_calls""#) + "data: [DONE]\n\n"
        try expectOrderedBlocks(Array(text.utf8), inputs: [0: #"{"command":"ls"}"#, 1: #"{"city":"Paris"}"#])
    }

    /// Text that comes while a call's arguments are still incomplete does not cut the call.
    @Test func textInTheMiddleOfACallsArguments() throws {
        let chunk = { (delta: String, finish: String) in
            "data: {\"id\":\"c9\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finish)}]}\n\n"
        }
        let text = chunk(#"{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Bash","arguments":"{\"command\":"}}]}"#, "null")
            + chunk(#"{"content":"running it"}"#, "null")
            + chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\"ls\"}"}}]}"#, "null")
            + chunk("{}", #""tool_calls""#) + "data: [DONE]\n\n"
        try expectOrderedBlocks(Array(text.utf8), inputs: [0: #"{"command":"ls"}"#])
    }

    /// Each Anthropic block's deltas come between its own start and stop, one block at a time,
    /// with these tool inputs; a Gemini client gets each call whole.
    func expectOrderedBlocks(_ bytes: [UInt8], inputs expected: [Int: String]) throws {
        let anthropic = try Transcoder.run(bytes, upstream: .openai, framing: .sse, client: .anthropic, chunks: Splits.whole(bytes.count))
        var open: Int?
        var inputs: [Int: String] = [:]
        for line in String(decoding: anthropic.bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("data: ") {
            let event = try JSONValue.parse(Array(line.dropFirst(6).utf8))
            let index = event["index"]?.int
            switch event["type"]?.string {
            case "content_block_start":
                #expect(open == nil, "a block started while another was open")
                open = index
            case "content_block_delta":
                #expect(index == open, "a delta outside its block")
                inputs[index ?? -1, default: ""] += event["delta"]?["partial_json"]?.string ?? ""
            case "content_block_stop":
                #expect(index == open)
                open = nil
            default: break
            }
        }
        #expect(inputs.filter { !$0.value.isEmpty } == expected)
        let gemini = try Transcoder.run(bytes, upstream: .openai, framing: .sse, client: .gemini, chunks: Splits.whole(bytes.count))
        let output = String(decoding: gemini.bytes, as: UTF8.self)
        for input in expected.values { #expect(output.contains(#""args":\#(input)"#), "\(output)") }
    }
}
