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
}
