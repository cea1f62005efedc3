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

    private static let streamText = "data: 0\n\ndata: 1\n\ndata: 2\n\n"

    private static var thread: UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `body` with a streaming server and a client on a group of `threads` loops.
    private static func withSharedClient(loops threads: Int, transport: Transport,
                                         _ body: (TestServer, EventLoopGroup, UpstreamClient) async throws -> Void) async throws {
        let server = try streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: threads, name: "sy-test")
        defer { group.shutdown() }
        try await body(server, group, try UpstreamClient(configuration: transport.configuration(), loops: group))
    }

    @Test(arguments: Transport.allCases)
    func aRequestFromALoopTaskNeverLeavesThatLoopsThread(_ transport: Transport) async throws {
        try await Self.withSharedClient(loops: 2, transport: transport) { server, group, client in
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
                    #expect(text == Self.streamText)
                    return seen
                }.value
                #expect(seen.count >= 3)
                #expect(Set(seen).count == 1, "the request changed threads")
                loopThreads.formUnion(seen)
            }
            #expect(loopThreads.count == 2, "each loop served its own request")
        }
    }

    @Test(arguments: Transport.allCases)
    func callersOffTheLoopsAreServed(_ transport: Transport) async throws {
        try await Self.withSharedClient(loops: 2, transport: transport) { server, _, client in
            for _ in 0..<4 {
                let response = try await client.send(localRequest(server))
                #expect(try await response.body.collect().text == Self.streamText)
            }
        }
    }

    /// A host name goes through curl's resolver (a helper thread signalling through a socket
    /// that the loop watches like any other), not just literal addresses. (Curl only: the
    /// native transport takes `localhost` itself, tested below.)
    @Test func aHostNameIsResolvedOnTheLoop() async throws {
        try await Self.withSharedClient(loops: 1, transport: .curl) { server, group, client in
            let request = UpstreamRequest(url: "http://localhost:\(server.port)/", timeouts: localRequest(server).timeouts,
                                          addressPolicy: .allowingPrivate)
            let text = try await Task(executorPreference: group.loops[0]) { () async throws -> String in
                try await client.send(request).body.collect().text
            }.value
            #expect(text == Self.streamText)
        }
    }

    /// The native transport serves `localhost` itself (127.0.0.1 first), on the caller's loop.
    @Test func localhostGoesNativeOnTheLoop() async throws {
        try await Self.withSharedClient(loops: 1, transport: .native) { server, group, client in
            let request = UpstreamRequest(url: "http://localhost:\(server.port)/x?y=1", timeouts: localRequest(server).timeouts,
                                          addressPolicy: .allowingPrivate)
            let text = try await Task(executorPreference: group.loops[0]) { () async throws -> String in
                try await client.send(request).body.collect().text
            }.value
            #expect(text == Self.streamText)
        }
    }

    @Test(arguments: Transport.allCases)
    func aClientOutlivingItsLoopsShutsDownAndRefusesNewRequests(_ transport: Transport) async throws {
        let server = try Self.streamingServer()
        defer { server.stop() }
        let group = try EventLoopGroup(threads: 1, name: "sy-test")
        var client: UpstreamClient? = try UpstreamClient(configuration: transport.configuration(), loops: group)
        let response = try await client!.send(localRequest(server))
        #expect(try await response.body.collect().count > 0)
        group.shutdown()
        let error = await upstreamError { () async throws(UpstreamError) in try await client!.send(localRequest(server)) }
        #expect(error == .shutdown)
        client = nil  // must not wait for the stopped loop
    }
}
