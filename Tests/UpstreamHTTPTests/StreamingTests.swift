import Testing
import UpstreamHTTP

/// Head before body, chunk-by-chunk delivery, reuse, redirects, replayable bodies.
@Suite(.timeLimit(.minutes(1)))
struct StreamingTests {
    @Test(arguments: Transport.allCases) func statusAndHeadersArriveBeforeTheBody(_ transport: Transport) async throws {
        let bodyGate = Gate()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Thing: one\r\nx-thing: two\r\n\r\n")
            bodyGate.wait()
            connection.write("hello")
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        #expect(response.status == 201)
        #expect(response.header("X-THING") == "one")
        #expect(response.headers(named: "x-thing") == ["one", "two"])
        #expect(response.header("content-length") == "5")
        bodyGate.open()
        #expect(try await response.body.collect().text == "hello")
    }

    @Test(arguments: Transport.allCases) func aChunkReachesTheCallerBeforeTheNextIsWritten(_ transport: Transport) async throws {
        // The server writes the second chunk only once the client holds the first: delivery
        // cannot wait for the end. (Latency is measured in `chunkLatencyIsAFewMilliseconds`.)
        let gotFirst = Gate()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead(headers: ["Content-Type: text/event-stream"])
            connection.writeChunk("data: one\n\n")
            gotFirst.wait()
            connection.writeChunk("data: two\n\n")
            connection.endChunks()
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        var iterator = response.body.makeAsyncIterator()
        let first = try await iterator.next()
        gotFirst.open()
        #expect(first?.text == "data: one\n\n")
        #expect(try await iterator.next()?.text == "data: two\n\n")
        #expect(try await iterator.next() == nil)
        #expect(try await iterator.next() == nil)
    }

    @Test(arguments: Transport.allCases) func chunkLatencyIsAFewMilliseconds(_ transport: Transport) async throws {
        // Ping-pong: the server writes a chunk only after the client received the previous one,
        // so each latency is measured on an otherwise quiet connection.
        let rounds = 40
        let writtenAt = LockedBox<[Double]>([])
        let next = Gate()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead(headers: ["Content-Type: text/event-stream"])
            for i in 0..<rounds {
                writtenAt.withLock { $0.append(monotonicSeconds()) }
                guard connection.writeChunk("data: \(i)\n\n"), next.wait() else { return }
            }
            connection.endChunks()
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        var latencies: [Double] = []
        for try await _ in response.body {
            let now = monotonicSeconds()
            if let sent = writtenAt.withLock({ $0.last }) { latencies.append(now - sent) }
            next.open()
        }
        #expect(latencies.count == rounds)
        let median = latencies.sorted()[latencies.count / 2]
        // Buffering would show as hundreds of milliseconds; the bound leaves room for a test
        // process starved by the rest of the suite running in parallel on two cores.
        #expect(median < 0.025, "median chunk latency \(median * 1000) ms")
    }

    @Test(arguments: Transport.allCases) func sequentialRequestsReuseOneConnection(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while let request = connection.readRequest() {
                connection.respond(body: "answer to \(request.target)")
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        for path in ["/a", "/b", "/c"] {
            let response = try await client.send(localRequest(server, path: path))
            #expect(try await response.body.collect().text == "answer to \(path)")
        }
        #expect(server.accepted == 1)
    }

    @Test(arguments: Transport.allCases) func redirectsAreReturnedNotFollowed(_ transport: Transport) async throws {
        let requests = AsyncValue<Int>()
        let server = try TestServer { connection in
            var count = 0
            while connection.readRequest(timeout: 1) != nil {
                count += 1
                connection.respond(status: 302, headers: ["Location: /elsewhere"], body: "moved")
            }
            requests.set(count)
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        #expect(response.status == 302)
        #expect(response.header("location") == "/elsewhere")
        #expect(try await response.body.collect().text == "moved")
        response.cancel()
        #expect(server.accepted == 1)
    }

    @Test(arguments: Transport.allCases) func theSameRequestCanBeSentTwice(_ transport: Transport) async throws {
        let bodies = AsyncValue<[String]>()
        let server = try TestServer { connection in
            var seen: [String] = []
            while seen.count < 2, let request = connection.readRequest() {
                seen.append("\(request.method) \(request.header("content-type") ?? "-") \(request.body.text)")
                connection.respond(body: "ok")
            }
            bodies.set(seen)
        }
        defer { server.stop() }
        let client = try transport.client()
        let request = localRequest(server, method: "POST", body: Array(#"{"model":"m"}"#.utf8),
                                   headers: [(name: "Content-Type", value: "application/json")])
        for _ in 0..<2 {
            let response = try await client.send(request)
            _ = try await response.body.collect()
        }
        let seen = try #require(await bodies.wait())
        #expect(seen == [#"POST application/json {"model":"m"}"#, #"POST application/json {"model":"m"}"#])
    }

    @Test(arguments: Transport.allCases) func framingHeadersFromTheCallerAreReplacedByTheClients(_ transport: Transport) async throws {
        let seen = AsyncValue<TestRequest>()
        let server = try TestServer { connection in
            guard let request = connection.readRequest() else { return }
            seen.set(request)
            connection.respond(body: "ok")
        }
        defer { server.stop() }
        let client = try transport.client()
        let request = localRequest(server, method: "POST", body: Array("12345".utf8), headers: [
            (name: "Content-Length", value: "999"), (name: "Transfer-Encoding", value: "chunked"),
            (name: "Connection", value: "close"), (name: "X-Empty", value: ""), (name: "Authorization", value: "Bearer k"),
        ])
        let response = try await client.send(request)
        _ = try await response.body.collect()
        let received = try #require(await seen.wait())
        #expect(received.header("content-length") == "5")
        #expect(received.header("transfer-encoding") == nil)
        #expect(received.header("connection") == nil)
        #expect(received.header("expect") == nil)
        #expect(received.header("content-type") == nil)
        #expect(received.header("x-empty") == "")
        #expect(received.header("authorization") == "Bearer k")
        #expect(received.body.text == "12345")
    }

    @Test(arguments: Transport.allCases) func headerInjectionIsRefusedBeforeSending(_ transport: Transport) async throws {
        let client = try transport.client()
        let request = UpstreamRequest(url: "http://127.0.0.1:9/", headers: [(name: "X-A", value: "1\r\nX-Evil: 2")],
                                      addressPolicy: .allowingPrivate)
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        guard case .invalidRequest = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        let badScheme = UpstreamRequest(url: "file:///etc/passwd", addressPolicy: .allowingPrivate)
        guard case .invalidRequest = await upstreamError({ () async throws(UpstreamError) in try await client.send(badScheme) }) else {
            Issue.record("file: scheme accepted")
            return
        }
    }
}
