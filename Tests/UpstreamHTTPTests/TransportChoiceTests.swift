import Testing
@testable import UpstreamHTTP

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

    @Test(arguments: ["https://127.0.0.1/", "http://api.example.com/", "http://localhost.example/", "https://localhost/"])
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
}
