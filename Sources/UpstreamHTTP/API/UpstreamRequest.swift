/// One HTTP request to a provider; a value, so the same bytes can be sent again on another attempt.
public struct UpstreamRequest: Sendable {
    /// HTTP method token, e.g. "POST".
    public var method: String
    /// Absolute http or https URL.
    public var url: String
    /// Request headers in order; names must be tokens and values free of CR, LF and NUL.
    /// Framing and hop-by-hop headers (Content-Length, Transfer-Encoding, Connection, Expect…)
    /// are dropped: the client frames the body itself.
    public var headers: [(name: String, value: String)]
    /// Request body bytes (empty for none).
    public var body: [UInt8]
    /// The four separate timeouts.
    public var timeouts: UpstreamTimeouts
    /// Largest accepted response body in bytes.
    public var maxResponseBytes: Int
    /// Which resolved addresses may be connected to.
    public var addressPolicy: AddressPolicy

    public init(method: String = "GET", url: String,
                headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                timeouts: UpstreamTimeouts = UpstreamTimeouts(),
                maxResponseBytes: Int = 64 << 20,
                addressPolicy: AddressPolicy = .publicOnly) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
        self.addressPolicy = addressPolicy
    }
}

/// The separate limits of one upstream exchange (SPEC §9); streams are cut by nothing else.
public struct UpstreamTimeouts: Sendable, Equatable {
    /// Name resolution plus TCP and TLS connect.
    public var connect: Duration
    /// From the connection being ready (new or reused) to the first response byte; includes
    /// sending the request body.
    public var firstByte: Duration
    /// Longest silence between response bytes once the response began (not counted while the consumer is slow).
    public var idle: Duration
    /// Whole exchange, from `send` to the last body byte.
    public var total: Duration

    public init(connect: Duration = .seconds(10), firstByte: Duration = .seconds(120),
                idle: Duration = .seconds(120), total: Duration = .seconds(1800)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to zero and to a few centuries.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds > 10_000_000_000 { return 10_000_000_000 * 1_000_000_000 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// Whole milliseconds, rounded up so that a non-zero duration never becomes zero.
    var roundedUpMilliseconds: Int {
        Int((clampedNanoseconds + 999_999) / 1_000_000)
    }
}
