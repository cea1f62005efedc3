import HTTPCore
import JSON
import Synchronization
import Translators

/// A client's model request as read at the edge: its dialect, what it asks for, and the
/// original bytes for same-format passthrough. The canonical request is decoded only when an
/// attempt needs it (translation, a token estimate): a request passed through to a provider of
/// its own format is never decoded, so fields Switchyard does not know pass untouched (SPEC §3).
/// A class: every attempt's closure captures it, and a reference is one retain.
final class GatewayCall: Sendable {
    let dialect: Dialect
    let operation: UpstreamOperation
    /// The body as received, replayed byte-identical on every same-format attempt.
    let rawBody: [UInt8]
    /// The model as named, streaming and the session hints.
    let facts: RequestFacts
    /// `X-Switchyard-Translation: strict`: refuse instead of dropping features.
    let strict: Bool
    let clientHeaders: HTTPHeaders
    /// Gemini streams: SSE with `alt=sse`, else a streamed JSON array.
    let geminiFraming: GeminiStreamEncoder.Framing
    /// The requested model without its reasoning suffix, named in translated answers.
    let baseModel: String
    private let hasReasoningSuffix: Bool
    /// A body with another provider's state from an earlier turn (thinking Gemini or OpenAI
    /// signed, a Gemini signature in a tool call id): the client's own provider refuses it, so it
    /// is translated (which drops or strips that state), never passed on as it is.
    private let carriesForeignState: Bool
    private let pathModel: String?
    private let canonical: Mutex<Result<ChatRequest, GatewayFailure>?>

    private init(dialect: Dialect, operation: UpstreamOperation, rawBody: [UInt8], facts: RequestFacts,
                 decoded: ChatRequest?, pathModel: String?, strict: Bool, clientHeaders: HTTPHeaders,
                 geminiFraming: GeminiStreamEncoder.Framing) {
        self.dialect = dialect
        self.operation = operation
        self.rawBody = rawBody
        self.facts = facts
        self.pathModel = pathModel
        self.strict = strict
        self.clientHeaders = clientHeaders
        self.geminiFraming = geminiFraming
        let (base, reasoning) = ModelSuffix.split(facts.model)
        baseModel = base
        hasReasoningSuffix = reasoning != nil
        carriesForeignState = ProviderState.carriesForeignState(rawBody, client: dialect)
        canonical = Mutex(decoded.map { .success($0) })
    }

    /// The model exactly as the client named it (suffix included).
    var requestedModel: String { facts.model }

    var isStream: Bool { operation == .generate(stream: true) }

    /// The canonical request (its `model` without the reasoning suffix), decoded on first use;
    /// a body the decoder refuses fails the attempt that needed it with the decoder's error.
    func request() throws(GatewayFailure) -> ChatRequest {
        try canonical.withLock { cached in
            if let cached { return cached }
            let decoded = Result { () throws(GatewayFailure) -> ChatRequest in
                try Self.decodeCanonical(rawBody, dialect: dialect, countTokens: operation == .countTokens,
                                         pathModel: pathModel, geminiStream: isStream)
            }
            cached = decoded
            return decoded
        }.get()
    }

    /// Whether the body can go upstream unchanged but for its model: same format, no model
    /// suffix whose reasoning setting must be written into the body, no other provider's state.
    func canPassThrough(to upstream: Dialect) -> Bool {
        upstream == dialect && !hasReasoningSuffix && !carriesForeignState
    }

    /// An OpenAI stream passed through without usage: Switchyard asks for the usage chunk (for its
    /// records) and strips it from what the client sees.
    func addsUsageRequest(for upstream: Dialect) -> Bool {
        canPassThrough(to: upstream) && upstream == .openai && isStream && !facts.includeUsageInStream
    }

    /// Whether the upstream body asks for a stream's usage chunk on Switchyard's own account (not
    /// the client's), which a server that refuses the field can be asked again without.
    func asksForUsageItself(of upstream: Dialect) -> Bool {
        upstream == .openai && isStream && !(dialect == .openai && facts.includeUsageInStream)
    }

    /// Reads a generate or count-tokens request. `pathModel` is Gemini's model from the URL.
    /// Generate bodies are scanned for their facts; count-tokens bodies (and any body the scan
    /// does not vouch for) are decoded at once, so malformed input is refused here.
    static func decode(_ http: HTTPRequest, dialect: Dialect, countTokens: Bool, pathModel: String?,
                       geminiStream: Bool) throws(GatewayFailure) -> GatewayCall {
        let facts: RequestFacts
        var decoded: ChatRequest?
        if !countTokens, let scanned = RequestFacts.scan(http.body, dialect: dialect, pathModel: pathModel, stream: geminiStream) {
            facts = scanned
        } else {
            let request = try decodeCanonical(http.body, dialect: dialect, countTokens: countTokens, pathModel: pathModel,
                                              geminiStream: geminiStream)
            facts = RequestFacts(request)
            decoded = request
        }
        guard !facts.model.isEmpty else { throw .translation(.malformed(path: "model", message: "is required")) }
        let operation: UpstreamOperation = countTokens ? .countTokens : .generate(stream: facts.stream)
        let strict = http.headers["x-switchyard-translation"]?.lowercased() == "strict"
        let framing: GeminiStreamEncoder.Framing = http.queryItem("alt") == "sse" ? .sse : .jsonArray
        return GatewayCall(dialect: dialect, operation: operation, rawBody: http.body, facts: facts, decoded: decoded,
                           pathModel: pathModel, strict: strict, clientHeaders: http.headers, geminiFraming: framing)
    }

    private static func decodeCanonical(_ body: [UInt8], dialect: Dialect, countTokens: Bool, pathModel: String?,
                                        geminiStream: Bool) throws(GatewayFailure) -> ChatRequest {
        do {
            if countTokens {
                return try Translator.decodeCountTokensRequest(body, from: dialect, model: pathModel ?? "")
            }
            return try Translator.decodeRequest(body, from: dialect, model: pathModel ?? "", stream: geminiStream)
        } catch let error as TranslationError {
            throw .translation(error)
        } catch {
            throw .translation(.malformed(path: "", message: "unreadable request body"))
        }
    }

    /// The body with `stream_options.include_usage: true` (other members and their order kept):
    /// spliced in when the body has no `stream_options`, else the object is rebuilt.
    private static func requestingUsage(_ body: [UInt8]) throws -> [UInt8] {
        if let spliced = try JSONScan.addingTopLevelMember(to: body, key: "stream_options",
                                                           encodedValue: Array(#"{"include_usage":true}"#.utf8)) {
            return spliced
        }
        guard case .object(var root) = try JSONValue.parse(body) else { return body }
        var options: JSONObject = if case .object(let existing)? = root["stream_options"] { existing } else { JSONObject() }
        options["include_usage"] = .bool(true)
        root["stream_options"] = .object(options)
        return JSONValue.object(root).serialized()
    }

    /// The upstream body for a provider of `upstream` dialect calling `model`; `streamUsage`:
    /// whether an OpenAI stream's usage chunk is asked for when the client did not ask.
    func upstreamBody(for upstream: Dialect, model: String, streamUsage: Bool = true) throws(GatewayFailure) -> EncodedBody {
        do {
            if canPassThrough(to: upstream) {
                // A body the scan validated that fits the model as it is goes without a second walk.
                let body = facts.bodyFits(model: model) ? rawBody : try Translator.passthrough(rawBody, dialect: upstream, model: model)
                return EncodedBody(body: streamUsage && addsUsageRequest(for: upstream) ? try Self.requestingUsage(body) : body)
            }
            let options = TranslationOptions(strict: strict, streamUsage: streamUsage)
            if operation == .countTokens {
                // OpenAI has no token-count endpoint: nil here means "estimate locally".
                return try Translator.encodeCountTokensRequest(request(), to: upstream, model: model, options: options)
                    ?? EncodedBody(body: [])
            }
            var upstreamRequest = try request()
            upstreamRequest.stream = isStream
            if upstream != dialect { upstreamRequest.limitToOneChoice() }
            return try Translator.encodeRequest(upstreamRequest, to: upstream, model: model, options: options)
        } catch let error as TranslationError {
            throw .translation(error)
        } catch let error as GatewayFailure {
            throw error
        } catch {
            throw .translation(.malformed(path: "", message: "request could not be translated"))
        }
    }
}
