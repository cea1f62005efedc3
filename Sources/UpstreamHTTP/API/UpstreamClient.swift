import Dispatch
import Reactor
import Synchronization

/// A streaming HTTP client for provider APIs: libcurl's multi interface and a native HTTP/1.1
/// transport, both driven by event loops.
///
/// Given the server's `EventLoopGroup`, each loop gets its own curl multi handle and native
/// driver, and a request sent from a task on a loop runs entirely on that loop's thread (no
/// hand-off per request). Plain `http://` to an IP literal or `localhost` goes native; https
/// and host names needing DNS go through curl.
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
        /// Whether plain-http requests to literal addresses (and `localhost`) skip libcurl.
        public var nativePlainHTTP: Bool

        public init(maxIdleConnections: Int = 64, bufferCapacity: Int = 256 << 10, caBundlePath: String? = nil,
                    nativePlainHTTP: Bool = true) {
            self.maxIdleConnections = maxIdleConnections
            self.bufferCapacity = bufferCapacity
            self.caBundlePath = caBundlePath
            self.nativePlainHTTP = nativePlainHTTP
        }
    }

    /// The transports of one event loop.
    private struct Lane: Sendable {
        let curl: CurlDriver
        let native: NativeDriver
        var loop: EventLoop { curl.loop }
    }

    private let lanes: [Lane]
    private let nativePlainHTTP: Bool
    private let bufferCapacity: Int
    /// The group the client started for itself, stopped with it; nil when it shares one.
    private let ownGroup: EventLoopGroup?
    /// Spreads callers that are not on any of the loops.
    private let nextDriver = Atomic<Int>(0)

    /// A client on the loops of `group` (the servers' loops: no thread hop per request).
    public init(configuration: Configuration = Configuration(), loops group: EventLoopGroup) throws(UpstreamError) {
        lanes = try Self.lanes(on: group, configuration)
        ownGroup = nil
        nativePlainHTTP = configuration.nativePlainHTTP
        bufferCapacity = configuration.bufferCapacity
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
            lanes = try Self.lanes(on: group, configuration)
        } catch {
            group.shutdown()
            throw error
        }
        ownGroup = group
        nativePlainHTTP = configuration.nativePlainHTTP
        bufferCapacity = configuration.bufferCapacity
    }

    private static func lanes(on group: EventLoopGroup, _ configuration: Configuration) throws(UpstreamError) -> [Lane] {
        let loops = group.loops
        let idlePerLoop = max(1, (configuration.maxIdleConnections + loops.count - 1) / loops.count)
        return try loops.map { loop throws(UpstreamError) in
            Lane(curl: try CurlDriver(loop: loop, configuration: configuration, maxIdleConnections: idlePerLoop),
                 native: NativeDriver(loop: loop, maxIdleConnections: idlePerLoop))
        }
    }

    deinit {
        for lane in lanes {
            if lane.loop.inLoop {
                lane.curl.shutDown()
                lane.native.shutDown()
                continue
            }
            let done = DispatchSemaphore(value: 0)
            let queued = lane.loop.execute {
                lane.curl.shutDown()
                lane.native.shutDown()
                done.signal()
            }
            if queued {
                done.wait()
            } else {
                // The loop has stopped: nothing else uses the drivers.
                lane.curl.shutDown()
                lane.native.shutDown()
            }
        }
        ownGroup?.shutdown()
    }

    /// Sends `request` and returns once the final status line and headers arrived.
    ///
    /// Throws before the head for refused hosts or addresses, connect and first-byte timeouts,
    /// transport errors and cancellation of the calling task. Failures after the head (idle or
    /// total timeout, reset, oversize body, cancellation) are thrown by the body sequence.
    public func send(_ request: UpstreamRequest) async throws(UpstreamError) -> UpstreamResponse {
        let parts = try request.validate()
        if Task.isCancelled { throw .cancelled }
        let lane = lanes.first { $0.loop.inLoop }
            ?? lanes[nextDriver.wrappingAdd(1, ordering: .relaxed).oldValue % lanes.count]
        let native = nativePlainHTTP ? parts.nativeTarget : nil
        let driver: any TransferDriver = native == nil ? lane.curl : lane.native
        let transfer = Transfer(driver: driver, bufferCapacity: bufferCapacity)
        let owner = TransferOwner(transfer)
        let head = try await transfer.start(request, target: native).get()
        return UpstreamResponse(head: head, body: UpstreamBody(owner: owner), loopIndex: lane.loop.index)
    }
}
