/// One problem with a request value, reported in `{"error":{"code","message","field"}}`.
public struct AdminIssue: Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable kind: `required`, `invalid_type`, `invalid_value`, `unknown_field`, …
    public var code: String
    /// Dotted path of the offending field (e.g. `targets[1].provider`); nil for the whole body.
    public var field: String?
    public var message: String

    public init(code: String, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(field ?? "body"): \(message)" }
}

/// Every error an admin handler throws on purpose; rendered in one place (`ErrorRenderer`).
public enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not JSON, or not the JSON shape expected at all (400).
    case malformed(code: String, message: String, field: String?)
    /// The JSON was well formed but some values break the rules; every issue listed (422).
    case invalid([AdminIssue])
    /// No or wrong admin token (401).
    case unauthorized
    /// Too many wrong admin tokens from this address (429).
    case rateLimited(retryAfterSeconds: Int)
    /// `If-Match` does not name the current configuration (412).
    case preconditionFailed(currentETag: String)
    /// A runtime view was asked for but no live router is attached (503 `runtime_unavailable`).
    case runtimeUnavailable
    /// The router would refuse the request as the gateway does (`POST /v1/explain`: 404
    /// `model_not_found`, 403 `model_not_allowed` or `client_key_disabled`).
    case routing(status: Int, code: String, message: String, field: String?)

    public var description: String {
        switch self {
        case .malformed(_, let message, _): return message
        case .invalid(let issues): return issues.map(\.description).joined(separator: "; ")
        case .unauthorized: return "unauthorized"
        case .rateLimited(let seconds): return "rate limited for \(seconds) s"
        case .preconditionFailed(let etag): return "precondition failed; current ETag \(etag)"
        case .runtimeUnavailable: return "runtime unavailable"
        case .routing(_, _, let message, _): return message
        }
    }

    /// A 400 for a body that is not valid JSON.
    static func malformedJSON(_ message: String) -> AdminError {
        .malformed(code: "invalid_json", message: message, field: nil)
    }

    /// A 422 with one issue.
    static func invalid(_ field: String?, _ message: String, code: String = "invalid_value") -> AdminError {
        .invalid([AdminIssue(code: code, field: field, message: message)])
    }
}
