#if canImport(Glibc)
import Glibc
#endif
import CSystem

/// Accepts connections from a listening socket shared by all loops (`EPOLLEXCLUSIVE`
/// wakes one loop at a time), enforcing the server's connection limit and handing each new
/// connection to the loops in turn, so a burst of connects does not pile onto one loop.
final class AcceptHandler: EpollHandler, @unchecked Sendable {
    private let listenFD: Int32
    private let loop: EventLoop
    private let loops: [EventLoop]
    private let server: ServerContext
    private var token: UInt64 = 0
    private var tickObserver: UInt64 = 0

    /// What a client past `--max-connections` receives before the close.
    private static let overloaded: [UInt8] = {
        let body = ServerErrorBody.json(HTTPServerError(status: 503, message: "too many connections"))
        return Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    }()

    init(listenFD: Int32, loop: EventLoop, loops: [EventLoop], server: ServerContext) {
        self.listenFD = listenFD
        self.loop = loop
        self.loops = loops
        self.server = server
    }

    func start() throws {
        token = try loop.register(listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, handler: self)
        let registry = server.registries[loop.index]
        let loop = self.loop
        tickObserver = loop.addTickObserver { registry.sweep(now: loop.now) }
    }

    /// Stops accepting on this loop; open connections stay.
    func stopAccepting() {
        loop.deregister(listenFD, token: token)
    }

    func stopSweeping() {
        loop.removeTickObserver(tickObserver)
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard fd >= 0 else { return }  // EAGAIN, or a transient error such as EMFILE: try on the next wake
            let admitted = server.acquireSlot()
            guard admitted, !server.isDraining else {
                if admitted { server.releaseSlot() }
                Self.overloaded.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                close(fd)
                server.onRefusal?(HTTPRefusal(status: 503, reason: "too many connections", requestLine: nil, requestID: nil,
                                              remoteAddress: Sockets.peerDescription(storage).host))
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let peer = Sockets.peerDescription(storage).host
            let target = loops[server.nextLoopIndex(of: loops.count)]
            let server = self.server
            if target === loop {
                Self.open(fd, on: target, server: server, peer: peer)
            } else {
                target.execute { Self.open(fd, on: target, server: server, peer: peer) }
            }
        }
    }

    /// Creates and registers a connection on `loop`'s thread.
    private static func open(_ fd: Int32, on loop: EventLoop, server: ServerContext, peer: String) {
        let connection = Connection(fd: fd, loop: loop, server: server, peerHost: peer)
        do {
            try connection.start()
            server.registries[loop.index].add(connection)
        } catch {
            close(fd)
            server.releaseSlot()
        }
    }
}
