#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import TestSupport
import Synchronization
import Testing

private let host = "Host: t\r\n"

/// Streams `count` SSE events with `gapMs` between them, recording how the stream ended.
private func addStreamingRoutes(_ routes: inout HTTPRoutes, _ events: TestServer.Events) {
    routes.add("GET", "/stream/{count}/{gap}") { request in
        let count = Int(request.pathParameters["count"] ?? "") ?? 1
        let gap = Int(request.pathParameters["gap"] ?? "") ?? 0
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
            do {
                for i in 0..<count {
                    try await writer.write("data: \(i)\n\n")
                    if gap > 0 { try await Task.sleep(for: .milliseconds(gap)) }
                }
                events.record("stream-done")
            } catch {
                events.record("stream-ended-early")
                throw error
            }
        })
    }
}

/// A shared byte counter for the flood route.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

@Suite(.serialized) struct StreamingLiveTests {
    @Test func streamedEventsArriveAsChunksBeforeTheStreamEnds() async throws {
        let server = try await TestServer(routes: { addStreamingRoutes(&$0, $1) })
        let client = try RawClient(port: server.port)
        // Events a second apart: the first must arrive long before the second is even written.
        client.send("GET /stream/3/1000 HTTP/1.1\r\n\(host)\r\n")
        let start = ContinuousClock.now
        let first = client.read(until: "data: 0\n\n")
        #expect(ContinuousClock.now - start < .milliseconds(800))
        #expect(first.contains("Transfer-Encoding: chunked"))
        #expect(first.contains("Content-Type: text/event-stream"))
        let rest = client.read(until: "0\r\n\r\n")
        #expect((first + rest).contains("9\r\ndata: 2\n\n\r\n0\r\n\r\n"))
        #expect(await eventually { server.events.count("stream-done") == 1 })
        await server.stop()
    }

    @Test func clientDisconnectMidStreamCancelsTheHandler() async throws {
        let server = try await TestServer(routes: { addStreamingRoutes(&$0, $1) })
        do {
            let client = try RawClient(port: server.port)
            client.send("GET /stream/1000/20 HTTP/1.1\r\n\(host)\r\n")
            _ = client.read(until: "data: 1\n\n")
        }  // the client closes here
        let start = ContinuousClock.now
        #expect(await eventually(within: 3) { server.events.count("stream-ended-early") == 1 })
        #expect(ContinuousClock.now - start < .seconds(2))  // the stream had 20 s to go
        #expect(server.events.count("stream-done") == 0)
        await server.stop()
    }

    @Test func shutdownDrainsAnOpenStream() async throws {
        let server = try await TestServer(routes: { addStreamingRoutes(&$0, $1) })
        let client = try RawClient(port: server.port)
        client.send("GET /stream/10/50 HTTP/1.1\r\n\(host)\r\n")
        _ = client.read(until: "data: 0\n\n")
        let drained = Task { await server.server.shutdown(drainTimeout: 5) }
        let (text, closed) = client.readToEnd()
        #expect(text.contains("data: 9\n\n"))
        #expect(text.hasSuffix("0\r\n\r\n"))
        #expect(closed)
        await drained.value
        #expect(server.events.count("stream-done") == 1)
        // New connections are refused once draining began.
        #expect(throws: (any Error).self) { _ = try RawClient(port: server.port) }
        server.group.shutdown()
    }

    @Test func drainTimeoutCutsStreamsThatDoNotFinish() async throws {
        let server = try await TestServer(routes: { addStreamingRoutes(&$0, $1) })
        let client = try RawClient(port: server.port)
        client.send("GET /stream/1000/50 HTTP/1.1\r\n\(host)\r\n")
        _ = client.read(until: "data: 0\n\n")
        let start = ContinuousClock.now
        await server.server.shutdown(drainTimeout: 0.3)
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(client.isClosedByPeer())
        #expect(await eventually { server.events.count("stream-ended-early") == 1 })
        server.group.shutdown()
    }

    @Test func slowReaderSuspendsTheProducer() async throws {
        let counter = Counter()
        let server = try await TestServer({ $0.writeTimeout = 10 }, routes: { routes, events in
            routes.add("GET", "/flood") { _ in
                HTTPResponse(status: 200, body: .stream { writer in
                    let piece = [UInt8](repeating: 0x61, count: 16 * 1024)
                    for _ in 0..<2048 {  // 32 MiB if nobody pushed back
                        try await writer.write(piece)
                        counter.value.add(piece.count, ordering: .relaxed)
                    }
                    events.record("flood-done")
                })
            }
        })
        let client = try RawClient(port: server.port)
        var small: Int32 = 64 * 1024
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        client.send("GET /flood HTTP/1.1\r\n\(host)\r\n")
        // Wait until the producer stops advancing, then check it is far from done.
        var last = -1
        for _ in 0..<100 where last != counter.value.load(ordering: .relaxed) {
            last = counter.value.load(ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(last < 8 * 1024 * 1024)
        #expect(server.events.count("flood-done") == 0)
        // Reading everything lets the producer finish.
        let body = client.read(until: "0\r\n\r\n")
        #expect(body.hasSuffix("0\r\n\r\n"))
        #expect(await eventually { server.events.count("flood-done") == 1 })
        await server.stop()
    }

    @Test func clientThatStopsReadingIsCutAtTheWriteTimeout() async throws {
        let server = try await TestServer({ $0.writeTimeout = 0.3 }, routes: { routes, events in
            routes.add("GET", "/flood") { _ in
                HTTPResponse(status: 200, body: .stream { writer in
                    do {
                        for _ in 0..<100_000 { try await writer.write([UInt8](repeating: 0x61, count: 16 * 1024)) }
                    } catch {
                        events.record("cut")
                        throw error
                    }
                })
            }
        })
        let client = try RawClient(port: server.port)
        client.send("GET /flood HTTP/1.1\r\n\(host)\r\n")
        #expect(await eventually(within: 3) { server.events.count("cut") == 1 })
        #expect(await eventually { server.server.openConnections == 0 })
        await server.stop()
    }

    @Test func headRequestToStreamSendsNoBody() async throws {
        let server = try await TestServer(routes: { addStreamingRoutes(&$0, $1) })
        let client = try RawClient(port: server.port, receiveTimeout: 1)
        client.send("HEAD /echo/a HTTP/1.1\r\n\(host)\r\n")
        let text = client.read(until: "\r\n\r\n")
        #expect(text.contains("Content-Length: 12"))
        client.send("GET /echo/b HTTP/1.1\r\n\(host)\r\n")
        #expect(client.readResponses(1).first?.body == #"{"name":"b"}"#)
        await server.stop()
    }
}
