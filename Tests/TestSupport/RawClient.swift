#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// A blocking raw-socket client for 127.0.0.1 with a receive timeout, for hostile-client tests.
public final class RawClient {
    public let fd: Int32

    public init(port: UInt16, receiveTimeout: Double = 5) throws {
        // Assigned to self only once connected: a throw after that would also run deinit, and
        // closing the number twice once closed another test's descriptor (an epoll set).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw SocketError.system("connect", code)
        }
        self.fd = fd
        var timeout = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - Double(Int(receiveTimeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    public func send(_ text: String) { send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads until the peer closes or the receive timeout passes; `closed` tells which.
    public func readToEnd() -> (text: String, closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                bytes += buffer[0..<count]
            } else {
                return (String(decoding: bytes, as: UTF8.self), count == 0 || errno == ECONNRESET)
            }
        }
    }

    /// Reads until `count` complete responses (by Content-Length) have arrived, or the timeout.
    public func readResponses(_ count: Int) -> [RawResponse] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let parsed = RawResponse.parseAll(bytes)
            if parsed.count >= count { return parsed }
            let received = recv(fd, &buffer, buffer.count, 0)
            if received <= 0 { return parsed }
            bytes += buffer[0..<received]
        }
    }

    /// Reads until `marker` has arrived (searching only new bytes) or the timeout passes.
    public func read(until marker: String) -> String {
        let needle = Array(marker.utf8)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let searchFrom = max(0, bytes.count - needle.count)
            bytes += buffer[0..<count]
            if bytes[searchFrom...].firstRange(of: needle) != nil { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the server closed the connection (EOF or reset) within the receive timeout.
    public func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }
}

/// One GET on a fresh connection; nil when the server cannot be reached.
public func rawGet(port: UInt16, path: String, headers: String = "") -> RawResponse? {
    guard let client = try? RawClient(port: port, receiveTimeout: 2) else { return nil }
    client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)Connection: close\r\n\r\n")
    return client.readResponses(1).first
}

/// A response split out of raw bytes (Content-Length framing only).
public struct RawResponse: Sendable {
    public var status: Int
    public var head: String
    public var body: String

    public static func parseAll(_ bytes: [UInt8]) -> [RawResponse] {
        var responses: [RawResponse] = []
        var rest = bytes[...]
        let separator: [UInt8] = [13, 10, 13, 10]
        while let end = rest.firstRange(of: separator) {
            let head = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: " ")) } ?? 0
            guard rest.distance(from: end.upperBound, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.index(end.upperBound, offsetBy: length)
            responses.append(RawResponse(status: status, head: head, body: String(decoding: rest[end.upperBound..<bodyEnd], as: UTF8.self)))
            rest = rest[bodyEnd...]
        }
        return responses
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
