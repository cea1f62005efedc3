import Testing
import UpstreamHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Each timeout fires on its own and surfaces as its own error.
@Suite(.timeLimit(.minutes(1)))
struct TimeoutTests {
    private static func timeouts(connect: Duration = .seconds(2), firstByte: Duration = .seconds(5),
                                 idle: Duration = .seconds(5), total: Duration = .seconds(20)) -> UpstreamTimeouts {
        UpstreamTimeouts(connect: connect, firstByte: firstByte, idle: idle, total: total)
    }

    @Test(arguments: Transport.allCases) func connectTimeoutAgainstAFullBacklog(_ transport: Transport) async throws {
        // A listener with backlog 0 whose queue is filled: the kernel drops further SYNs, so
        // connecting hangs on 127.0.0.1 without any traffic leaving the machine.
        let (listener, port) = try TestServer.listen(backlog: 0)
        defer { close(listener) }
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<3 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(fd)
        }
        try await Task.sleep(for: .milliseconds(50))  // let the handshakes fill the queue
        let client = try transport.client()
        let request = UpstreamRequest(url: "http://127.0.0.1:\(port)/", timeouts: Self.timeouts(connect: .milliseconds(300)),
                                      addressPolicy: .allowingPrivate)
        let started = monotonicSeconds()
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        #expect(error == .timeout(.connect))
        #expect(monotonicSeconds() - started < 3)
    }

    @Test(arguments: Transport.allCases) func firstByteTimeout(_ transport: Transport) async throws {
        let closed = AsyncValue<Bool>()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            closed.set(connection.waitForPeerClose(timeout: 5))
        }
        defer { server.stop() }
        let client = try transport.client()
        let started = monotonicSeconds()
        let error = await upstreamError { () async throws(UpstreamError) in
            try await client.send(localRequest(server, timeouts: Self.timeouts(firstByte: .milliseconds(200))))
        }
        #expect(error == .timeout(.firstByte))
        let elapsed = monotonicSeconds() - started
        #expect(elapsed >= 0.19 && elapsed < 3, "elapsed \(elapsed)")
        #expect(await closed.wait() == true)
    }

    @Test(arguments: Transport.allCases) func idleTimeoutBetweenChunks(_ transport: Transport) async throws {
        let closed = AsyncValue<Bool>()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            connection.writeChunk("data: first\n\n")
            closed.set(connection.waitForPeerClose(timeout: 5))
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server, timeouts: Self.timeouts(idle: .milliseconds(250))))
        var iterator = response.body.makeAsyncIterator()
        #expect(try await iterator.next()?.text == "data: first\n\n")
        let error = await upstreamError { () async throws(UpstreamError) in try await iterator.next() }
        #expect(error == .timeout(.idle))
        #expect(await closed.wait() == true)
    }

    @Test(arguments: Transport.allCases) func totalTimeoutCutsAStreamThatNeverIdles(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            while connection.writeChunk("data: tick\n\n") {
                usleep(20_000)
            }
        }
        defer { server.stop() }
        let client = try transport.client()
        let started = monotonicSeconds()
        let response = try await client.send(localRequest(server, timeouts: Self.timeouts(idle: .milliseconds(500),
                                                                                           total: .milliseconds(900))))
        var chunks = 0
        let error = await upstreamError { () async throws(UpstreamError) in
            for try await _ in response.body { chunks += 1 }
        }
        #expect(error == .timeout(.total))
        #expect(chunks > 5)
        let elapsed = monotonicSeconds() - started
        // Without a total timeout the stream would never end; the upper bound only catches a
        // deadline gone badly late, with room for a starved test process.
        #expect(elapsed >= 0.89 && elapsed < 8, "elapsed \(elapsed)")
    }

    @Test(arguments: Transport.allCases) func aSlowButSteadyStreamIsNotCut(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            for _ in 0..<8 {
                connection.writeChunk("data: tick\n\n")
                usleep(100_000)
            }
            connection.endChunks()
        }
        defer { server.stop() }
        let client = try transport.client()
        // Each gap (100 ms) is under the idle limit; the stream (800 ms) is longer than it.
        let response = try await client.send(localRequest(server, timeouts: Self.timeouts(idle: .milliseconds(600))))
        let body = try await response.body.collect()
        #expect(body.text == String(repeating: "data: tick\n\n", count: 8))
    }
}
