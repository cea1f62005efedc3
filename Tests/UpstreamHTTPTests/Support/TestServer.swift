import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A scriptable raw-socket HTTP server on 127.0.0.1 (port 0): each accepted connection runs
/// the test's script on its own thread.
final class TestServer: Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let acceptedCount = Atomic<Int>(0)
    private let script: @Sendable (TestConnection) -> Void

    /// Connections accepted so far.
    var accepted: Int { acceptedCount.load(ordering: .acquiring) }

    var url: String { "http://127.0.0.1:\(port)" }

    init(_ script: @escaping @Sendable (TestConnection) -> Void) throws {
        self.script = script
        (listenFD, port) = try Self.listen(backlog: 128)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting; open connections finish their scripts.
    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                close(listenFD)
                return
            }
            acceptedCount.add(1, ordering: .releasing)
            let connection = TestConnection(fd: fd)
            Thread.detachNewThread { [script] in
                script(connection)
                connection.close()
            }
        }
    }

    /// A listening socket on 127.0.0.1 with an ephemeral port.
    static func listen(backlog: Int32) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else { throw TestError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
