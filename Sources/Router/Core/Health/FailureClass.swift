/// What one failed upstream attempt means for routing; classified once from the response and
/// passed along (SPEC §6 outcome table).
public enum FailureClass: String, Sendable, Equatable, CaseIterable {
    /// 429: cool the model (or the credential with `quota_scope: credential`).
    case quota
    /// 401: cool the credential for `unauthorized_seconds`.
    case unauthorized
    /// 402 or 403: cool the credential for `payment_seconds`.
    case payment
    /// 404: cool the model for `not_found_seconds`.
    case modelNotFound = "not_found"
    /// 400/422 saying the model is not supported: cool the model for `model_unsupported_seconds`.
    case modelUnsupported = "model_unsupported"
    /// 408, 5xx, 529, connect error, timeout, reset or empty stream: cool the model for `transient_seconds`.
    case transient
    /// 400 `invalid_request_error`, other 422 and other 4xx: no state change, answer the client at once.
    case invalidRequest = "invalid_request"

    /// The cooldown reason this class records, or nil when it changes no state.
    public var cooldownReason: CooldownReason? {
        switch self {
        case .quota: return .quota
        case .unauthorized: return .unauthorized
        case .payment: return .payment
        case .modelNotFound: return .notFound
        case .modelUnsupported: return .modelUnsupported
        case .transient: return .transient
        case .invalidRequest: return nil
        }
    }

    /// True when the cooldown covers the whole credential whatever the provider's quota scope.
    public var isCredentialWide: Bool { self == .unauthorized || self == .payment }

    /// Whether the attempt loop tries the next candidate after this failure.
    public func failsOver(serverErrors: Bool) -> Bool {
        switch self {
        case .invalidRequest: return false
        case .transient: return serverErrors
        default: return true
        }
    }
}

/// Why a (credential, model) or a whole credential is cooling; the raw values are the Store's
/// `ModelHealthRecord.reason` strings.
public enum CooldownReason: String, Sendable, Equatable, CaseIterable {
    /// 429: the model (or, with `quota_scope: credential`, the credential) is rate-limited.
    case quota
    /// 401: the credential's key or token was rejected.
    case unauthorized
    /// 402/403: billing or permission problem of the credential.
    case payment
    /// 404: the upstream does not know the model.
    case notFound = "not_found"
    /// 400/422 saying the model is not supported.
    case modelUnsupported = "model_unsupported"
    /// 408, 5xx, 529, connect error, timeout, reset or empty stream.
    case transient

    /// Short cooldowns of these kinds may be escaped by a session without losing its binding.
    public var allowsSoftEscape: Bool { self == .quota || self == .transient }
}

/// How a connection to an upstream failed before or instead of an HTTP status.
public enum TransportErrorKind: String, Sendable, Equatable, CaseIterable {
    /// DNS, refused, TLS or address-policy failure before the request was sent.
    case connect
    /// A connect, first-byte, idle or total timeout.
    case timeout
    /// The connection was reset or closed before the first payload.
    case reset
    /// The stream ended without producing a payload.
    case emptyStream = "empty_stream"
}
