/// A response: status, headers, and either a complete body or a stream producer.
public struct HTTPResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// A complete body sent with `Content-Length`.
        case bytes([UInt8])
        /// A body produced incrementally (chunked on HTTP/1.1); each write is sent at once.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body
    /// Bookkeeping to run once a complete body has been handed to the socket (or the client is
    /// gone): off the path between the upstream's answer and the client's.
    public var afterSending: (@Sendable () -> Void)?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already-encoded bytes.
    public static func json(_ status: Int, _ bytes: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var all = headers
        all.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: all, body: .bytes(bytes))
    }
}

/// The client went away (or the connection was aborted) while a response was being written.
public struct ClientDisconnected: Error, Sendable {
    public init() {}
}
