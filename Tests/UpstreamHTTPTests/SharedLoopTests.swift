#if canImport(Glibc)
import Glibc
#endif
import Reactor
import Testing
import UpstreamHTTP

/// A client on the servers' event loops: a request sent from a task on a loop runs on that
/// loop's thread from start to end, callers off the loops are served too, and the client can
/// outlive its loops.
@Suite(.timeLimit(.minutes(1)))
struct SharedLoopTests {
    private static func streamingServer() throws -> TestServer {
        try TestServer { connection in
            while connection.readRequest() != nil {
                connection.writeChunkedHead(headers: ["Content-Type: text/event-stream"])
                for i in 0..<3 { connection.writeChunk("data: \(i)\n\n") }
                connection.endChunks()
            }
        }
    }

    private static var thread: UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    @Test func aRequestFromALoopTaskNeverLeavesThatLoopsThread() async throws {
        let server = try Self.streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: 2, name: "sy-test")
        defer { group.shutdown() }
        let client = try UpstreamClient(loops: group)
        var loopThreads: Set<UInt> = []
        for loop in group.loops {
            let seen = try await Task(executorPreference: loop) { () async throws -> [UInt] in
                var seen = [Self.thread]
                let response = try await client.send(localRequest(server))
                // The task would come back to its loop anyway; curl must have run there too.
                #expect(response.loopIndex == loop.index)
                seen.append(Self.thread)
                var text = ""
                for try await chunk in response.body {
                    text += chunk.text
                    seen.append(Self.thread)
                }
                #expect(text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
                return seen
            }.value
            #expect(seen.count >= 3)
            #expect(Set(seen).count == 1, "the request changed threads")
            loopThreads.formUnion(seen)
        }
        #expect(loopThreads.count == 2, "each loop served its own request")
    }

    @Test func callersOffTheLoopsAreServed() async throws {
        let server = try Self.streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: 2, name: "sy-test")
        defer { group.shutdown() }
        let client = try UpstreamClient(loops: group)
        for _ in 0..<4 {
            let response = try await client.send(localRequest(server))
            #expect(try await response.body.collect().text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
        }
    }

    /// A host name goes through curl's resolver (a helper thread signalling through a socket
    /// that the loop watches like any other), not just literal addresses.
    @Test func aHostNameIsResolvedOnTheLoop() async throws {
        let server = try Self.streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: 1, name: "sy-test")
        defer { group.shutdown() }
        let client = try UpstreamClient(loops: group)
        let request = UpstreamRequest(url: "http://localhost:\(server.port)/", timeouts: localRequest(server).timeouts,
                                      addressPolicy: .allowingPrivate)
        let text = try await Task(executorPreference: group.loops[0]) { () async throws -> String in
            try await client.send(request).body.collect().text
        }.value
        #expect(text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
    }

    @Test func aClientOutlivingItsLoopsShutsDownAndRefusesNewRequests() async throws {
        let server = try Self.streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: 1, name: "sy-test")
        var client: UpstreamClient? = try UpstreamClient(loops: group)
        let response = try await client!.send(localRequest(server))
        #expect(try await response.body.collect().count > 0)
        group.shutdown()
        let error = await upstreamError { () async throws(UpstreamError) in try await client!.send(localRequest(server)) }
        #expect(error != nil)
        client = nil  // must not wait for the stopped loop
    }
}
