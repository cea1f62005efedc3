/// The parsed request line and header fields, with the framing decisions derived from them.
public struct RequestHead: Sendable, Equatable {
    /// How the body that follows the head is framed.
    public enum BodyFraming: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    public var method: String
    /// The raw request target (origin form, e.g. `/v1/models?key=x`).
    public var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: HTTPHeaders
    public var framing: BodyFraming
    /// Whether the connection may carry another request after this one.
    public var keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body.
    public var expectsContinue: Bool
}
