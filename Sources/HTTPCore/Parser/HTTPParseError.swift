/// Why a request could not be parsed; each case maps to the status the client receives.
public enum HTTPParseError: Error, Equatable, Sendable {
    /// Malformed or ambiguous framing (smuggling forms, bad tokens, bare LF, NUL): 400.
    case badRequest(String)
    /// Header block too large or too many header fields: 431.
    case headerTooLarge(String)
    /// A request line longer than the whole header limit: 414.
    case uriTooLong
    /// Declared or accumulated body larger than the limit: 413.
    case bodyTooLarge
    /// A transfer coding we do not implement: 501.
    case unsupportedTransferEncoding(String)
    /// An HTTP version other than 1.0 or 1.1: 505.
    case unsupportedVersion
    /// An `Expect` value other than `100-continue`: 417.
    case expectationFailed

    /// The response status for this error.
    public var status: Int {
        switch self {
        case .badRequest: 400
        case .headerTooLarge: 431
        case .uriTooLong: 414
        case .bodyTooLarge: 413
        case .unsupportedTransferEncoding: 501
        case .unsupportedVersion: 505
        case .expectationFailed: 417
        }
    }

    /// A short human-readable reason for the response body.
    public var message: String {
        switch self {
        case .badRequest(let why): "bad request: \(why)"
        case .headerTooLarge(let why): "request header fields too large: \(why)"
        case .uriTooLong: "request target too long"
        case .bodyTooLarge: "request body too large"
        case .unsupportedTransferEncoding(let coding): "unsupported transfer coding: \(coding)"
        case .unsupportedVersion: "HTTP version not supported"
        case .expectationFailed: "unsupported Expect value"
        }
    }
}
