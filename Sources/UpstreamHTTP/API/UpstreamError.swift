/// Why an upstream call failed; each failure the router must tell apart is its own case.
public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request itself is unusable (bad URL, scheme, method or header); nothing was sent.
    case invalidRequest(String)
    /// The host name is a cloud metadata name, refused before resolving.
    case hostRefused(String)
    /// Every resolved address was refused by the address policy; no connection was opened.
    case addressRefused(String)
    /// The host name could not be resolved.
    case dnsFailed(String)
    /// The TCP connection could not be made (refused, unreachable).
    case connectFailed(String)
    /// TLS handshake or certificate verification failed.
    case tls(String)
    /// One of the four timeouts expired.
    case timeout(UpstreamTimeoutKind)
    /// The response body exceeded the request's `maxResponseBytes`.
    case responseTooLarge(limit: Int)
    /// The caller cancelled (task cancellation, `cancel()`, or dropping the response).
    case cancelled
    /// The client was shut down while the transfer was running.
    case shutdown
    /// Any other transport failure (reset, truncated body, protocol error) with curl's code and message.
    case transport(code: Int, message: String)

    public var description: String {
        switch self {
        case .invalidRequest(let why): "invalid upstream request: \(why)"
        case .hostRefused(let host): "upstream host refused by policy: \(host)"
        case .addressRefused(let address): "upstream address refused by policy: \(address)"
        case .dnsFailed(let message): "upstream name resolution failed: \(message)"
        case .connectFailed(let message): "upstream connect failed: \(message)"
        case .tls(let message): "upstream TLS failure: \(message)"
        case .timeout(let kind): "upstream \(kind) timeout"
        case .responseTooLarge(let limit): "upstream response larger than \(limit) bytes"
        case .cancelled: "upstream request cancelled"
        case .shutdown: "upstream client shut down"
        case .transport(let code, let message): "upstream transport error \(code): \(message)"
        }
    }
}

/// Which of the separate upstream timeouts expired.
public enum UpstreamTimeoutKind: String, Sendable, Equatable, CustomStringConvertible {
    /// Resolving and connecting (TCP and TLS) took too long.
    case connect
    /// No response byte arrived within the limit after the request was sent.
    case firstByte
    /// No body byte arrived within the limit since the previous one.
    case idle
    /// The whole exchange exceeded its total duration.
    case total

    public var description: String {
        switch self {
        case .connect: "connect"
        case .firstByte: "first-byte"
        case .idle: "idle"
        case .total: "total"
        }
    }
}
