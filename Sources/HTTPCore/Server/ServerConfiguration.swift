/// Listen address, limits and timeouts of one HTTP server.
public struct ServerConfiguration: Sendable, Equatable {
    public var listen: ListenAddress
    /// Largest request body accepted; larger ones get 413 before any body byte is read.
    public var maxBodyBytes: Int = 32 * 1024 * 1024
    /// Largest request head (request line and fields) accepted; larger ones get 431.
    public var maxHeaderBytes: Int = 32 * 1024
    public var maxHeaderCount: Int = 100
    /// Time allowed from a request's first byte to the end of its head.
    public var headerTimeout: Double = 10
    /// Time a keep-alive connection may wait for its next request.
    public var idleTimeout: Double = 60
    /// Time allowed without progress while reading a request body.
    public var bodyTimeout: Double = 30
    /// Time allowed without progress while the client does not read a response.
    public var writeTimeout: Double = 30
    /// Connections beyond this are answered 503 and closed at once.
    public var maxConnections: Int = 10_000
    /// A streaming writer suspends while more than this many bytes wait to be sent.
    public var streamHighWater: Int = 64 * 1024
    /// A suspended streaming writer resumes once pending bytes fall to this.
    public var streamLowWater: Int = 16 * 1024

    public init(listen: ListenAddress) {
        self.listen = listen
    }

    var parserLimits: RequestParser.Limits {
        RequestParser.Limits(maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }
}
