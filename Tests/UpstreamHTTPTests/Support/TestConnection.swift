import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request as the test server read it.
struct TestRequest: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One accepted connection, driven by a test script on its own thread (blocking calls are fine).
final class TestConnection: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    init(fd: Int32) {
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Reads one request (head and Content-Length body); nil when the peer closed or `timeout` passed.
    func readRequest(timeout: Double = 5) -> TestRequest? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let requestLine = lines.removeFirst().split(separator: " ")
                let headers = lines.compactMap { line -> (name: String, value: String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    guard fill(until: deadline) else { return nil }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return TestRequest(method: String(requestLine.first ?? ""), target: String(requestLine.dropFirst().first ?? ""),
                                   headers: headers, body: body)
            }
            guard fill(until: deadline) else { return nil }
        }
    }

    /// Reads until the end of a request head, leaving any body unread; false when the peer closed or `timeout` passed.
    func readHead(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while find([13, 10, 13, 10]) == nil {
            guard fill(until: deadline) else { return false }
        }
        return true
    }

    /// Writes all bytes; false once the peer is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// A complete fixed-length response.
    @discardableResult
    func respond(status: Int = 200, headers: [String] = [], body: String = "") -> Bool {
        let head = (["HTTP/1.1 \(status) X", "Content-Length: \(body.utf8.count)"] + headers).joined(separator: "\r\n")
        return write(head + "\r\n\r\n" + body)
    }

    /// A chunked response head.
    @discardableResult
    func writeChunkedHead(status: Int = 200, headers: [String] = []) -> Bool {
        let head = (["HTTP/1.1 \(status) X", "Transfer-Encoding: chunked"] + headers).joined(separator: "\r\n")
        return write(head + "\r\n\r\n")
    }

    /// One chunk of a chunked body.
    @discardableResult
    func writeChunk(_ bytes: [UInt8]) -> Bool {
        write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10])
    }

    @discardableResult
    func writeChunk(_ text: String) -> Bool { writeChunk(Array(text.utf8)) }

    @discardableResult
    func endChunks() -> Bool { write("0\r\n\r\n") }

    /// Waits until the client closes the connection (EOF or reset); false on timeout.
    func waitForPeerClose(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var scratch = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN) | 0x2000 /* POLLRDHUP */, revents: 0)
            let ms = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&descriptor, 1, ms) > 0 else { continue }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return true }
        }
        return false
    }

    /// Closes with SO_LINGER 0, so the client gets a TCP reset.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] {
            if Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
        }
        return nil
    }

    private func fill(until deadline: Date) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        guard ms > 0, poll(&descriptor, 1, ms) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }
}
