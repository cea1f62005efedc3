/// The hub: one entry point per operation, each a single `switch` over the dialect's codec.
public enum Translator {
    /// Decodes a client's request body. Gemini takes `model` from the URL path and `stream`
    /// from the endpoint; the others read both from the body.
    public static func decodeRequest(_ body: [UInt8], from dialect: Dialect, model: String = "", stream: Bool = false) throws -> ChatRequest {
        switch dialect {
        case .openai: try OpenAIRequestDecoder.decode(body)
        case .anthropic: try AnthropicRequestDecoder.decode(body)
        case .gemini: try GeminiRequestDecoder.decode(body, model: model, stream: stream)
        }
    }

    /// Encodes the canonical request for an upstream of `dialect`, calling the model `model`
    /// (for Gemini the model and streaming go in the URL, not the body).
    public static func encodeRequest(_ request: ChatRequest, to dialect: Dialect, model: String,
                                     options: TranslationOptions = .init()) throws -> EncodedBody {
        switch dialect {
        case .openai: try OpenAIRequestEncoder.encode(request, model: model, options: options)
        case .anthropic: try AnthropicRequestEncoder.encode(request, model: model, options: options)
        case .gemini: try GeminiRequestEncoder.encode(request, options: options)
        }
    }

    /// Same dialect in and out: the body with only the top-level `model` rewritten, every other
    /// byte intact. Gemini bodies carry no model and are returned unchanged (after validation).
    public static func passthrough(_ body: [UInt8], dialect: Dialect, model: String) throws -> [UInt8] {
        do {
            switch dialect {
            case .openai, .anthropic: return try JSONScan.rewriteTopLevelString(in: body, key: "model", to: model)
            case .gemini:
                _ = try JSONScan.topLevelValue(in: body, key: "contents")
                return body
            }
        } catch {
            throw TranslationError.invalidJSON(error)
        }
    }

    /// Decodes a token-count request (Anthropic count_tokens, Gemini countTokens; an OpenAI
    /// chat body is accepted too).
    public static func decodeCountTokensRequest(_ body: [UInt8], from dialect: Dialect, model: String = "") throws -> ChatRequest {
        switch dialect {
        case .openai: try OpenAIRequestDecoder.decode(body)
        case .anthropic: try AnthropicRequestDecoder.decode(body, countTokens: true)
        case .gemini: try GeminiRequestDecoder.decodeCountTokens(body, model: model)
        }
    }

    /// Encodes a token-count request for an upstream; `nil` for OpenAI, which has no such
    /// endpoint: answer with `TokenEstimator.estimate(_:)` instead.
    public static func encodeCountTokensRequest(_ request: ChatRequest, to dialect: Dialect, model: String,
                                                options: TranslationOptions = .init()) throws -> EncodedBody? {
        switch dialect {
        case .openai: nil
        case .anthropic: try AnthropicRequestEncoder.encode(request, model: model, options: options, countTokens: true)
        case .gemini: try GeminiRequestEncoder.encodeCountTokens(request, model: model, options: options)
        }
    }

    /// Reads the input token count from an upstream token-count response.
    public static func decodeCountTokensResponse(_ body: [UInt8], from dialect: Dialect) throws -> Int {
        let root = Reader(try parseBody(body), path: "")
        switch dialect {
        case .anthropic:
            guard let tokens = try root.int("input_tokens") else { throw root.fail("input_tokens", "is required") }
            return tokens
        case .gemini:
            guard let tokens = try root.int("totalTokens") else { throw root.fail("totalTokens", "is required") }
            return tokens
        case .openai:
            guard let tokens = try root.reader("usage")?.int("prompt_tokens") else { throw root.fail("usage.prompt_tokens", "is required") }
            return tokens
        }
    }

    /// A token-count response for a client: Anthropic `{"input_tokens":N}`, Gemini
    /// `{"totalTokens":N}`, OpenAI (no such API) `{"object":"token_count","input_tokens":N}`.
    public static func encodeCountTokensResponse(_ tokens: Int, to dialect: Dialect) -> [UInt8] {
        let count = JSONValue.number(JSONNumber(tokens))
        switch dialect {
        case .anthropic: return JSONValue.object(["input_tokens": count]).serialized()
        case .gemini: return JSONValue.object(["totalTokens": count]).serialized()
        case .openai: return JSONValue.object(["object": "token_count", "input_tokens": count]).serialized()
        }
    }

    /// Decodes an upstream's non-streaming response; `model` and `fallbackID` name and identify
    /// it when the body does not.
    public static func decodeResponse(_ body: [UInt8], from dialect: Dialect, model: String = "",
                                      fallbackID: String = "") throws -> ChatResponse {
        var response = switch dialect {
        case .openai: try OpenAIResponseCodec.decode(body, fallbackID: fallbackID)
        case .anthropic: try AnthropicResponseCodec.decode(body)
        case .gemini: try GeminiResponseCodec.decode(body, model: model, fallbackID: fallbackID)
        }
        if response.id.isEmpty { response.id = fallbackID }
        if response.model.isEmpty { response.model = model }
        return response
    }

    /// Only the token usage of an upstream's non-streaming response (a same-format passthrough
    /// needs nothing else): one top-level scan instead of a full decode. Nil when absent or invalid.
    public static func usage(ofResponse body: [UInt8], from dialect: Dialect) -> Usage? {
        let key = dialect == .gemini ? "usageMetadata" : "usage"
        guard case .object(let object)? = try? JSONScan.topLevelValue(in: body, key: key) else { return nil }
        let reader = Reader(object, path: key)
        switch dialect {
        case .openai: return try? OpenAIResponseCodec.usage(reader)
        case .anthropic: return try? AnthropicResponseCodec.usage(reader)
        case .gemini: return try? GeminiResponseCodec.usage(reader)
        }
    }

    /// Encodes a non-streaming response for a client; `created` is the Unix time OpenAI reports.
    public static func encodeResponse(_ response: ChatResponse, to dialect: Dialect, created: Int) -> [UInt8] {
        switch dialect {
        case .openai: OpenAIResponseCodec.encode(response, created: created)
        case .anthropic: AnthropicResponseCodec.encode(response)
        case .gemini: GeminiResponseCodec.encode(response)
        }
    }

    /// An error body in the client's format.
    public static func errorBody(_ error: GatewayError, for dialect: Dialect) -> [UInt8] {
        ErrorCodec.body(error, dialect: dialect)
    }
}
