import Testing
import UpstreamHTTP

/// Many streams on one client's curl thread, and shutting the client down under load.
@Suite(.timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test(arguments: Transport.allCases) func fiftyConcurrentStreams(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard let request = connection.readRequest() else { return }
            connection.writeChunkedHead(headers: ["Content-Type: text/event-stream"])
            for i in 0..<20 {
                guard connection.writeChunk("data: \(request.target) \(i)\n\n") else { return }
            }
            connection.endChunks()
        }
        defer { server.stop() }
        let client = try transport.client()
        let results = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<50 {
                group.addTask {
                    do throws(UpstreamError) {
                        let response = try await client.send(localRequest(server, path: "/\(n)"))
                        let text = try await response.body.collect().text
                        return text == (0..<20).map { "data: /\(n) \($0)\n\n" }.joined()
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0 })
    }

    @Test(arguments: Transport.allCases) func droppingTheClientFailsOpenStreamsWithShutdown(_ transport: Transport) async throws {
        let closed = AsyncValue<Bool>()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            connection.writeChunk("data: first\n\n")
            closed.set(connection.waitForPeerClose(timeout: 5))
        }
        defer { server.stop() }
        var client: UpstreamClient? = try transport.client()
        let response = try await client!.send(localRequest(server))
        var iterator = response.body.makeAsyncIterator()
        #expect(try await iterator.next()?.text == "data: first\n\n")
        client = nil
        #expect(await upstreamError { () async throws(UpstreamError) in try await iterator.next() } == .shutdown)
        #expect(await closed.wait() == true)
    }

    @Test(arguments: Transport.allCases) func httpsIsSpokenWithTLS(_ transport: Transport) async throws {
        // A plain-HTTP server answers the TLS ClientHello with text: the handshake must fail as `.tls`,
        // proving https goes through libcurl's TLS and is not silently downgraded.
        let server = try TestServer { connection in
            connection.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        }
        defer { server.stop() }
        let client = try transport.client()
        let request = UpstreamRequest(url: "https://127.0.0.1:\(server.port)/", addressPolicy: .allowingPrivate)
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        guard case .tls = error else {
            Issue.record("expected tls, got \(String(describing: error))")
            return
        }
    }
}
