import HTTPCore
import Translators

/// Every way a gateway request can fail before or instead of an upstream answer; rendered in the
/// client's own dialect in one place (`GatewayErrorRenderer`).
enum GatewayFailure: Error, Sendable {
    /// No client key, or an unknown or disabled one.
    case unauthenticated
    /// The client key's allow-list does not include the model.
    case modelNotAllowed(String)
    /// No route, prefix, provider or alias serves the model.
    case modelNotFound(String)
    /// The request body could not be read or translated (400, or 422 in strict mode).
    case translation(TranslationError)
    /// Every candidate is cooling down; the soonest recovers in `retryAfterSeconds`.
    case allCooling(model: String, retryAfterSeconds: Int, reason: String)
    /// Every candidate rejected its credentials.
    case allUnauthorized(model: String)
    /// No enabled provider or credential serves the model.
    case noneEnabled(model: String)
    /// Candidates failed with transient errors and none is left to try.
    case upstreamUnavailable(String)
    /// The upstream's own error, returned to the client as is (e.g. 400 invalid request).
    case upstream(GatewayError)
    /// The client went away first; nobody reads the answer, but the records say what happened.
    case clientClosedRequest

    /// The canonical error this failure is answered with.
    var gatewayError: GatewayError {
        switch self {
        case .unauthenticated:
            GatewayError(kind: .authentication, message: "invalid or missing API key", code: "invalid_api_key")
        case .modelNotAllowed(let model):
            GatewayError(kind: .permission, message: "this API key may not use model '\(model)'", code: "model_not_allowed")
        case .modelNotFound(let model):
            GatewayError(kind: .notFound, message: "model '\(model)' is not served here", code: "model_not_found")
        case .translation(let error):
            error.gatewayError
        case .allCooling(let model, let seconds, let reason):
            GatewayError(kind: .rateLimited, message: "every credential for model '\(model)' is cooling down (\(reason)); retry in \(seconds) s",
                         code: "all_credentials_cooling", retryAfterSeconds: seconds)
        case .allUnauthorized(let model):
            GatewayError(kind: .api, message: "every upstream credential for model '\(model)' was rejected", status: 502,
                         code: "upstream_authentication_failed")
        case .noneEnabled(let model):
            GatewayError(kind: .unavailable, message: "no enabled provider or credential serves model '\(model)'",
                         code: "no_enabled_credential")
        case .upstreamUnavailable(let message):
            GatewayError(kind: .api, message: message, status: 502, code: "upstream_unavailable")
        case .upstream(let error):
            error
        case .clientClosedRequest:
            GatewayError(kind: .invalidRequest, message: "the client closed the request", status: 499, code: "client_closed_request")
        }
    }
}

/// Renders any error raised while serving the gateway in the dialect of the endpoint called.
enum GatewayErrorRenderer {
    static func render(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        let isModelList = request.method == "GET" && request.path.hasPrefix("/v1/models")
        return response(canonical(error), dialect: isModelList ? listingDialect(request) : dialect(ofPath: request.path))
    }

    /// The canonical error any thrown error is answered with.
    static func canonical(_ error: any Error) -> GatewayError {
        switch error {
        case let failure as GatewayFailure: failure.gatewayError
        case let translation as TranslationError: translation.gatewayError
        case let server as HTTPServerError:
            GatewayError(kind: ErrorKind(status: server.status), message: server.message, status: server.status, code: server.code)
        case let routing as HTTPRouteError:
            GatewayError(kind: ErrorKind(status: routing.status), message: routing.message, status: routing.status,
                         code: routing.status == 404 ? "not_found" : "method_not_allowed")
        default:
            GatewayError(kind: .api, message: "internal error", status: 500, code: "internal_error")
        }
    }

    /// An error response with `Retry-After` (whole seconds, rounded up) on 429, and the challenge
    /// RFC 9110 §15.5.2 requires on 401 (the gateway's own: upstream 401s become 502).
    static func response(_ error: GatewayError, dialect: Dialect) -> HTTPResponse {
        var headers = HTTPHeaders()
        // Every 429 says when to come back, also an upstream's passed on without a usable hint.
        if let seconds = error.retryAfterSeconds ?? (error.status == 429 ? 1 : nil) { headers.add("Retry-After", String(max(1, seconds))) }
        if error.status == 401 { headers.add("WWW-Authenticate", #"Bearer realm="switchyard""#) }
        var shown = error
        shown.status = status(error, dialect: dialect)  // the body's code (Gemini's) says the same
        return .json(shown.status, Translator.errorBody(shown, for: dialect), headers: headers)
    }

    /// The status a client of `dialect` gets for `error` (and its usage record says).
    static func status(_ error: GatewayError, dialect: Dialect) -> Int {
        // 529 (overloaded) is Anthropic's own status: other formats know it as 503.
        error.status == 529 && dialect != .anthropic ? 503 : error.status
    }

    /// Which client format an endpoint speaks.
    static func dialect(ofPath path: String) -> Dialect {
        if path.hasPrefix("/v1beta/") { return .gemini }
        if path.hasPrefix("/v1/messages") { return .anthropic }
        if path.hasPrefix("/v1/models/"), path.contains(":") || path.contains("%3A") || path.contains("%3a") { return .gemini }
        return .openai
    }

    /// `/v1/models` is shared by three SDKs: each is recognised by the headers it always sends.
    static func listingDialect(_ request: HTTPRequest) -> Dialect {
        if request.headers["x-goog-api-key"] != nil || request.queryItem("key") != nil { return .gemini }
        if request.headers["anthropic-version"] != nil { return .anthropic }
        return .openai
    }
}
