#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import TestSupport
import Testing

private let host = "Host: t\r\n"

/// Real sockets on 127.0.0.1 against a running server, with a raw client.
@Suite(.serialized) struct ServerLiveTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /echo/a HTTP/1.1\r\n\(host)\r\n")
        #expect(client.readResponses(1).first?.body == #"{"name":"a"}"#)
        client.send("GET /echo/b HTTP/1.1\r\n\(host)\r\n")
        let second = client.readResponses(1)
        #expect(second.first?.body == #"{"name":"b"}"#)
        #expect(second.first?.head.contains("X-Request-Id: req_") == true)
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /echo/one HTTP/1.1\r\n\(host)\r\nPOST /echo HTTP/1.1\r\n\(host)Content-Length: 3\r\n\r\ntwoGET /echo/three HTTP/1.1\r\n\(host)\r\n")
        let responses = client.readResponses(3)
        #expect(responses.map(\.body) == [#"{"name":"one"}"#, "two", #"{"name":"three"}"#])
        await server.stop()
    }

    @Test(arguments: [
        "POST /echo HTTP/1.1\r\n\(host)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\n\(host)Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
        "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET /echo/a HTTP/1.1\r\n\(host)X-A: a\r\n folded\r\n\r\n",
        "GET /echo/a HTTP/1.1\n\(host)\n",
        "GET /echo/a HTTP/1.1\r\n\(host)X-A: a\u{0}b\r\n\r\n",
        "GE(T /echo/a HTTP/1.1\r\n\(host)\r\n",
        "GET /echo/a HTTP/1.1\r\n\(host)Bad Name: x\r\n\r\n",
        "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
    ])
    func smugglingFormsGet400AndCloseWithoutReachingTheHandler(_ request: String) async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send(request + "GET /echo/after HTTP/1.1\r\n\(host)\r\n")
        let (text, closed) = client.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 400 ") || text.hasPrefix("HTTP/1.1 501 "))
        #expect(text.contains("Connection: close"))
        #expect(closed)
        #expect(server.events.count("handled") == 0)
        await server.stop()
    }

    @Test func slowHeaderClientIsClosedWhileOthersAreServed() async throws {
        let server = try await TestServer { $0.headerTimeout = 0.3 }
        let slow = try RawClient(port: server.port)
        slow.send("GET /echo/slow HTTP/1.1\r\nHo")
        let start = ContinuousClock.now
        for i in 0..<5 {
            let fast = try RawClient(port: server.port)
            fast.send("GET /echo/\(i) HTTP/1.1\r\n\(host)\r\n")
            #expect(fast.readResponses(1).first?.status == 200)
        }
        let (text, closed) = slow.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 408 "))
        #expect(closed)
        #expect(ContinuousClock.now - start < .seconds(3))
        await server.stop()
    }

    @Test func oversizedContentLengthGets413BeforeTheBodyIsSent() async throws {
        let server = try await TestServer { $0.maxBodyBytes = 1000 }
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 1001\r\n\r\n")
        let (text, closed) = client.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 413 "))
        #expect(closed)
        #expect(server.events.count("handled") == 0)
        await server.stop()
    }

    /// The server's own errors go through the application's renderer when the request line is
    /// known (from the head, or read back from the input for a head refused as a whole); a
    /// request line that is itself malformed gets the server's own body.
    @Test func serverErrorsAreRenderedByTheApplicationWhenTheRequestLineIsKnown() async throws {
        let server = try await TestServer { $0.maxBodyBytes = 1000 }
        func answer(_ request: String) throws -> String {
            let client = try RawClient(port: server.port)
            client.send(request)
            return client.readToEnd().text
        }
        let declared = try answer("POST /echo?x=1 HTTP/1.1\r\n\(host)Content-Length: 1001\r\n\r\n")
        #expect(declared.hasPrefix("HTTP/1.1 413 ") && declared.hasSuffix(#"{"rendered":413,"path":"/echo"}"#), "\(declared)")
        let chunked = try answer("POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n400\r\n"
                                 + String(repeating: "a", count: 1024) + "\r\n1\r\na\r\n0\r\n\r\n")
        #expect(chunked.hasPrefix("HTTP/1.1 413 ") && chunked.hasSuffix(#"{"rendered":413,"path":"/echo"}"#), "\(chunked)")
        for malformed in ["POST /echo HTTP/1.1 extra\r\n\(host)\r\n",
                          "POST echo HTTP/1.1\r\n\(host)\r\n", "POST /e\u{1}cho HTTP/1.1\r\n\(host)\r\n"] {
            let text = try answer(malformed)
            #expect(text.hasPrefix("HTTP/1.1 400 ") && text.contains(#""code":"bad_request""#), "\(malformed): \(text)")
        }
        await server.stop()
    }

    @Test func tooManyHeadersGet431() async throws {
        let server = try await TestServer { $0.maxHeaderCount = 10 }
        let client = try RawClient(port: server.port)
        client.send("GET /echo/a HTTP/1.1\r\n\(host)" + String(repeating: "X-A: b\r\n", count: 11) + "\r\n")
        #expect(client.readToEnd().text.hasPrefix("HTTP/1.1 431 "))
        let big = try RawClient(port: server.port)
        big.send("GET /echo/a HTTP/1.1\r\n\(host)X-A: " + String(repeating: "b", count: 40_000) + "\r\n\r\n")
        #expect(big.readToEnd().text.hasPrefix("HTTP/1.1 431 "))
        await server.stop()
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(client.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"))
        client.send("hello")
        #expect(client.readResponses(1).first?.body == "hello")
        await server.stop()
    }

    @Test func chunkedRequestBodyIsAssembled() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n")
        #expect(client.readResponses(1).first?.body == "abcdefg")
        await server.stop()
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        let server = try await TestServer()
        let plain = try RawClient(port: server.port)
        plain.send("GET /echo/a HTTP/1.0\r\n\r\n")
        let (text, closed) = plain.readToEnd()
        #expect(text.contains("Connection: close"))
        #expect(closed)
        let kept = try RawClient(port: server.port, receiveTimeout: 0.5)
        kept.send("GET /echo/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(kept.readResponses(1).first?.head.contains("Connection: keep-alive") == true)
        kept.send("GET /echo/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(kept.readResponses(1).first?.body == #"{"name":"b"}"#)
        await server.stop()
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let server = try await TestServer { $0.idleTimeout = 0.2 }
        let client = try RawClient(port: server.port, receiveTimeout: 3)
        client.send("GET /echo/a HTTP/1.1\r\n\(host)\r\n")
        #expect(client.readResponses(1).count == 1)
        #expect(client.isClosedByPeer())
        #expect(await eventually { server.server.openConnections == 0 })
        await server.stop()
    }

    @Test func connectionsPastTheLimitAreRefusedAtOnce() async throws {
        let server = try await TestServer { $0.maxConnections = 2 }
        let first = try RawClient(port: server.port)
        let second = try RawClient(port: server.port)
        first.send("GET /echo/a HTTP/1.1\r\n\(host)\r\n")
        second.send("GET /echo/b HTTP/1.1\r\n\(host)\r\n")
        #expect(first.readResponses(1).count == 1)
        #expect(second.readResponses(1).count == 1)
        let third = try RawClient(port: server.port, receiveTimeout: 2)
        let (text, closed) = third.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 503 "))
        #expect(closed)
        #expect(await eventually { server.refusals.all.map(\.status) == [503] })
        await server.stop()
    }

    /// Requests the server answers itself are reported (to be counted and logged), with the
    /// request line's method and path but never its query, which may carry a key.
    @Test func refusedRequestsAreReportedWithoutTheirQuery() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port, receiveTimeout: 2)
        client.send("GET /echo/a?key=sy-secret HTTP/1.1\nHost: t\n\n")
        let (text, _) = client.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 400 "))
        #expect(await eventually { server.refusals.all.count == 1 })
        let refusal = try #require(server.refusals.all.first)
        #expect(refusal.status == 400)
        #expect(refusal.method == "GET" && refusal.path == "/echo/a")
        #expect(refusal.requestID != nil && refusal.remoteAddress == "127.0.0.1")
        // A handled request is no refusal.
        let handled = try RawClient(port: server.port)
        handled.send("GET /echo/b HTTP/1.1\r\n\(host)\r\n")
        #expect(handled.readResponses(1).first?.status == 200)
        #expect(server.refusals.all.count == 1)
        await server.stop()
    }

    @Test func geminiActionSegmentsAreRouted() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /v1beta/models/gemini-2.5-pro:generateContent HTTP/1.1\r\n\(host)\r\n")
        client.send("GET /v1beta/models/gemini-2.5-pro%3AgenerateContent HTTP/1.1\r\n\(host)\r\n")
        client.send("GET /v1beta/models/x:other HTTP/1.1\r\n\(host)\r\n")
        let responses = client.readResponses(3)
        #expect(responses.map(\.body).prefix(2) == ["gemini-2.5-pro", "gemini-2.5-pro"])
        #expect(responses.last?.status == 404)
        await server.stop()
    }

    @Test func requestThenHalfCloseIsAnsweredAndClosedAtOnce() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port, receiveTimeout: 5)
        client.send("GET /echo/a HTTP/1.1\r\n\(host)\r\n")
        shutdown(client.fd, Int32(SHUT_WR))
        let start = ContinuousClock.now
        let (text, closed) = client.readToEnd()
        #expect(text.hasPrefix("HTTP/1.1 200 "))
        #expect(closed)
        #expect(ContinuousClock.now - start < .seconds(3))  // not the 60 s idle timeout
        await server.stop()
    }

    @Test func wrongMethodGets405WithAllow() async throws {
        let server = try await TestServer()
        let client = try RawClient(port: server.port)
        client.send("DELETE /echo HTTP/1.1\r\n\(host)\r\n")
        let response = client.readResponses(1).first
        #expect(response?.status == 405)
        #expect(response?.head.contains("Allow: POST") == true)
        await server.stop()
    }
}
