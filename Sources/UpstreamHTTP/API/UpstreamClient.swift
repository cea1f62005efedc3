import Dispatch
import Reactor
import Synchronization

/// A streaming HTTP client for provider APIs: libcurl's multi interface driven by event loops.
///
/// Given the server's `EventLoopGroup`, each loop gets its own curl multi handle and a request
/// sent from a task on a loop runs entirely on that loop's thread (no hand-off per request).
/// Connections are reused across requests to the same host. `send` returns when the status
/// line and headers arrived; the body then streams with bounded buffering. Dropping the client
/// fails its remaining transfers with `.shutdown`.
public final class UpstreamClient: Sendable {
    /// Client-wide settings, fixed at creation.
    public struct Configuration: Sendable {
        /// Idle connections kept for reuse, shared out among the event loops
        /// (`CURLMOPT_MAXCONNECTS` of each loop's multi handle).
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

    private let drivers: [CurlDriver]
    /// The group the client started for itself, stopped with it; nil when it shares one.
    private let ownGroup: EventLoopGroup?
    /// Spreads callers that are not on any of the loops.
    private let nextDriver = Atomic<Int>(0)

    /// A client on the loops of `group` (the servers' loops: no thread hop per request).
    public init(configuration: Configuration = Configuration(), loops group: EventLoopGroup) throws(UpstreamError) {
        drivers = try Self.drivers(on: group, configuration)
        ownGroup = nil
    }

    /// A client with one event loop thread of its own (`sy-curl-0`).
    public init(configuration: Configuration = Configuration()) throws(UpstreamError) {
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(threads: 1, name: "sy-curl")
        } catch {
            throw .transport(code: 0, message: "cannot start the client's event loop: \(error)")
        }
        do {
            drivers = try Self.drivers(on: group, configuration)
        } catch {
            group.shutdown()
            throw error
        }
        ownGroup = group
    }

    private static func drivers(on group: EventLoopGroup, _ configuration: Configuration) throws(UpstreamError) -> [CurlDriver] {
        let loops = group.loops
        let idlePerLoop = max(1, (configuration.maxIdleConnections + loops.count - 1) / loops.count)
        return try loops.map { loop throws(UpstreamError) in
            try CurlDriver(loop: loop, configuration: configuration, maxIdleConnections: idlePerLoop)
        }
    }

    deinit {
        for driver in drivers {
            if driver.loop.inLoop {
                driver.shutDown()
                continue
            }
            let done = DispatchSemaphore(value: 0)
            let queued = driver.loop.execute {
                driver.shutDown()
                done.signal()
            }
            if queued { done.wait() } else { driver.shutDown() }  // the loop has stopped: nothing else uses the driver
        }
        ownGroup?.shutdown()
    }

    /// Sends `request` and returns once the final status line and headers arrived.
    ///
    /// Throws before the head for refused hosts or addresses, connect and first-byte timeouts,
    /// transport errors and cancellation of the calling task. Failures after the head (idle or
    /// total timeout, reset, oversize body, cancellation) are thrown by the body sequence.
    public func send(_ request: UpstreamRequest) async throws(UpstreamError) -> UpstreamResponse {
        try request.validate()
        if Task.isCancelled { throw .cancelled }
        let driver = drivers.first { $0.loop.inLoop }
            ?? drivers[nextDriver.wrappingAdd(1, ordering: .relaxed).oldValue % drivers.count]
        let transfer = Transfer(driver: driver, bufferCapacity: driver.configuration.bufferCapacity)
        let owner = TransferOwner(transfer)
        let head = try await transfer.start(request).get()
        return UpstreamResponse(head: head, body: UpstreamBody(owner: owner), loopIndex: driver.loop.index)
    }
}
