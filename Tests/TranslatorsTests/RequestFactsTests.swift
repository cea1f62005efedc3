import Foundation
import Testing
@testable import Translators

/// The facts scan reads request bodies without decoding them: wherever the
/// canonical decoder accepts a body, the scan must find exactly what the decoded request holds,
/// and where the scan is unsure it must say so (nil) rather than guess.
@Suite struct RequestFactsTests {
    static let fixtures = Fixtures.names(in: "requests")

    @Test(arguments: fixtures)
    func theScanAgreesWithTheDecoderOnEveryFixture(_ name: String) throws {
        let body = try Fixtures.bytes("requests/\(name)")
        let dialect: Dialect = name.hasPrefix("openai") ? .openai : name.hasPrefix("gemini") ? .gemini : .anthropic
        let scanned = try #require(RequestFacts.scan(body, dialect: dialect, pathModel: "models/gemini-2.5-pro", stream: true))
        var decoded = try Translator.decodeRequest(body, from: dialect, model: "models/gemini-2.5-pro", stream: true)
        if dialect != .gemini { decoded.stream = scanned.stream }  // only Gemini takes streaming from the URL
        #expect(scanned == RequestFacts(decoded))
    }

    /// Bodies where the order and shape of turns decide the first texts.
    static let agreementCases: [(Dialect, String)] = [
        (.openai, #"{"model":"m","messages":[{"role":"developer","content":[{"type":"text","text":"dev"}]},{"role":"system","content":"sys"},{"role":"user","content":"u"}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"system","content":[]},{"role":"system","content":"second"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"input_text","text":"after image"}]}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"system","content":""},{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"user","content":"later"}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"assistant","content":null,"refusal":"no"},{"role":"tool","tool_call_id":"c1","content":"result"},{"role":"user","content":"u"}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"user","content":"u"},{"role":"assistant","reasoning_content":"think","content":[{"type":"refusal","refusal":"r"}]}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"user"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}"#),
        (.openai, #"{"model":"m(high)","stream":true,"stream_options":{"include_usage":true},"user":"u-1","conversation_id":"c-1","messages":[{"role":"user","content":"x"}]}"#),
        (.openai, #"{"model":"a","model":"b","stream":null,"user":null,"messages":[]}"#),
        (.anthropic, #"{"model":"m","max_tokens":5,"system":[{"type":"text","text":"s1"},{"type":"text","text":"s2"}],"messages":[{"role":"assistant","content":"a"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}]}"#),
        (.anthropic, #"{"model":"m","max_tokens":5,"metadata":{"user_id":"user_x_account_y_session_z"},"conversation_id":"c","stream":false,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}},{"type":"text","text":"t"}]}]}"#),
        (.anthropic, #"{"model":"m","max_tokens":5,"system":"","messages":[{"role":"user","content":""},{"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"answer"}]}]}"#),
        (.gemini, #"{"contents":[{"parts":[{"text":"no role is user"}]},{"role":"model","parts":[{"text":"hm","thought":true},{"text":"answer"}]}]}"#),
        (.gemini, #"{"system_instruction":{"parts":[{"text":"snake"}]},"contents":[{"role":"function","parts":[{"functionResponse":{"name":"f","response":{}}}]},{"role":"user","parts":[{"text":"later"}]}]}"#),
        (.gemini, #"{"systemInstruction":{"parts":[{"text":"camel"}]},"system_instruction":{"parts":[{"text":"snake"}]},"contents":[{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"AAAA"}},{"text":"after image","thought":false}]}]}"#),
        (.gemini, #"{"systemInstruction":null,"system_instruction":{"parts":[{"text":"snake"}]},"contents":[],"generationConfig":{"temperature":0.2}}"#),
        (.gemini, #"{"contents":[{"role":"user"}],"systemInstruction":{}}"#),
    ]

    @Test(arguments: agreementCases)
    func theScanAgreesWithTheDecoder(_ testCase: (Dialect, String)) throws {
        let body = Array(testCase.1.utf8)
        let scanned = try #require(RequestFacts.scan(body, dialect: testCase.0, pathModel: "gemini-x(high)"))
        #expect(scanned == RequestFacts(try Translator.decodeRequest(body, from: testCase.0, model: "gemini-x(high)")))
    }

    /// A Gemini body names no model: any model can take it as it is, and parts Switchyard cannot
    /// translate (code execution, URL-safe base64 the decoder normalizes) do not stop the scan.
    @Test func aGeminiBodyIsScannedWithItsModelAndStreamingFromTheURL() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"text":"run it"}]},{"role":"model","parts":[{"executableCode":{"language":"PYTHON","code":"print(1)"}},{"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}}]}],"tools":[{"codeExecution":{}}]}"#
        let facts = try #require(RequestFacts.scan(Array(body.utf8), dialect: .gemini, pathModel: "models/gemini-2.5-flash", stream: true))
        #expect(facts == RequestFacts(model: "gemini-2.5-flash", stream: true, firstUserText: "run it"))
        #expect(facts.modelIsVerbatim)
        #expect(facts.bodyFits(model: "gemini-2.5-flash") && facts.bodyFits(model: "another-model"))
        #expect(throws: TranslationError.self) { try Translator.decodeRequest(Array(body.utf8), from: .gemini, model: "m") }
    }

    @Test func factsOfAnOpenAIBody() throws {
        let body = #"{"model":"gpt-5(high)","stream":true,"stream_options":{"include_usage":true},"user":"u-1","messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}"#
        let facts = try #require(RequestFacts.scan(Array(body.utf8), dialect: .openai))
        #expect(facts == RequestFacts(model: "gpt-5(high)", stream: true, includeUsageInStream: true, userID: "u-1",
                                      firstSystemText: "s", firstUserText: "hi", firstAssistantText: "yo"))
    }

    /// Whether the body names its model once and without escapes (it may then go upstream as is).
    @Test(arguments: [
        (#"{"model":"m","messages":[]}"#, true),
        (#"{"model":"m(high)","messages":[]}"#, true),
        (#"{"model":"\u006d","messages":[]}"#, false),
        (#"{"model":"x","model":"m","messages":[]}"#, false),
        (#"{"model":null,"model":"m","messages":[]}"#, false),
    ])
    func theModelIsVerbatimOnlyWhenNamedOnceWithoutEscapes(_ body: String, _ verbatim: Bool) throws {
        let facts = try #require(RequestFacts.scan(Array(body.utf8), dialect: .openai))
        #expect(facts.model == "m" || facts.model == "m(high)")
        #expect(facts.modelIsVerbatim == verbatim)
        #expect(facts.bodyFits(model: facts.model) == verbatim)
        #expect(!facts.bodyFits(model: "another-model"))
        #expect(RequestFacts(try Translator.decodeRequest(Array(body.utf8), from: .openai)).modelIsVerbatim == false)
    }

    /// Fields and part types Switchyard does not know do not stop the scan: such a body goes
    /// to a provider of its own format untouched.
    @Test func unknownPartTypesAndFieldsAreNoObstacle() throws {
        let openai = #"{"model":"m","modalities":["audio"],"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}},{"type":"text","text":"transcribe"}]}]}"#
        #expect(RequestFacts.scan(Array(openai.utf8), dialect: .openai)?.firstUserText == "transcribe")
        #expect(throws: TranslationError.self) { try Translator.decodeRequest(Array(openai.utf8), from: .openai) }
        let anthropic = #"{"model":"m","max_tokens":9,"messages":[{"role":"user","content":[{"type":"search_result","source":"s","title":"t","content":[]},{"type":"text","text":"q"}]}]}"#
        #expect(RequestFacts.scan(Array(anthropic.utf8), dialect: .anthropic)?.firstUserText == "q")
    }

    /// Shapes the scan does not vouch for: nil, so the caller decodes and reports the decoder's error.
    static let unshaped: [(Dialect, String)] = [
        (.openai, "not json"),
        (.openai, "[1,2]"),
        (.openai, #"{"messages":[]}"#),
        (.openai, #"{"model":7,"messages":[]}"#),
        (.openai, #"{"model":"m"}"#),
        (.openai, #"{"model":"m","messages":null}"#),
        (.openai, #"{"model":"m","messages":{"role":"user"}}"#),
        (.openai, #"{"model":"m","messages":["hi"]}"#),
        (.openai, #"{"model":"m","messages":[{"content":"no role"}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"narrator","content":"x"}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"user","content":42}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}"#),
        (.openai, #"{"model":"m","messages":[{"role":"user","content":["text"]}]}"#),
        (.openai, #"{"model":"m","stream":"yes","messages":[]}"#),
        (.openai, #"{"model":"m","stream_options":true,"messages":[]}"#),
        (.openai, #"{"model":"m","user":{"id":1},"messages":[]}"#),
        (.openai, #"{"model":"m","messages":[]} trailing"#),
        (.anthropic, #"{"model":"m","messages":[{"role":"system","content":"x"}]}"#),
        (.anthropic, #"{"model":"m","messages":[{"role":"user"}]}"#),
        (.anthropic, #"{"model":"m","metadata":"u","messages":[]}"#),
        (.anthropic, #"{"model":"m","system":5,"messages":[]}"#),
        (.gemini, #"{}"#),
        (.gemini, #"{"contents":{}}"#),
        (.gemini, #"{"contents":[{"role":"system","parts":[]}]}"#),
        (.gemini, #"{"contents":[{"role":7,"parts":[]}]}"#),
        (.gemini, #"{"contents":["hi"]}"#),
        (.gemini, #"{"contents":[{"parts":"hi"}]}"#),
        (.gemini, #"{"contents":[{"parts":[{"text":1}]}]}"#),
        (.gemini, #"{"contents":[{"parts":[{"text":"t","thought":"yes"}]}]}"#),
        (.gemini, #"{"contents":[],"systemInstruction":"be brief"}"#),
    ]

    @Test(arguments: unshaped)
    func unshapedBodiesAreLeftToTheDecoder(_ testCase: (Dialect, String)) {
        #expect(RequestFacts.scan(Array(testCase.1.utf8), dialect: testCase.0, pathModel: "m") == nil)
    }

    @Test func aGeminiBodyWithoutItsPathModelIsLeftToTheDecoder() {
        #expect(RequestFacts.scan(Array(#"{"contents":[]}"#.utf8), dialect: .gemini) == nil)
    }
}
