import Testing
import UpstreamHTTP

/// Cancelling the task, calling cancel(), or dropping the response closes the upstream connection at once.
@Suite(.timeLimit(.minutes(1)))
struct CancellationTests {
    /// A server that streams one chunk and then waits for the client to hang up; reports how long that took.
    private static func streamingServer(closedAfter: AsyncValue<Double?>) throws -> TestServer {
        try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            connection.writeChunk("data: first\n\n")
            let started = monotonicSeconds()
            let closed = connection.waitForPeerClose(timeout: 5)
            closedAfter.set(closed ? monotonicSeconds() - started : nil)
        }
    }

    /// Seconds within which the upstream must see its connection closed: "at once", with room
    /// for a 2-core machine running the process-level suites beside this one (a transfer that is
    /// never aborted fails it just the same).
    static let closeBound = 3.0

    @Test(arguments: Transport.allCases) func cancellingTheIteratingTaskClosesTheConnection(_ transport: Transport) async throws {
        let closedAfter = AsyncValue<Double?>()
        let server = try Self.streamingServer(closedAfter: closedAfter)
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        let gotFirst = AsyncValue<Bool>()
        let reader = Task {
            await upstreamError { () async throws(UpstreamError) in
                for try await _ in response.body { gotFirst.set(true) }
            }
        }
        #expect(await gotFirst.wait() == true)
        let cancelledAt = monotonicSeconds()
        reader.cancel()
        #expect(await reader.value == .cancelled)
        let closed = try #require(await closedAfter.wait())
        #expect(closed != nil)
        #expect(monotonicSeconds() - cancelledAt < Self.closeBound)
    }

    @Test(arguments: Transport.allCases) func cancelClosesTheConnection(_ transport: Transport) async throws {
        let closedAfter = AsyncValue<Double?>()
        let server = try Self.streamingServer(closedAfter: closedAfter)
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        var iterator = response.body.makeAsyncIterator()
        _ = try await iterator.next()
        response.cancel()
        #expect(await upstreamError { () async throws(UpstreamError) in try await iterator.next() } == .cancelled)
        #expect(try await iterator.next() == nil)
        let closed = try #require(await closedAfter.wait())
        #expect(closed.map { $0 < Self.closeBound } == true)
    }

    @Test(arguments: Transport.allCases) func droppingTheResponseClosesTheConnection(_ transport: Transport) async throws {
        let closedAfter = AsyncValue<Double?>()
        let server = try Self.streamingServer(closedAfter: closedAfter)
        defer { server.stop() }
        let client = try transport.client()
        do {
            let response = try await client.send(localRequest(server))
            #expect(response.status == 200)
        }
        let closed = try #require(await closedAfter.wait())
        #expect(closed.map { $0 < Self.closeBound } == true)
    }

    @Test(arguments: Transport.allCases) func cancellingSendBeforeTheHeadClosesTheConnection(_ transport: Transport) async throws {
        let requestSeen = AsyncValue<Bool>()
        let closed = AsyncValue<Bool>()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            requestSeen.set(true)
            closed.set(connection.waitForPeerClose(timeout: 5))
        }
        defer { server.stop() }
        let client = try transport.client()
        let sender = Task {
            await upstreamError { () async throws(UpstreamError) in try await client.send(localRequest(server)) }
        }
        #expect(await requestSeen.wait() == true)
        sender.cancel()
        #expect(await sender.value == .cancelled)
        #expect(await closed.wait(timeout: .seconds(2)) == true)
    }

    @Test(arguments: Transport.allCases) func anAlreadyCancelledTaskSendsNothing(_ transport: Transport) async throws {
        let server = try TestServer { connection in _ = connection.readRequest() }
        defer { server.stop() }
        let client = try transport.client()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await upstreamError { () async throws(UpstreamError) in try await client.send(localRequest(server)) }
        }
        #expect(await task.value == .cancelled)
        #expect(server.accepted == 0)
    }
}
