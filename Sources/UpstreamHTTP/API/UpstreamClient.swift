/// A streaming HTTP client for provider APIs: libcurl's multi interface on one dedicated thread.
///
/// Connections are reused across requests to the same host. `send` returns when the status line
/// and headers arrived; the body then streams with bounded buffering. Dropping the client fails
/// its remaining transfers with `.shutdown`.
public final class UpstreamClient: Sendable {
    /// Client-wide settings, fixed at creation.
    public struct Configuration: Sendable {
        /// Idle connections kept for reuse (`CURLMOPT_MAXCONNECTS`).
        public var maxIdleConnections: Int
        /// Body bytes buffered per transfer before curl is paused until the reader catches up.
        public var bufferCapacity: Int
        /// A CA bundle file to verify servers with instead of the system one.
        public var caBundlePath: String?

        public init(maxIdleConnections: Int = 64, bufferCapacity: Int = 256 << 10, caBundlePath: String? = nil) {
            self.maxIdleConnections = maxIdleConnections
            self.bufferCapacity = bufferCapacity
            self.caBundlePath = caBundlePath
        }
    }

    private let loop: CurlLoop

    /// Starts the curl thread.
    public init(configuration: Configuration = Configuration()) throws(UpstreamError) {
        loop = try CurlLoop(configuration: configuration)
    }

    deinit {
        loop.submit(.shutdown)
    }

    /// Sends `request` and returns once the final status line and headers arrived.
    ///
    /// Throws before the head for refused hosts or addresses, connect and first-byte timeouts,
    /// transport errors and cancellation of the calling task. Failures after the head (idle or
    /// total timeout, reset, oversize body, cancellation) are thrown by the body sequence.
    public func send(_ request: UpstreamRequest) async throws(UpstreamError) -> UpstreamResponse {
        try request.validate()
        if Task.isCancelled { throw .cancelled }
        let transfer = Transfer(loop: loop, bufferCapacity: loop.configuration.bufferCapacity)
        let owner = TransferOwner(transfer)
        let head = try await transfer.start(request).get()
        return UpstreamResponse(head: head, body: UpstreamBody(owner: owner))
    }
}
