import Testing
import Synchronization
import UpstreamHTTP

/// A slow reader of a large fast stream pauses the transfer instead of growing memory.
@Suite(.timeLimit(.minutes(1)))
struct BackpressureTests {
    @Test(arguments: Transport.allCases, [false, true])
    func aSlowReaderKeepsBufferingBounded(_ transport: Transport, chunked: Bool) async throws {
        // Far more than loopback socket buffers hold (tcp_rmem + tcp_wmem maxima, ~10 MiB here).
        let total = 64 << 20
        let written = Atomic<Int>(0)
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            if chunked {
                connection.writeChunkedHead()
            } else {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: \(total)\r\n\r\n")
            }
            // 64 KiB blocks of a 251-periodic pattern: every block starts where the previous ended.
            let pattern = (0..<(64 << 10) + 251).map { UInt8($0 % 251) }
            var offset = 0
            while offset < total {
                let phase = offset % 251
                let block = Array(pattern[phase..<(phase + (64 << 10))])
                guard chunked ? connection.writeChunk(block) : connection.write(block) else { return }
                offset += 64 << 10
                written.store(offset, ordering: .releasing)
            }
            if chunked { connection.endChunks() }
        }
        defer { server.stop() }
        let capacity = 128 << 10
        let client = try transport.client(bufferCapacity: capacity)
        let response = try await client.send(localRequest(server))
        var iterator = response.body.makeAsyncIterator()
        let first = try #require(try await iterator.next())

        // The reader stalls: curl must pause, the kernel buffers fill, the server blocks.
        try await Task.sleep(for: .milliseconds(400))
        let stalledWritten = written.load(ordering: .acquiring)
        #expect(stalledWritten < total / 2, "server wrote \(stalledWritten) bytes while the reader stalled")
        #expect(response.body.bufferedBytes.peak <= capacity + (16 << 10))

        // Then it reads everything, in order, at its own pace.
        var count = first.count
        var mismatch = false
        while let chunk = try await iterator.next() {
            // Spot checks: per-byte checks of 64 MiB would dominate a debug build's run time.
            if chunk.first != UInt8(truncatingIfNeeded: count % 251)
                || chunk.last != UInt8(truncatingIfNeeded: (count + chunk.count - 1) % 251) {
                mismatch = true
            }
            count += chunk.count
        }
        #expect(count == total)
        #expect(!mismatch)
        #expect(response.body.bufferedBytes.peak <= capacity + (16 << 10))
    }

    @Test(arguments: Transport.allCases) func aPausedTransferIsNotIdle(_ transport: Transport) async throws {
        // The reader stalls far longer than the idle limit; the transfer is paused meanwhile,
        // which is the reader's doing, not the upstream's, so the stream must survive.
        let total = 4 << 20
        let server = try TestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: \(total)\r\n\r\n")
            connection.write([UInt8](repeating: 7, count: total))
        }
        defer { server.stop() }
        let client = try transport.client(bufferCapacity: 64 << 10)
        let timeouts = UpstreamTimeouts(connect: .seconds(2), firstByte: .seconds(5), idle: .milliseconds(300), total: .seconds(20))
        let response = try await client.send(localRequest(server, timeouts: timeouts))
        var iterator = response.body.makeAsyncIterator()
        var count = try #require(try await iterator.next()).count
        try await Task.sleep(for: .milliseconds(900))
        while let chunk = try await iterator.next() { count += chunk.count }
        #expect(count == total)
    }
}
