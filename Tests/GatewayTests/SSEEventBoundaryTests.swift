import Testing
@testable import Router

@Suite struct SSEEventBoundaryTests {
    /// Chunks in, what is relayed after each: only through the last blank line so far.
    @Test(arguments: [
        (["data: a\n\n"], ["data: a\n\n"]),
        (["data: a\n", "\ndata: b"], ["", "data: a\n\n"]),
        (["data: a\r\n\r\ndata: b\r\n", "\r\n"], ["data: a\r\n\r\n", "data: b\r\n\r\n"]),
        (["data: a\r\r", "data: b\r", "\r"], ["data: a\r\r", "", "data: b\r\r"]),
        (["event: x\ndata: {\"unterminated\":", "\nnot a field\r"], ["", ""]),
        (["data: a\n\ndata: b\n\nda", "ta: c\n\n"], ["data: a\n\ndata: b\n\n", "data: c\n\n"]),
        (["\n", "data: a\n\n"], ["\n", "data: a\n\n"]),
    ])
    func relaysWholeEventsOnly(_ chunks: [String], _ relayed: [String]) {
        var boundary = SSEEventBoundary()
        #expect(chunks.map { String(decoding: boundary.complete(Array($0.utf8)), as: UTF8.self) } == relayed)
    }

    @Test func theRemainderIsWhatFollowsTheLastBlankLine() {
        var boundary = SSEEventBoundary()
        _ = boundary.complete(Array("data: a\n\n: trailing comment".utf8))
        #expect(boundary.remainder() == Array(": trailing comment".utf8))
        #expect(boundary.remainder().isEmpty)
    }
}
