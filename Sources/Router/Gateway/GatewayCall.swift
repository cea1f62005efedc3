import HTTPCore
import JSON
import Translators

/// A client's model request, decoded once at the edge: its dialect, what it asks for, the
/// canonical request, and the original bytes for same-format passthrough. A class: every
/// attempt's closure captures it, and a reference is one retain where the struct was dozens.
final class GatewayCall: Sendable {
    let dialect: Dialect
    let operation: UpstreamOperation
    /// The body as received, replayed byte-identical on every same-format attempt.
    let rawBody: [UInt8]
    /// The canonical request; `model` has any reasoning suffix stripped.
    let request: ChatRequest
    /// The model exactly as the client named it (suffix included).
    let requestedModel: String
    /// `X-Switchyard-Translation: strict`: refuse instead of dropping features.
    let strict: Bool
    let clientHeaders: HTTPHeaders
    /// Gemini streams: SSE with `alt=sse`, else a streamed JSON array.
    let geminiFraming: GeminiStreamEncoder.Framing

    init(dialect: Dialect, operation: UpstreamOperation, rawBody: [UInt8], request: ChatRequest, requestedModel: String,
         strict: Bool, clientHeaders: HTTPHeaders, geminiFraming: GeminiStreamEncoder.Framing) {
        self.dialect = dialect
        self.operation = operation
        self.rawBody = rawBody
        self.request = request
        self.requestedModel = requestedModel
        self.strict = strict
        self.clientHeaders = clientHeaders
        self.geminiFraming = geminiFraming
    }

    var isStream: Bool { operation == .generate(stream: true) }

    /// Whether the body can go upstream unchanged but for its model: same format, and no model
    /// suffix whose reasoning setting must be written into the body.
    func canPassThrough(to upstream: Dialect) -> Bool {
        upstream == dialect && request.model == requestedModel
    }

    /// An OpenAI stream passed through without usage: Switchyard asks for the usage chunk (for its
    /// records) and strips it from what the client sees.
    func addsUsageRequest(for upstream: Dialect) -> Bool {
        canPassThrough(to: upstream) && upstream == .openai && isStream && !request.includeUsageInStream
    }

    /// Decodes a generate or count-tokens request. `pathModel` is Gemini's model from the URL.
    static func decode(_ http: HTTPRequest, dialect: Dialect, countTokens: Bool, pathModel: String?,
                       geminiStream: Bool) throws(GatewayFailure) -> GatewayCall {
        var request: ChatRequest
        do {
            if countTokens {
                request = try Translator.decodeCountTokensRequest(http.body, from: dialect, model: pathModel ?? "")
            } else {
                request = try Translator.decodeRequest(http.body, from: dialect, model: pathModel ?? "", stream: geminiStream)
            }
        } catch let error as TranslationError {
            throw .translation(error)
        } catch {
            throw .translation(.malformed(path: "", message: "unreadable request body"))
        }
        if let pathModel { request.model = pathModel }
        guard !request.model.isEmpty else { throw .translation(.malformed(path: "model", message: "is required")) }
        let requestedModel = request.model
        request.applyModelSuffix()
        let operation: UpstreamOperation = countTokens ? .countTokens : .generate(stream: request.stream)
        let strict = http.headers["x-switchyard-translation"]?.lowercased() == "strict"
        let framing: GeminiStreamEncoder.Framing = http.queryItem("alt") == "sse" ? .sse : .jsonArray
        return GatewayCall(dialect: dialect, operation: operation, rawBody: http.body, request: request,
                           requestedModel: requestedModel, strict: strict, clientHeaders: http.headers, geminiFraming: framing)
    }

    /// The body with `stream_options.include_usage: true` (other members and their order kept).
    private static func requestingUsage(_ body: [UInt8]) throws -> [UInt8] {
        guard case .object(var root) = try JSONValue.parse(body) else { return body }
        var options: JSONObject = if case .object(let existing)? = root["stream_options"] { existing } else { JSONObject() }
        options["include_usage"] = .bool(true)
        root["stream_options"] = .object(options)
        return JSONValue.object(root).serialized()
    }

    /// The upstream body for a provider of `upstream` dialect calling `model`.
    func upstreamBody(for upstream: Dialect, model: String) throws(GatewayFailure) -> EncodedBody {
        do {
            if canPassThrough(to: upstream) {
                let body = try Translator.passthrough(rawBody, dialect: upstream, model: model)
                return EncodedBody(body: addsUsageRequest(for: upstream) ? try Self.requestingUsage(body) : body)
            }
            let options = TranslationOptions(strict: strict)
            if operation == .countTokens {
                // OpenAI has no token-count endpoint: nil here means "estimate locally".
                return try Translator.encodeCountTokensRequest(request, to: upstream, model: model, options: options)
                    ?? EncodedBody(body: [])
            }
            var upstreamRequest = request
            upstreamRequest.stream = isStream
            return try Translator.encodeRequest(upstreamRequest, to: upstream, model: model, options: options)
        } catch let error as TranslationError {
            throw .translation(error)
        } catch {
            throw .translation(.malformed(path: "", message: "request could not be translated"))
        }
    }
}
