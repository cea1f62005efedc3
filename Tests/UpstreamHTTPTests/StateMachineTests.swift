import Testing
@testable import UpstreamHTTP

/// The pure pieces, fed events without sockets or clocks.
struct StateMachineTests {
    private func feed(_ parser: inout ResponseHeadParser, _ line: String) -> ResponseHead? {
        Array(line.utf8).withUnsafeBufferPointer { parser.feed($0) }
    }

    @Test func headParserSkipsInformationalHeadsAndTrailers() {
        var parser = ResponseHeadParser()
        let lines = ["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 200 OK\r\n", "Content-Type: text/event-stream\r\n",
                     "X-Folded: a\r\n", " b\r\n", "Empty:\r\n"]
        for line in lines { #expect(feed(&parser, line) == nil) }
        let head = feed(&parser, "\r\n")
        #expect(head?.status == 200)
        #expect(head?.fields.all.map(\.name) == ["Content-Type", "X-Folded", "Empty"])
        #expect(head?.fields.all.map(\.value) == ["text/event-stream", "a b", ""])
        #expect(feed(&parser, "Trailer: x\r\n") == nil)
        #expect(feed(&parser, "\r\n") == nil)
    }

    @Test func deadlinesAdvanceByPhase() {
        let ms: UInt64 = 1_000_000
        var d = TransferDeadlines(timeouts: UpstreamTimeouts(connect: .milliseconds(50), firstByte: .milliseconds(100),
                                                             idle: .milliseconds(20), total: .milliseconds(1000)),
                                  startedAt: 0)
        #expect(d.expired(at: 500 * ms) == nil)        // connecting: only total (curl enforces connect)
        #expect(d.nextDeadline == 1000 * ms)
        d.requestSent(at: 10 * ms)
        #expect(d.expired(at: 109 * ms) == nil)
        #expect(d.expired(at: 110 * ms) == .firstByte)
        d.received(at: 50 * ms)
        #expect(d.expired(at: 69 * ms) == nil)
        #expect(d.expired(at: 70 * ms) == .idle)
        d.paused()
        #expect(d.expired(at: 900 * ms) == nil)        // a slow reader is not an idle upstream
        d.resumed(at: 900 * ms)
        #expect(d.expired(at: 919 * ms) == nil)
        #expect(d.expired(at: 920 * ms) == .idle)
        #expect(d.expired(at: 1000 * ms) == .total)
    }

    @Test func stateBuffersPausesAndAsksForUnpause() throws {
        var state = TransferState(capacity: 10)
        #expect(state.headArrived(ResponseHead(status: 200, fields: ResponseHeaderFields())).resumeHead == nil)
        #expect(state.chunkArrived([1, 2, 3, 4, 5, 6]).0 == .accept)
        #expect(state.chunkArrived([7, 8, 9, 10]).0 == .accept)
        #expect(state.chunkArrived([11]).0 == .pause)     // full: curl keeps the bytes and pauses
        #expect(state.paused)
        let (first, e1) = state.pollChunk()
        #expect(try first?.get() == [1, 2, 3, 4, 5, 6])
        #expect(e1.unpause)                               // 4 bytes left <= low water (5)
        let (_, e2) = state.pollChunk()
        #expect(!e2.unpause)                              // asked once
        state.unpausing()
        #expect(state.chunkArrived([11]).0 == .accept)
        #expect(state.finished(nil).resumeBody == nil)
        #expect(try state.pollChunk().0?.get() == [11])
        #expect(try state.pollChunk().0?.get() == .some(nil))
        #expect(state.highWater == 10)
    }

    @Test func cancelEndsTheStreamOnceAndAborts() throws {
        var state = TransferState(capacity: 10)
        _ = state.headArrived(ResponseHead(status: 200, fields: ResponseHeaderFields()))
        _ = state.chunkArrived([1])
        #expect(state.cancel().abort)
        #expect(!state.cancel().abort)
        #expect(state.chunkArrived([2]).0 == .abort)
        guard case .failure(.cancelled) = state.pollChunk().0 else {
            Issue.record("expected cancelled")
            return
        }
        #expect(try state.pollChunk().0?.get() == .some(nil))
    }

    @Test func failureBeforeTheHeadIsKeptForSend() {
        var state = TransferState(capacity: 10)
        _ = state.finished(.timeout(.firstByte))
        #expect(!state.cancel().abort)
    }
}

extension StateMachineTests {
    @Test func cancelAfterACompleteButUnreadBodyIsNotACleanEnd() {
        var state = TransferState(capacity: 10)
        _ = state.headArrived(ResponseHead(status: 200, fields: ResponseHeaderFields()))
        _ = state.chunkArrived([1])
        _ = state.finished(nil)
        #expect(!state.cancel().abort)
        guard case .failure(.cancelled) = state.pollChunk().0 else {
            Issue.record("expected cancelled")
            return
        }
    }
}
