import Foundation
import Testing
@testable import UpstreamHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Which URLs the native transport takes (plain http to a literal address or `localhost`) and
/// what it writes for them.
@Suite struct TransportChoiceTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080/v1/chat?x=1#frag", "127.0.0.1:8080", "/v1/chat?x=1", ["127.0.0.1"]),
        ("http://10.0.0.7/", "10.0.0.7", "/", ["10.0.0.7"]),
        ("http://10.0.0.7", "10.0.0.7", "/", ["10.0.0.7"]),
        ("http://[::1]:9000/a", "[::1]:9000", "/a", ["::1"]),
        ("http://LOCALHOST:81/", "LOCALHOST:81", "/", ["127.0.0.1", "::1"]),
    ])
    func nativeTargets(_ url: String, _ host: String, _ path: String, _ addresses: [String]) throws {
        let target = try #require(try URLParts(url).nativeTarget)
        #expect(target.hostHeader.lowercased() == host.lowercased())
        #expect(target.pathAndQuery == path)
        #expect(target.addresses.map(\.description) == addresses)
    }

    @Test(arguments: ["https://127.0.0.1/", "http://api.example.com/", "http://localhost.example/", "https://localhost/",
                      "http://user:pw@127.0.0.1/"])
    func curlTargets(_ url: String) throws {
        #expect(try URLParts(url).nativeTarget == nil)
    }

    @Test func requestBytes() throws {
        let target = try #require(try URLParts("http://127.0.0.1:8080/p?q").nativeTarget)
        let post = UpstreamRequest(method: "post", url: "http://127.0.0.1:8080/p?q",
                                   headers: [(name: "Content-Length", value: "9"), (name: "X-Empty", value: ""),
                                             (name: "Connection", value: "close"), (name: "Authorization", value: "Bearer k")],
                                   body: Array("{}".utf8))
        #expect(String(decoding: RequestWriter.serialize(post, to: target), as: UTF8.self) ==
            "POST /p?q HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\nX-Empty:\r\nAuthorization: Bearer k\r\nContent-Length: 2\r\n\r\n{}")
        let emptyPost = UpstreamRequest(method: "POST", url: "http://127.0.0.1:8080/p?q", headers: [(name: "Accept", value: "text/event-stream")])
        #expect(String(decoding: RequestWriter.serialize(emptyPost, to: target), as: UTF8.self) ==
            "POST /p?q HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: text/event-stream\r\nContent-Length: 0\r\n\r\n")
        let get = UpstreamRequest(url: "http://127.0.0.1:8080/p?q")
        #expect(String(decoding: RequestWriter.serialize(get, to: target), as: UTF8.self) ==
            "GET /p?q HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n")
    }

    /// `localhost` tries 127.0.0.1 first, then ::1 when that is refused (a server listening on ::1 only).
    @Test(.timeLimit(.minutes(1))) func localhostFallsBackToIPv6Loopback() async throws {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 8) == 0 else {
            close(fd)
            return  // no IPv6 loopback on this machine: nothing to test
        }
        let port = UInt16(bigEndian: address.sin6_port)
        Thread.detachNewThread {
            let accepted = accept(fd, nil, nil)
            close(fd)
            guard accepted >= 0 else { return }
            let connection = TestConnection(fd: accepted)
            if let request = connection.readRequest() { connection.respond(body: "v6 \(request.header("host") ?? "-")") }
            connection.close()
        }
        let client = try Transport.native.client()
        let request = UpstreamRequest(url: "http://localhost:\(port)/", addressPolicy: .allowingPrivate)
        #expect(try await client.send(request).body.collect() == Array("v6 localhost:\(port)".utf8))
    }
}
