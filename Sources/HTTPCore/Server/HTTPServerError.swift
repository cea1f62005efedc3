/// An error the server answers itself, before or instead of a handler: framing, limits,
/// timeouts. An application renders it in its own format through the server's error renderer.
public struct HTTPServerError: Error, Equatable, Sendable {
    public let status: Int
    public let message: String
    private let specificCode: String?

    public init(status: Int, message: String, code: String? = nil) {
        self.status = status
        self.message = message
        specificCode = code
    }

    /// The answer to a request still being handled when the drain timeout runs out.
    public static let shuttingDown = HTTPServerError(status: 503, message: "server shutting down", code: "server_shutting_down")

    /// A stable machine-readable code: the one given, else the status's.
    public var code: String {
        if let specificCode { return specificCode }
        return switch status {
        case 400: "bad_request"
        case 408: "request_timeout"
        case 413: "request_too_large"
        case 414: "uri_too_long"
        case 417: "expectation_failed"
        case 431: "headers_too_large"
        case 501: "not_implemented"
        case 503: "overloaded"
        case 505: "http_version_not_supported"
        default: "error"
        }
    }
}

/// The server's own body for an `HTTPServerError`, when no application format applies.
enum ServerErrorBody {
    static func json(_ error: HTTPServerError) -> [UInt8] {
        let escaped = error.message.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : String($0) }.joined()
        return Array(#"{"error":{"code":"\#(error.code)","message":"\#(escaped)","type":"invalid_request_error"}}"#.utf8)
    }
}
