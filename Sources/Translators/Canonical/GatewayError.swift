/// A canonical error that every dialect can render (and upstream error bodies decode to).
public struct GatewayError: Error, Sendable, Equatable {
    public var kind: ErrorKind
    /// HTTP status to answer with.
    public var status: Int
    public var message: String
    /// Machine code (OpenAI `code`, e.g. `model_not_found`).
    public var code: String?
    /// Seconds until a retry may succeed (429), rounded up.
    public var retryAfterSeconds: Int?

    public init(kind: ErrorKind, message: String, status: Int? = nil, code: String? = nil, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.status = status ?? kind.defaultStatus
        self.message = message
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }
}

extension GatewayError {
    /// The error sent when an upstream stream closes before its finish reason.
    public static let truncatedStream = GatewayError(kind: .api, message: "the upstream stream ended before the response was complete",
                                                     status: 502, code: "upstream_stream_truncated")
}

/// The class of an error, independent of dialect.
public enum ErrorKind: String, Sendable, Hashable, CaseIterable {
    case invalidRequest
    case authentication
    case permission
    case notFound
    case requestTooLarge
    /// Strict mode refused to drop a feature (422).
    case unprocessable
    case rateLimited
    case timeout
    case overloaded
    case unavailable
    case api

    /// The usual HTTP status for the kind.
    public var defaultStatus: Int {
        switch self {
        case .invalidRequest: 400
        case .authentication: 401
        case .permission: 403
        case .notFound: 404
        case .requestTooLarge: 413
        case .unprocessable: 422
        case .rateLimited: 429
        case .timeout: 504
        case .overloaded: 529
        case .unavailable: 503
        case .api: 500
        }
    }

    /// The kind an HTTP status implies.
    public init(status: Int) {
        switch status {
        case 400: self = .invalidRequest
        case 401: self = .authentication
        case 402, 403: self = .permission
        case 404: self = .notFound
        case 408, 504: self = .timeout
        case 413: self = .requestTooLarge
        case 422: self = .unprocessable
        case 429: self = .rateLimited
        case 503: self = .unavailable
        case 529: self = .overloaded
        default: self = status >= 400 && status < 500 ? .invalidRequest : .api
        }
    }
}
