import JSON
import Testing
@testable import Translators

/// Tool declarations, tool choice and tool-call arguments where the formats differ.
@Suite struct ToolTranslationTests {
    static let threeTools = #"{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT"}},{"name":"g","parameters":{"type":"OBJECT"}},{"name":"h","parameters":{"type":"OBJECT"}}]}"#

    func geminiRequest(_ toolConfig: String) throws -> ChatRequest {
        let body = #"{"contents":[{"parts":[{"text":"hi"}]}],"tools":[\#(Self.threeTools),{"googleSearch":{}}],"toolConfig":{"functionCallingConfig":\#(toolConfig)}}"#
        return try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
    }

    /// Gemini `VALIDATED` lets the model answer in text; `allowedFunctionNames` limits what may be called.
    @Test(arguments: [
        (#"{"mode":"VALIDATED"}"#, ToolChoice.auto, ["f", "g", "h"]),
        (#"{"mode":"VALIDATED","allowedFunctionNames":["g"]}"#, .auto, ["g"]),
        (#"{"mode":"ANY","allowedFunctionNames":["g","h"]}"#, .required, ["g", "h"]),
        (#"{"mode":"ANY","allowedFunctionNames":["h"]}"#, .tool("h"), ["h"]),
        (#"{"mode":"ANY"}"#, .required, ["f", "g", "h"]),
        (#"{"mode":"AUTO","allowedFunctionNames":["g"]}"#, .auto, ["f", "g", "h"]),
    ])
    func geminiFunctionCallingModes(_ config: String, _ choice: ToolChoice, _ functions: [String]) throws {
        let request = try geminiRequest(config)
        #expect(request.toolChoice == choice)
        #expect(request.tools.filter { $0.builtin == nil }.map(\.name) == functions)
        #expect(request.tools.contains { $0.builtin != nil })  // built-in tools are not functions: kept
    }

    /// OpenAPI `nullable` (Gemini) is no JSON Schema keyword: it becomes a `null` alternative.
    /// Gemini refuses allowed names that were not declared; so does Switchyard, rather than
    /// forcing a call of nothing (OpenAI) or silently allowing text (Anthropic).
    @Test func anAllowedNameThatWasNotDeclaredIsRefused() throws {
        #expect(throws: TranslationError.malformed(path: "toolConfig.functionCallingConfig.allowedFunctionNames",
                                                   message: "'nope' is not a declared function")) {
            try geminiRequest(#"{"mode":"ANY","allowedFunctionNames":["f","nope"]}"#)
        }
    }

    @Test func nullableBecomesANullType() throws {
        let body = #"{"contents":[{"parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"days":{"type":"INTEGER","nullable":true},"nullable":{"type":"STRING","nullable":false}}}}]}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        let properties = request.tools[0].parameters["properties"]
        #expect(properties?["days"] == ["type": ["integer", "null"]])
        #expect(properties?["nullable"] == ["type": "string"])
    }

    /// Anthropic and Gemini take arguments as an object only: other arguments (text cut off by a
    /// token limit, an array) become `{}`, reported dropped, refused in strict mode.
    @Test(arguments: [#"{\"city\": \"Par"#, "[1,2]"], [Dialect.anthropic, .gemini])
    func argumentsThatAreNoObject(_ arguments: String, _ target: Dialect) throws {
        let body = #"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"\#(arguments)"}}]},{"role":"tool","tool_call_id":"c1","content":"r"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .openai)
        let encoded = try Translator.encodeRequest(request, to: target, model: "m")
        #expect(encoded.dropped == ["tool_call_arguments"])
        #expect(String(decoding: encoded.body, as: UTF8.self).contains(target == .anthropic ? #""input":{}"# : #""args":{}"#))
        #expect(throws: TranslationError.self) { try Translator.encodeRequest(request, to: target, model: "m", options: .init(strict: true)) }
    }

    /// OpenAI-compatible answers with tool calls finished by "stop" (OpenAI itself for a named
    /// tool choice, Ollama, older vLLM) are tool use; calls without an id, or with "", get one
    /// made up, distinct per call.
    @Test func openAIToolCallsFinishedByStopAndWithoutIDs() throws {
        let body = #"{"id":"chatcmpl-9","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}},{"id":"","type":"function","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"stop"}]}"#
        let response = try Translator.decodeResponse(Array(body.utf8), from: .openai)
        #expect(response.stopReason == .toolUse)
        let ids = response.content.compactMap { part -> String? in if case .toolCall(let call) = part { call.id } else { nil } }
        #expect(ids == ["call_sy_chatcmpl9_0", "call_sy_chatcmpl9_1"])

        var stream = StreamDecoder(dialect: .openai)
        let chunk = { (delta: String, finish: String) in
            "data: {\"id\":\"chatcmpl-9\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finish)}]}\n\n"
        }
        let text = chunk(#"{"tool_calls":[{"index":0,"type":"function","function":{"name":"f","arguments":""}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}"#, "null")
            + chunk(#"{"tool_calls":[{"index":1,"id":"","type":"function","function":{"name":"g","arguments":"{}"}}]}"#, "null")
            + chunk("{}", #""stop""#) + "data: [DONE]\n\n"
        let events = try stream.feed(Array(text.utf8)) + stream.finish()
        let headers = events.compactMap { event -> String? in
            if case .partStart(_, .toolCall(let id, let name, _)) = event { "\(name):\(id)" } else { nil }
        }
        #expect(headers == ["f:call_sy_chatcmpl9_0", "g:call_sy_chatcmpl9_1"])
        #expect(events.contains(.finish(.toolUse, stopSequence: nil)))
    }

    /// Gemini's JSON Schema subset has no `$schema` (every Claude Code tool declares one): it is
    /// left out, the rest of the schema kept.
    @Test func theMetaSchemaIsNotSentToGemini() throws {
        let body = #"{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}}],"messages":[{"role":"user","content":"hi"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .anthropic)
        let sent = try JSONValue.parse(try Translator.encodeRequest(request, to: .gemini, model: "m").body)
        let schema = sent["tools"]?[0]?["functionDeclarations"]?[0]?["parametersJsonSchema"]
        #expect(schema?["$schema"] == nil)
        #expect(schema?["additionalProperties"] == .bool(false))
        #expect(schema?["properties"]?["a"]?["type"]?.string == "string")
    }

    /// Gemini refuses empty parts: the `content: ""` an OpenAI client sends back beside its tool
    /// calls, and an empty system message, are not sent.
    @Test func emptyTextIsNotSentToGemini() throws {
        let body = #"{"model":"m","messages":[{"role":"system","content":""},{"role":"user","content":"hi"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .openai)
        let sent = try JSONValue.parse(try Translator.encodeRequest(request, to: .gemini, model: "m").body)
        #expect(sent["systemInstruction"] == nil)
        let model = sent["contents"]?[1]
        #expect(model?["role"]?.string == "model")
        #expect(model?["parts"]?[0]?["functionCall"]?["name"]?.string == "f")
        #expect(model?["parts"]?[1] == nil)
    }

    /// A call without arguments (Anthropic streams none for `input: {}`) reaches an OpenAI client
    /// with `"{}"`, as OpenAI sends it.
    @Test func aStreamedCallWithoutArgumentsHasAnEmptyObject() throws {
        var encoder = StreamEncoder(dialect: .openai, created: 0)
        var out = encoder.encode([.start(id: "m", model: "x", usage: nil), .partStart(index: 0, .toolCall(id: "toolu_1", name: "f", thoughtSignature: nil)),
                                  .delta(index: 0, .toolArguments("")), .partStop(index: 0), .finish(.toolUse, stopSequence: nil)])
        out += encoder.finish()
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains(#""function":{"arguments":"{}"}"#), "\(text)")
    }

    /// Gemini pairs function responses with calls by name and position: results sent back in
    /// another order are put in the order of their calls.
    @Test func geminiGetsToolResultsInCallOrder() throws {
        let body = #"{"model":"m","messages":[{"role":"user","content":"read both"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}},{"id":"c2","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"b\"}"}}]},{"role":"tool","tool_call_id":"c2","content":"B"},{"role":"tool","tool_call_id":"c1","content":"A"},{"role":"user","content":"thanks"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .openai)
        let sent = try JSONValue.parse(try Translator.encodeRequest(request, to: .gemini, model: "m").body)
        let results = sent["contents"]?[2]?["parts"]
        #expect(results?[0]?["functionResponse"]?["response"]?["result"]?.string == "A")
        #expect(results?[1]?["functionResponse"]?["response"]?["result"]?.string == "B")
        #expect(results?[2]?["text"]?.string == "thanks")
    }

    /// A google-genai chat stores a streamed answer as one `model` content per chunk (text
    /// pieces, each call, the finish chunk's empty text): one turn for the targets.
    static let splitChatHistory = #"{"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[{"text":"Turn 0: h"}]},{"role":"model","parts":[{"text":"ello"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{},"id":"c1"}}]},{"role":"model","parts":[{"functionCall":{"name":"g","args":{"a":1},"id":"c2"}}]},{"role":"model","parts":[{"text":""}]},{"role":"user","parts":[{"functionResponse":{"name":"f","id":"c1","response":{"output":"ok 0"}}},{"functionResponse":{"name":"g","id":"c2","response":{"output":"ok 1"}}}]}],"tools":[{"functionDeclarations":[{"name":"f"},{"name":"g"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":2048}}}"#

    @Test func aSplitGeminiTurnIsOneOpenAIAssistantMessage() throws {
        let request = try Translator.decodeRequest(Array(Self.splitChatHistory.utf8), from: .gemini, model: "m")
        let messages = try JSONValue.parse(try Translator.encodeRequest(request, to: .openai, model: "m").body)["messages"]?.array ?? []
        #expect(messages.map { $0["role"]?.string } == ["user", "assistant", "tool", "tool"])
        #expect(messages[1]["content"]?.string == "Turn 0: hello")
        #expect(messages[1]["tool_calls"]?.array?.compactMap { $0["id"]?.string } == ["c1", "c2"])
        #expect(messages[2]["tool_call_id"]?.string == "c1")
    }

    /// The turn Anthropic checks for its signed thinking is the merged one, not its last chunk.
    @Test func aSplitGeminiTurnGoesToAnthropicWithoutThinking() throws {
        let request = try Translator.decodeRequest(Array(Self.splitChatHistory.utf8), from: .gemini, model: "m")
        let encoded = try Translator.encodeRequest(request, to: .anthropic, model: "m")
        let sent = try JSONValue.parse(encoded.body)
        #expect(sent["thinking"] == nil)
        #expect(encoded.dropped == ["thinking"])
        #expect(sent["messages"]?.array?.map { $0["role"]?.string } == ["user", "assistant", "user"])
    }

    /// An assistant message that sends nothing (only thinking OpenAI cannot take) is left out
    /// rather than sent empty between a user's messages.
    @Test func anAssistantTurnWithNothingToSendIsLeftOutForOpenAI() throws {
        let body = #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sig"}]},{"role":"user","content":"b"}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .anthropic)
        let encoded = try Translator.encodeRequest(request, to: .openai, model: "m")
        let messages = try JSONValue.parse(encoded.body)["messages"]?.array ?? []
        #expect(messages.map { $0["role"]?.string } == ["user", "user"])
        #expect(encoded.dropped == ["thinking"])
    }

    /// A Gemini function result with images (`functionResponse.parts`): mapped for Anthropic,
    /// reported dropped for OpenAI (never lost silently).
    @Test func aGeminiFunctionResultsImagesAreCarried() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"text":"shot"}]},{"role":"model","parts":[{"functionCall":{"name":"screenshot","args":{},"id":"c1"}}]},{"role":"user","parts":[{"functionResponse":{"name":"screenshot","id":"c1","response":{"output":"see"},"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}}]}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        let anthropic = try JSONValue.parse(try Translator.encodeRequest(request, to: .anthropic, model: "m").body)
        let result = anthropic["messages"]?[2]?["content"]?[0]?["content"]
        #expect(result?[0]?["text"]?.string == "see")
        #expect(result?[1]?["type"]?.string == "image")
        #expect(result?[1]?["source"]?["media_type"]?.string == "image/png")
        #expect(try Translator.encodeRequest(request, to: .openai, model: "m").dropped == ["tool_result_images"])
        #expect(throws: TranslationError.self) { try Translator.encodeRequest(request, to: .openai, model: "m", options: .init(strict: true)) }
    }

    /// A Gemini user turn split over contents (text, then the function response) reaches
    /// OpenAI with the result right after its call and the text after it.
    @Test func aSplitGeminiUserTurnKeepsResultsNextToTheirCalls() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{},"id":"c1"}}]},{"role":"user","parts":[{"text":"here you are"}]},{"role":"user","parts":[{"functionResponse":{"name":"f","id":"c1","response":{"output":"ok"}}}]}]}"#
        let request = try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m")
        let messages = try JSONValue.parse(try Translator.encodeRequest(request, to: .openai, model: "m").body)["messages"]?.array ?? []
        #expect(messages.map { $0["role"]?.string } == ["user", "assistant", "tool", "user"])
        #expect(messages[3]["content"]?.string == "here you are")
    }
}
