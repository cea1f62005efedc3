import Testing
@testable import UpstreamHTTP

/// The native transport's response parser, fed bytes without sockets: framing, 1xx heads,
/// every split point, and a table of malformed responses.
@Suite struct ResponseParserTests {
    /// What a parser made of a whole response fed in pieces of `step` bytes.
    private struct Outcome: Equatable {
        var status: Int?
        var headers: [String] = []
        var body = ""
        var complete = false
        var reusable = false
        var framing: ResponseParser.Framing?
    }

    private static func run(_ text: String, head: Bool = false, step: Int = .max, eof: Bool = false) throws -> Outcome {
        let bytes = Array(text.utf8)
        var parser = ResponseParser(isHEADRequest: head)
        var outcome = Outcome()
        var offset = 0
        while offset < bytes.count && !parser.isComplete {
            let piece = Array(bytes[offset..<min(bytes.count, offset + max(1, min(step, bytes.count)))])
            offset += piece.count
            var start = 0
            try piece.withUnsafeBytes { buffer in
                while start < buffer.count && !parser.isComplete {
                    let (consumed, event) = try parser.parse(buffer, start..<buffer.count)
                    switch event {
                    case .needMore: break
                    case .head:
                        outcome.status = parser.head?.status
                        outcome.headers = parser.head?.fields.all.map { "\($0.name)=\($0.value)" } ?? []
                        outcome.framing = parser.framing
                    case .body(let range):
                        outcome.body += String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
                    }
                    if consumed == 0 { break }
                    start += consumed
                }
            }
        }
        if eof { _ = try parser.endOfInput() }
        outcome.complete = parser.isComplete
        outcome.reusable = parser.allowsReuse
        return outcome
    }

    static let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
        + "5;name=value\r\nhello\r\n6 ; a=\"b\"\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"

    @Test(arguments: [1, 2, 3, 7, 1000])
    func chunkedWithExtensionsAndTrailersAtEverySplit(step: Int) throws {
        let outcome = try Self.run(Self.chunked, step: step)
        #expect(outcome.status == 200)
        #expect(outcome.headers == ["Transfer-Encoding=chunked", "X-A=1"])
        #expect(outcome.body == "hello world0123456789")
        #expect(outcome.complete && outcome.reusable)
    }

    @Test func informationalHeadsAreSkipped() throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let outcome = try Self.run(text, step: 5)
        #expect(outcome.status == 200)
        #expect(outcome.headers == ["Content-Length=2"])
        #expect(outcome.body == "ok")
        #expect(outcome.complete && outcome.reusable)
    }

    @Test func framingByStatusMethodAndHeaders() throws {
        #expect(try Self.run("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", head: true).framing == ResponseParser.Framing.none)
        #expect(try Self.run("HTTP/1.1 204 No Content\r\n\r\n").complete)
        #expect(try Self.run("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").complete)
        #expect(try Self.run("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").reusable)
        #expect(try Self.run("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc").body == "abc")
        let untilClose = try Self.run("HTTP/1.1 200 OK\r\n\r\nabc", eof: true)
        #expect(untilClose.body == "abc" && untilClose.complete && !untilClose.reusable)
        #expect(try !Self.run("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx").reusable)
        #expect(try !Self.run("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").reusable)
        #expect(try Self.run("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx").reusable)
        #expect(try Self.run("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx").status == 200)
    }

    @Test(arguments: [
        ("bad status line", "HTTP/1.1 20 OK\r\n\r\n"),
        ("not HTTP", "ICY 200 OK\r\n\r\n"),
        ("HTTP/2 status line", "HTTP/2 200\r\n\r\n"),
        ("status out of range", "HTTP/1.1 600 X\r\n\r\n"),
        ("control in reason", "HTTP/1.1 200 O\u{1}K\r\n\r\n"),
        ("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
        ("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ("signed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n"),
        ("chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n"),
        ("chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd"),
        ("CL with letters", "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n"),
        ("CL negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
        ("CL overflow", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
        ("conflicting CLs", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
        ("conflicting CL list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n"),
        ("TE and CL", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"),
        ("unknown TE", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        ("TE in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("NUL in header", "HTTP/1.1 200 OK\r\nX-A: a\u{0}b\r\nContent-Length: 0\r\n\r\n"),
        ("CR in header", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n"),
        ("obs-fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"),
        ("space before colon", "HTTP/1.1 200 OK\r\nX-A : a\r\n\r\n"),
        ("bad header name", "HTTP/1.1 200 OK\r\nX(A): a\r\n\r\n"),
        ("no colon", "HTTP/1.1 200 OK\r\nX-A\r\n\r\n"),
        ("101", "HTTP/1.1 101 Switching Protocols\r\n\r\n"),
        ("header too big", "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"),
        ("too many headers", "HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: 1\r\n", count: 201) + "\r\n"),
        ("bad trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n"),
    ])
    func malformedResponsesAreRejected(_ name: String, _ text: String) {
        for step in [1, 4096] {
            #expect(throws: ResponseParseError.self, "\(name), step \(step)") { try Self.run(text, step: step) }
        }
    }

    @Test func endOfInputBeforeTheEndIsAnError() {
        #expect(throws: ResponseParseError.emptyReply) { try Self.run("", eof: true) }
        #expect(throws: ResponseParseError.truncated) { try Self.run("HTTP/1.1 200 OK\r\n", eof: true) }
        #expect(throws: ResponseParseError.truncated) { try Self.run("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", eof: true) }
        #expect(throws: ResponseParseError.truncated) { try Self.run(Self.chunked.replacingOccurrences(of: "0\r\nX-Trailer: t\r\n\r\n", with: ""), eof: true) }
    }
}
