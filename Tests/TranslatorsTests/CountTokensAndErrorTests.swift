import Testing
@testable import Translators

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
        (.openai, 404, "{\"error\":{\"message\":\"The model `x` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}", .notFound, "The model `x` does not exist"),
        // The status decides over a type that contradicts it (Ollama's 404 `api_error`).
        (.openai, 404, "{\"error\":{\"message\":\"model 'x' not found\",\"type\":\"api_error\"}}", .notFound, "model 'x' not found"),
        (.openai, 500, "{\"error\":{\"message\":\"busy\",\"type\":\"overloaded_error\"}}", .overloaded, "busy"),
        // vLLM's and FastAPI's shapes.
        (.openai, 400, "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"code\":400}", .invalidRequest, "max_tokens is too large"),
        (.openai, 422, "{\"detail\":\"Field required\"}", .unprocessable, "Field required"),
        (.openai, 422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}", .unprocessable,
         "body.messages: Field required"),
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

    /// Without an HTTP status (an error event, an error in a 200 body) a numeric `code`, also as
    /// a string, is the status; else the type decides.
    @Test(arguments: [
        (#"{"error":{"code":400,"message":"bad"}}"#, 400, ErrorKind.invalidRequest),
        (#"{"error":{"code":"429","message":"slow down"}}"#, 429, .rateLimited),
        (#"{"error":{"code":"context_length_exceeded","type":"invalid_request_error","message":"too long"}}"#, 400, .invalidRequest),
    ])
    func errorsWithoutAStatus(_ body: String, _ status: Int, _ kind: ErrorKind) {
        let error = ErrorCodec.decode(Array(body.utf8), status: nil, dialect: .openai)
        #expect(error.status == status)
        #expect(error.kind == kind)
    }
}
