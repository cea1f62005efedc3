import Synchronization
import Testing
import UpstreamHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Connection reuse and its limits: stale pooled connections, the single retry, responses that
/// forbid reuse, bodies without a length, interim and bodiless responses, no pipelining.
///
/// Servers keep a connection open for 10 s between requests: long enough that a test process
/// starved by the rest of the suite (run in parallel on two cores) does not see it closed.
@Suite(.timeLimit(.minutes(1)))
struct KeepAliveTests {
    /// The server closes a pooled connection while it is idle: the next request quietly uses a new one.
    @Test(arguments: Transport.allCases)
    func aConnectionClosedWhileIdleIsNotReused(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.respond(body: "one")
        }
        defer { server.stop() }
        let client = try transport.client()
        #expect(try await client.send(localRequest(server)).body.collect().text == "one")
        try await Task.sleep(for: .milliseconds(100))  // the FIN reaches the idle connection
        #expect(try await client.send(localRequest(server)).body.collect().text == "one")
        #expect(server.accepted == 2)
    }

    /// The server closes each connection right after its response (no `Connection: close`): the
    /// FIN comes with the response or just after it, and the next request, sent at once, still
    /// gets its answer on a fresh connection.
    @Test(arguments: Transport.allCases)
    func aConnectionClosedRightAfterItsResponseIsNotReused(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.respond(body: "once")
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<5 {
            #expect(try await client.send(localRequest(server)).body.collect().text == "once")
        }
        #expect(server.accepted == 5)
    }

    /// The server answers 413 as soon as it has the head and then neither reads the body nor
    /// closes: the answer reaches the caller at once, not at the first-byte timeout, and the
    /// half-sent connection is not reused.
    @Test(arguments: Transport.allCases)
    func anEarlyAnswerWhileTheBodyIsStillGoingOutIsDelivered(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readHead() else { return }
            connection.respond(status: 413, body: "too large")
            _ = connection.waitForPeerClose(timeout: 10)
        }
        defer { server.stop() }
        let client = try transport.client()
        let started = monotonicSeconds()
        let large = localRequest(server, method: "POST", body: [UInt8](repeating: 0x61, count: 16 << 20))
        let response = try await client.send(large)
        #expect(response.status == 413)
        #expect(try await response.body.collect().text == "too large")
        #expect(monotonicSeconds() - started < 5)
        #expect(try await client.send(localRequest(server)).status == 413)
        #expect(server.accepted == 2)
    }

    /// The server closes a kept-alive connection just as the next request arrives on it (the
    /// request is read, never answered): retried once on a fresh connection, without error.
    @Test(arguments: Transport.allCases)
    func aRequestOnAStaleConnectionIsRetriedOnAFreshOne(_ transport: Transport) async throws {
        let connections = Atomic<Int>(0)
        let server = try TestServer { connection in
            let number = connections.add(1, ordering: .relaxed).newValue
            guard let request = connection.readRequest() else { return }
            connection.respond(body: "answer \(number) to \(request.method) \(request.body.text)")
            if number == 1 { _ = connection.readRequest() }  // then closes without answering
        }
        defer { server.stop() }
        let client = try transport.client()
        let post = localRequest(server, method: "POST", body: Array("payload".utf8))
        #expect(try await client.send(post).body.collect().text == "answer 1 to POST payload")
        #expect(try await client.send(post).body.collect().text == "answer 2 to POST payload")
        #expect(server.accepted == 2)
    }

    /// A server that drops every new connection at once: one retry of the stale reuse, then an
    /// error; never a loop of reconnects.
    @Test(arguments: Transport.allCases)
    func theRetryHappensOnlyOnce(_ transport: Transport) async throws {
        let connections = Atomic<Int>(0)
        let server = try TestServer { connection in
            let number = connections.add(1, ordering: .relaxed).newValue
            guard number == 1, connection.readRequest() != nil else { return }
            connection.respond(body: "ok")
            _ = connection.readRequest()
        }
        defer { server.stop() }
        let client = try transport.client()
        #expect(try await client.send(localRequest(server)).body.collect().text == "ok")
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(localRequest(server)) }
        guard case .transport = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.accepted == 2)
    }

    @Test(arguments: Transport.allCases)
    func connectionCloseResponseIsNotReused(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            // Keeps the connection open: only the client's choice can make it go unused.
            while connection.readRequest(timeout: 10) != nil {
                connection.respond(headers: ["Connection: close"], body: "bye")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<2 {
            #expect(try await client.send(localRequest(server)).body.collect().text == "bye")
        }
        #expect(server.accepted == 2)
    }

    @Test(arguments: Transport.allCases)
    func http10WithoutKeepAliveIsNotReused(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while connection.readRequest(timeout: 10) != nil {
                connection.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<2 {
            #expect(try await client.send(localRequest(server)).body.collect().text == "ok")
        }
        #expect(server.accepted == 2)
    }

    @Test(arguments: Transport.allCases)
    func aBodyUntilCloseEndsCleanly(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst ")
            usleep(20_000)
            connection.write("second")
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<2 {
            #expect(try await client.send(localRequest(server)).body.collect().text == "first second")
        }
        #expect(server.accepted == 2)
    }

    @Test(arguments: Transport.allCases)
    func chunkedBodyWithExtensionsAndTrailersThenReuse(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while connection.readRequest(timeout: 10) != nil {
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n")
                usleep(10_000)
                connection.write("6 ; a=\"b\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<2 {
            let response = try await client.send(localRequest(server))
            #expect(response.header("x-trailer") == nil)
            #expect(try await response.body.collect().text == "hello world")
        }
        #expect(server.accepted == 1)
    }

    @Test(arguments: Transport.allCases)
    func informationalResponsesBeforeTheFinalHead(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while connection.readRequest(timeout: 10) != nil {
                connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n")
                connection.respond(status: 201, headers: ["X-Final: yes"], body: "made")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        for _ in 0..<2 {
            let response = try await client.send(localRequest(server, method: "POST", body: Array("x".utf8)))
            #expect(response.status == 201)
            #expect(response.header("link") == nil)
            #expect(response.header("x-final") == "yes")
            #expect(try await response.body.collect().text == "made")
        }
        #expect(server.accepted == 1)
    }

    /// An unasked-for `100 Continue` arrives while a large body is still going out: it is only
    /// interim, so the body goes on being sent and the final answer follows.
    @Test(arguments: Transport.allCases)
    func anInterimAnswerDuringALargeBodyDoesNotStopTheBody(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readHead() else { return }
            connection.write("HTTP/1.1 100 Continue\r\n\r\n")
            guard let request = connection.readRequest(timeout: 10) else { return }
            connection.respond(body: "got \(request.body.count)")
        }
        defer { server.stop() }
        let client = try transport.client()
        let size = 16 << 20
        let response = try await client.send(localRequest(server, method: "POST", body: [UInt8](repeating: 0x62, count: size)))
        #expect(response.status == 200)
        #expect(try await response.body.collect().text == "got \(size)")
    }

    @Test(arguments: Transport.allCases)
    func headAnd204HaveNoBodyAndKeepTheConnection(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while let request = connection.readRequest(timeout: 10) {
                if request.method == "HEAD" {
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                } else if request.target == "/empty" {
                    connection.write("HTTP/1.1 204 No Content\r\n\r\n")
                } else {
                    connection.respond(body: "full")
                }
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        let head = try await client.send(localRequest(server, method: "HEAD"))
        #expect(head.header("content-length") == "1000")
        #expect(try await head.body.collect().isEmpty)
        let empty = try await client.send(localRequest(server, path: "/empty"))
        #expect(empty.status == 204)
        #expect(try await empty.body.collect().isEmpty)
        #expect(try await client.send(localRequest(server)).body.collect().text == "full")
        #expect(server.accepted == 1)
    }

    /// Two requests at once never share a connection: no second request is written before the
    /// first response ended.
    @Test(arguments: Transport.allCases)
    func noPipelining(_ transport: Transport) async throws {
        let pipelined = Atomic<Int>(0)
        let server = try TestServer { connection in
            while connection.readRequest(timeout: 10) != nil {
                if connection.readRequest(timeout: 0.2) != nil { pipelined.add(1, ordering: .relaxed) }
                connection.respond(body: "ok")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        async let first = client.send(localRequest(server)).body.collect()
        async let second = client.send(localRequest(server)).body.collect()
        #expect(try await [first.text, second.text] == ["ok", "ok"])
        #expect(pipelined.load(ordering: .relaxed) == 0)
        #expect(server.accepted == 2)
    }

    /// A reply that breaks the grammar is a transport error, and its connection is never used again.
    @Test(arguments: [
        "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "b", count: 70_000) + "\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Nul: a\u{0}b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Fold: a\r\n b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA",
    ])
    func malformedResponsesFailAndTheConnectionIsDropped(_ reply: String) async throws {
        let connections = Atomic<Int>(0)
        let server = try TestServer { connection in
            let number = connections.add(1, ordering: .relaxed).newValue
            while connection.readRequest(timeout: 10) != nil {
                if number == 1 { connection.write(reply) } else { connection.respond(body: "fine") }
            }
        }
        defer { server.stop() }
        let client = try Transport.native.client()
        let error = await upstreamError { () async throws(UpstreamError) in
            try await client.send(localRequest(server)).body.collect()
        }
        if reply.hasSuffix("xEXTRA") {
            // The response itself is complete and delivered; only the connection is condemned.
            #expect(error == nil)
        } else {
            guard case .transport = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
        }
        #expect(try await client.send(localRequest(server)).body.collect().text == "fine")
        #expect(server.accepted == 2)
    }

    /// A body without a declared length over the cap fails mid-body, as a declared one fails at the head.
    @Test(arguments: Transport.allCases)
    func anUntilCloseBodyOverTheCapFails(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\n\r\n")
            let block = [UInt8](repeating: 67, count: 64 << 10)
            for _ in 0..<32 where connection.write(block) {}
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server, maxResponseBytes: 256 << 10))
        let error = await upstreamError { () async throws(UpstreamError) in try await response.body.collect() }
        #expect(error == .responseTooLarge(limit: 256 << 10))
    }

    /// With room for one idle connection, the second of two finished connections is closed, not kept.
    @Test(arguments: Transport.allCases)
    func idleConnectionsAreCapped(_ transport: Transport) async throws {
        let closedEarly = Atomic<Int>(0)
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            usleep(100_000)  // both requests are in flight at once
            connection.respond(body: "ok")
            let started = monotonicSeconds()
            while connection.readRequest(timeout: 10) != nil { connection.respond(body: "ok") }
            if monotonicSeconds() - started < 1.5 { closedEarly.add(1, ordering: .relaxed) }
        }
        defer { server.stop() }
        let client = try UpstreamClient(configuration: transport.configuration(maxIdleConnections: 1))
        async let first = client.send(localRequest(server)).body.collect()
        async let second = client.send(localRequest(server)).body.collect()
        #expect(try await [first.text, second.text] == ["ok", "ok"])
        #expect(try await client.send(localRequest(server)).body.collect().text == "ok")
        try await Task.sleep(for: .milliseconds(1800))
        #expect(server.accepted == 2)
        #expect(closedEarly.load(ordering: .relaxed) == 1)
    }
}
