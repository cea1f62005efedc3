#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Reactor

/// One non-blocking TCP connection of the native transport, registered edge-triggered with its
/// driver's loop; confined to that loop's thread.
///
/// It owns the socket and one read buffer reused for every response on it; what the bytes mean
/// is the driver's business. Readiness is reported to the driver.
final class NativeConnection: EpollHandler {
    /// What the connection is doing, for the driver's event dispatch.
    enum Phase {
        /// Non-blocking connect in progress.
        case connecting
        /// Carrying an exchange (sending or receiving).
        case busy
        /// In the pool, waiting for the next request.
        case idle
        /// Closed; every later event is ignored.
        case closed
    }

    /// Largest read, and so largest body chunk handed on (the consumer's buffer bound relies on it).
    static let readCapacity = 16 << 10

    let address: IPAddress
    let port: UInt16
    let fd: Int32
    var phase = Phase.connecting
    /// The exchange using the connection (nil while connecting for none, idle or closed).
    var exchange: NativeExchange?
    /// Edge-triggered: set by a readable event, cleared when a read would block or came back
    /// short (the socket was drained then; bytes arriving later raise a new edge).
    var readReady = false
    /// The peer's FIN (or an error) was reported: reads go on until they see it.
    private var peerClosed = false
    /// Unparsed bytes are `buffer[start..<end]`.
    let buffer: UnsafeMutableRawBufferPointer
    var start = 0
    var end = 0
    private var token: UInt64 = 0
    private unowned let driver: NativeDriver

    private init(fd: Int32, address: IPAddress, port: UInt16, driver: NativeDriver) {
        self.fd = fd
        self.address = address
        self.port = port
        self.driver = driver
        buffer = .allocate(byteCount: Self.readCapacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// Starts a non-blocking connect and registers the socket; the errno when that fails at once.
    static func open(to address: IPAddress, port: UInt16, driver: NativeDriver) -> Result<NativeConnection, SocketFailure> {
        let family = address.bytes.count == 4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(SocketFailure(errno)) }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, size)
        // Keep-alive probes as the curl path sets them: a dead peer of a long quiet stream is noticed.
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, size)
        var idle: Int32 = 30, interval: Int32 = 15
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &interval, size)

        let result = withSocketAddress(address, port) { connect(fd, $0, $1) }
        if result != 0 && errno != EINPROGRESS {
            let failure = SocketFailure(errno)
            Glibc.close(fd)
            return .failure(failure)
        }
        let connection = NativeConnection(fd: fd, address: address, port: port, driver: driver)
        let events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        do {
            connection.token = try driver.loop.register(fd, events: events, handler: connection)
        } catch {
            Glibc.close(fd)
            return .failure(SocketFailure(errno))
        }
        return .success(connection)
    }

    func handleEvents(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readReady = true
        }
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { peerClosed = true }
        driver.connectionReady(self, events: events)
    }

    /// The connect's outcome once the socket became writable: 0 or the errno.
    func connectResult() -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { return errno }
        return code
    }

    /// Sends from `bytes[offset...]`: the count sent, 0 when the socket buffer is full, or the errno.
    func send(_ bytes: [UInt8], from offset: Int) -> Result<Int, SocketFailure> {
        while true {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 { return .success(sent) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .success(0) }
            return .failure(SocketFailure(code))
        }
    }

    /// What one read produced.
    enum ReadOutcome {
        /// Bytes now in `buffer[start..<end]`.
        case bytes
        /// Nothing to read now.
        case wouldBlock
        /// The peer closed its side.
        case endOfFile
        case failed(SocketFailure)
    }

    /// Reads into the (fully consumed) buffer.
    func read() -> ReadOutcome {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                start = 0
                end = count
                // Saves the read that would only say EAGAIN (one system call per response).
                if count < buffer.count && !peerClosed { readReady = false }
                return .bytes
            }
            if count == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                readReady = false
                return .wouldBlock
            }
            return .failed(SocketFailure(code))
        }
    }

    /// Whether bytes from the peer wait unread (looked at without consuming them).
    func hasUnreadBytes() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) > 0
    }

    /// Deregisters and closes the socket; the peer sees the close at once.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        exchange = nil
        driver.loop.deregister(fd, token: token)
        Glibc.close(fd)
    }

    /// Calls `body` with a sockaddr for `address`:`port`.
    private static func withSocketAddress<R>(_ address: IPAddress, _ port: UInt16,
                                             _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        if address.bytes.count == 4 {
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var storage = sockaddr_in6()
        storage.sin6_family = sa_family_t(AF_INET6)
        storage.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: address.bytes) }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
}

/// A failed socket call's errno, with the messages curl would give.
struct SocketFailure: Error, Equatable {
    let code: Int32

    init(_ code: Int32) { self.code = code }

    var message: String { String(cString: strerror(code)) }

    /// The peer went away (a stale keep-alive connection looks like this).
    var isPeerGone: Bool { code == ECONNRESET || code == EPIPE || code == ECONNABORTED }
}
