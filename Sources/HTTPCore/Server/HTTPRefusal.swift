/// A request the server answered itself, never handing it to the application: a framing error
/// (400), a head or body over the limits (431, 413), a client too slow (408), or a connection past
/// the limit (503). Reported so that such requests are counted and logged, not invisible.
public struct HTTPRefusal: Sendable, Equatable {
    public let status: Int
    public let reason: String
    /// The request's method and path (never its query, which may carry a key), when its request
    /// line could be read.
    public let method: String?
    public let path: String?
    public let requestID: String?
    public let remoteAddress: String?

    /// The longest path reported: a refused request's target is whatever the client sent.
    static let maxPathLength = 256

    init(status: Int, reason: String, requestLine: (method: String, target: String)?, requestID: String?, remoteAddress: String?) {
        self.status = status
        self.reason = reason
        method = requestLine?.method
        path = requestLine.map { String($0.target.prefix { $0 != "?" }.prefix(Self.maxPathLength)) }
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
}
