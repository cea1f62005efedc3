import Testing
@testable import Translators

@Suite struct MalformedInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var dialect: Dialect
        var body: String
        var fragment: String
        var testDescription: String { "\(dialect.rawValue): \(fragment)" }
    }

    static let cases: [Case] = [
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[", fragment: "invalid JSON"),
        Case(dialect: .openai, body: "[1]", fragment: "must be a JSON object"),
        Case(dialect: .openai, body: "{\"messages\":[]}", fragment: "model: is required"),
        Case(dialect: .openai, body: "{\"model\":\"m\"}", fragment: "messages: is required"),
        Case(dialect: .openai, body: "{\"model\":5,\"messages\":[]}", fragment: "model: must be a string, not number"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":{}}", fragment: "messages: must be an array"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
             fragment: "messages[0].role: unknown role 'wizard'"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":7}]}",
             fragment: "messages[0].content: must be a string or an array"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,@@@\"}}]}]}",
             fragment: "invalid base64"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
             fragment: "messages[0].tool_call_id: is required"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"a\"},\"hi\"]}",
             fragment: "messages[1]: must be an object, not string"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[],\"reasoning_effort\":\"max\"}", fragment: "unknown effort 'max'"),
        Case(dialect: .openai, body: "{\"model\":\"m\",\"messages\":[],\"temperature\":\"hot\"}", fragment: "temperature: must be a number"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"messages\":[]}", fragment: "max_tokens: is required"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
             fragment: "unknown role 'system'"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\"}]}",
             fragment: "messages[0].content: is required"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"abcde\"}}]}]}",
             fragment: "messages[0].content[0].source.data: invalid base64"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"hologram\"}]}]}",
             fragment: "unsupported content block type 'hologram'"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"name\":\"x\"}]}]}",
             fragment: "content[0].id: is required"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[1]}]}]}",
             fragment: "messages[0].content[0].content[0]: must be an object, not number"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"thinking\":{\"type\":\"enabled\"}}",
             fragment: "thinking.budget_tokens: is required"),
        Case(dialect: .anthropic, body: "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"tools\":[{\"name\":\"t\"}]}",
             fragment: "tools[0].input_schema: is required"),
        Case(dialect: .gemini, body: "{}", fragment: "contents: is required"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"role\":\"assistant\",\"parts\":[]}]}", fragment: "unknown role 'assistant'"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"***\"}}]}]}",
             fragment: "contents[0].parts[0].inlineData.data: invalid base64"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"parts\":[{\"videoMetadata\":{}}]}]}", fragment: "unsupported part"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"parts\":[{\"text\":\"a\"},[]]}]}",
             fragment: "contents[0].parts[1]: must be an object, not array"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"parts\":[{\"functionCall\":{\"args\":{}}}]}]}",
             fragment: "functionCall.name: is required"),
        Case(dialect: .gemini, body: "{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":1.5}}",
             fragment: "maxOutputTokens: must be an integer"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]}]}",
             fragment: "contents[0].parts[0].functionCall: belongs in a model turn"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}",
             fragment: "contents[0].parts[0].functionResponse: belongs in a user turn"),
        Case(dialect: .gemini, body: "{\"contents\":[{\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"parts\":[{\"text\":\"x\"}]}}]}]}",
             fragment: "functionResponse.parts[0]: unsupported part (expected inlineData or fileData)"),
    ]

    @Test(arguments: cases)
    func rejectsWithAUsefulMessage(_ testCase: Case) {
        do {
            _ = try Translator.decodeRequest(Array(testCase.body.utf8), from: testCase.dialect, model: "m")
            Issue.record("accepted \(testCase.body)")
        } catch let error as TranslationError {
            #expect(error.description.contains(testCase.fragment), "\(error.description)")
            #expect(error.gatewayError.status == 400)
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    static let badStreams: [(Dialect, String)] = [
        (.openai, "data: {not json}\n\n"),
        (.openai, "data: [1,2]\n\n"),
        (.anthropic, "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"),
        (.openai, "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{}\"}}]}}]}\n\ndata: [DONE]\n\n"),
    ]

    @Test(arguments: 0..<badStreams.count)
    func badStreamsThrowTypedErrors(_ index: Int) {
        let (dialect, text) = Self.badStreams[index]
        var decoder = StreamDecoder(dialect: dialect)
        #expect(throws: TranslationError.self) {
            _ = try decoder.feed(Array(text.utf8))
            _ = try decoder.finish()
        }
    }

    @Test func badGeminiArrayStream() {
        var decoder = StreamDecoder(dialect: .gemini, geminiFraming: .jsonArray)
        #expect(throws: TranslationError.self) { _ = try decoder.feed(Array("{\"candidates\":[]}".utf8)) }
        var trailing = StreamDecoder(dialect: .gemini, geminiFraming: .jsonArray)
        #expect(throws: TranslationError.self) { _ = try trailing.feed(Array("[{\"candidates\":[]}] x".utf8)) }
    }

    @Test func truncatedStreamIsNotComplete() throws {
        var decoder = StreamDecoder(dialect: .anthropic)
        _ = try decoder.feed(Array("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\"}}\n\n".utf8))
        _ = try decoder.finish()
        #expect(!decoder.isComplete)
    }
}
