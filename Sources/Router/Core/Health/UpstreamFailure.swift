/// One failed upstream attempt, classified once: status or transport error, the error type and
/// message from the body, the retry hint, and the resulting `FailureClass`.
public struct UpstreamFailure: Sendable, Equatable {
    /// The HTTP status, nil for transport errors.
    public let status: Int?
    /// The transport failure, nil when an HTTP status arrived.
    public let transport: TransportErrorKind?
    /// The error type from the body (`rate_limit_error`, `invalid_request_error`, `RESOURCE_EXHAUSTED`).
    public let errorType: String?
    /// How long the provider asked to wait, already parsed and clamped (see `RetryHint`).
    public let retryAfterMilliseconds: Int64?
    /// The classification every later decision uses.
    public let failureClass: FailureClass

    /// Classifies an HTTP error response. `message` is inspected only to recognise a 400/422
    /// that means "model not supported" and is not stored.
    public init(status: Int, errorType: String? = nil, message: String? = nil, retryAfterMilliseconds: Int64? = nil) {
        self.status = status
        transport = nil
        self.errorType = errorType
        self.retryAfterMilliseconds = retryAfterMilliseconds
        failureClass = Self.classify(status: status, errorType: errorType, message: message)
    }

    /// Classifies a transport failure (always transient).
    public init(transport: TransportErrorKind) {
        status = nil
        self.transport = transport
        errorType = nil
        retryAfterMilliseconds = nil
        failureClass = .transient
    }

    /// A short, secret-free description for status views and logs (never the upstream message).
    public var summary: String {
        if let transport { return transport.rawValue }
        let status = status.map { "HTTP \($0)" } ?? "error"
        return errorType.map { "\(status) \($0.prefix(64))" } ?? status
    }

    /// The outcome table of SPEC §6.
    static func classify(status: Int, errorType: String?, message: String?) -> FailureClass {
        switch status {
        case 429: return .quota
        case 401: return .unauthorized
        case 402, 403: return .payment
        case 404: return .modelNotFound
        case 400, 422: return saysModelUnsupported(errorType: errorType, message: message) ? .modelUnsupported : .invalidRequest
        case 408, 529: return .transient
        case 500...599: return .transient
        default: return .invalidRequest
        }
    }

    /// Recognises the wording providers use for an unknown or unsupported model.
    static func saysModelUnsupported(errorType: String?, message: String?) -> Bool {
        let type = (errorType ?? "").lowercased()
        if type == "model_not_found" || type == "unsupported_model" || type == "model_not_supported" { return true }
        guard let text = message?.lowercased(), text.contains("model") else { return false }
        let phrases = ["not supported", "unsupported", "does not exist", "not found", "unknown model",
                       "invalid model", "no such model", "is not available", "not available for"]
        return phrases.contains { text.contains($0) }
    }
}
