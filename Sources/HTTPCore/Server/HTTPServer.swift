#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An HTTP/1.1 server on one listening socket, served by every loop of a group.
public final class HTTPServer: Sendable {
    public let configuration: ServerConfiguration
    private let group: EventLoopGroup
    private let context: ServerContext
    private let state = Mutex<(listenFD: Int32, port: UInt16, acceptors: [AcceptHandler])>((-1, 0, []))

    /// `errorRenderer` answers the server's own errors (an `HTTPServerError`: a body too large,
    /// a timeout…) in the application's format when the request line is known; `onRefusal` is
    /// told of each of them (called on a loop thread: it must not block).
    public init(configuration: ServerConfiguration, group: EventLoopGroup,
                handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse,
                errorRenderer: HTTPRoutes.ErrorRenderer? = nil, onRefusal: (@Sendable (HTTPRefusal) -> Void)? = nil) {
        self.configuration = configuration
        self.group = group
        context = ServerContext(configuration: configuration, handler: handler, errorRenderer: errorRenderer, onRefusal: onRefusal)
        context.registries = group.loops.map { _ in ConnectionRegistry() }
    }

    /// The bound port (useful when listening on port 0).
    public var port: UInt16 { state.withLock { $0.port } }

    /// Connections currently open.
    public var openConnections: Int { context.openConnections }

    /// Binds the listening socket and starts accepting on every loop.
    public func start() async throws {
        let (fd, port) = try Sockets.listen(configuration.listen)
        let acceptors = group.loops.map { AcceptHandler(listenFD: fd, loop: $0, loops: group.loops, server: context) }
        state.withLock { $0 = (fd, port, acceptors) }
        let failure = Mutex<(any Error)?>(nil)
        await group.onEachLoop { loop in
            do { try acceptors[loop.index].start() } catch { failure.withLock { $0 = error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Stops accepting, lets in-flight requests and streams finish for up to `drainTimeout`
    /// seconds (idle keep-alive connections close at once), then closes what is left.
    public func shutdown(drainTimeout: Double) async {
        let (fd, acceptors) = state.withLock { ($0.listenFD, $0.acceptors) }
        guard fd >= 0 else { return }
        context.beginDrain()
        await group.onEachLoop { acceptors[$0.index].stopAccepting() }
        close(fd)
        let deadline = ContinuousClock.now + .milliseconds(Int(drainTimeout * 1000))
        while context.openConnections > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let registries = context.registries
        if context.openConnections > 0 {
            // What is still being handled is answered, or its stream ended, in its own format
            // (given a moment to be sent) rather than cut.
            await group.onEachLoop { registries[$0.index].endAtDrainDeadline() }
            let grace = ContinuousClock.now + .milliseconds(250)
            while context.openConnections > 0 && ContinuousClock.now < grace {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        await group.onEachLoop { loop in
            registries[loop.index].closeAll()
            acceptors[loop.index].stopSweeping()
        }
        state.withLock { $0.listenFD = -1 }
    }
}
