import Testing
import UpstreamHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Refused connections, resets mid-body and oversize responses as typed errors.
@Suite(.timeLimit(.minutes(1)))
struct FailureTests {
    @Test(arguments: Transport.allCases) func connectionRefused(_ transport: Transport) async throws {
        // A bound socket that does not listen: the kernel answers SYN with RST, and nobody can take the port meanwhile.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length); return getsockname(fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let client = try transport.client()
        let request = UpstreamRequest(url: "http://127.0.0.1:\(port)/", addressPolicy: .allowingPrivate)
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        guard case .connectFailed = error else {
            Issue.record("expected connectFailed, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: Transport.allCases) func resetMidBodyFailsTheBody(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            connection.write([UInt8](repeating: 65, count: 1000))
            usleep(50_000)
            connection.reset()
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server))
        var received = 0
        let error = await upstreamError { () async throws(UpstreamError) in
            for try await chunk in response.body { received += chunk.count }
        }
        guard case .transport = error else {
            Issue.record("expected transport error, got \(String(describing: error))")
            return
        }
        #expect(received == 1000)
    }

    @Test(arguments: Transport.allCases) func resetBeforeTheHeadFailsSend(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.reset()
        }
        defer { server.stop() }
        let client = try transport.client()
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(localRequest(server)) }
        guard case .transport = error else {
            Issue.record("expected transport error, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: Transport.allCases) func streamedBodyOverTheCapFails(_ transport: Transport) async throws {
        let closed = AsyncValue<Bool>()
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.writeChunkedHead()
            let block = [UInt8](repeating: 66, count: 64 << 10)
            for _ in 0..<64 where connection.writeChunk(block) {}
            closed.set(connection.waitForPeerClose(timeout: 5))
        }
        defer { server.stop() }
        let client = try transport.client()
        let response = try await client.send(localRequest(server, maxResponseBytes: 1 << 20))
        var received = 0
        let error = await upstreamError { () async throws(UpstreamError) in
            for try await chunk in response.body { received += chunk.count }
        }
        #expect(error == .responseTooLarge(limit: 1 << 20))
        #expect(received <= 1 << 20)
        #expect(await closed.wait() == true)
    }

    @Test(arguments: Transport.allCases) func declaredLengthOverTheCapFailsSend(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n")
            _ = connection.waitForPeerClose(timeout: 5)
        }
        defer { server.stop() }
        let client = try transport.client()
        let error = await upstreamError { () async throws(UpstreamError) in
            try await client.send(localRequest(server, maxResponseBytes: 1 << 20))
        }
        #expect(error == .responseTooLarge(limit: 1 << 20))
    }
}
