import HTTPCore
import Testing

/// One parser input and what must come of it.
struct ParserCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    /// Number of complete requests expected before the end or the error.
    let requests: Int
    /// The error status, or nil when every byte must parse cleanly.
    let status: Int?
    var testDescription: String { name }
}

private let h = "Host: x\r\n"

let parserCases: [ParserCase] = [
    // Valid forms.
    .init(name: "simple GET", input: "GET / HTTP/1.1\r\n\(h)\r\n", requests: 1, status: nil),
    .init(name: "content-length body", input: "POST /v1/messages HTTP/1.1\r\n\(h)Content-Length: 5\r\n\r\nhello", requests: 1, status: nil),
    .init(name: "chunked body with extension and trailer", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n", requests: 1, status: nil),
    .init(name: "chunked upper-case hex", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", requests: 1, status: nil),
    .init(name: "three pipelined", input: String(repeating: "GET /a HTTP/1.1\r\n\(h)\r\n", count: 3), requests: 3, status: nil),
    .init(name: "identical repeated content-length", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 2\r\nContent-Length: 2\r\n\r\nok", requests: 1, status: nil),
    .init(name: "content-length list of equal values", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 2,\t2 , 2\r\n\r\nok", requests: 1, status: nil),
    .init(name: "http/1.0 without host", input: "GET / HTTP/1.0\r\n\r\n", requests: 1, status: nil),
    .init(name: "leading empty line tolerated", input: "\r\nGET / HTTP/1.1\r\n\(h)\r\n", requests: 1, status: nil),
    .init(name: "absolute form", input: "GET http://x/v1/models?a=1 HTTP/1.1\r\n\(h)\r\n", requests: 1, status: nil),
    .init(name: "obs-text in value", input: "GET / HTTP/1.1\r\n\(h)X-A: caf\u{e9}\r\n\r\n", requests: 1, status: nil),
    .init(name: "expect continue", input: "POST / HTTP/1.1\r\n\(h)Expect: 100-continue\r\nContent-Length: 1\r\n\r\nx", requests: 1, status: nil),
    .init(name: "incomplete head is not an error", input: "GET / HTTP/1.1\r\nHo", requests: 0, status: nil),

    // Smuggling and framing errors: 400.
    .init(name: "CL and TE", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "TE and CL", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "conflicting CL", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", requests: 0, status: 400),
    .init(name: "conflicting CL list", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 5, 6\r\n\r\nhello!", requests: 0, status: 400),
    .init(name: "signed CL", input: "POST / HTTP/1.1\r\n\(h)Content-Length: +5\r\n\r\nhello", requests: 0, status: 400),
    .init(name: "hex CL", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 0x5\r\n\r\nhello", requests: 0, status: 400),
    .init(name: "empty CL", input: "POST / HTTP/1.1\r\n\(h)Content-Length: \r\n\r\n", requests: 0, status: 400),
    .init(name: "CL list with an empty item", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 2,,2\r\n\r\nok", requests: 0, status: 400),
    .init(name: "CL list with a trailing comma", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 2,\r\n\r\nok", requests: 0, status: 400),
    .init(name: "CL with a non-ASCII digit", input: "POST / HTTP/1.1\r\n\(h)Content-Length: \u{0662}\r\n\r\nok", requests: 0, status: 400),
    .init(name: "CL of 19 digits", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 1000000000000000000\r\n\r\n", requests: 0, status: 413),
    .init(name: "CL with inner space", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 1 2\r\n\r\n", requests: 0, status: 400),
    .init(name: "chunked then gzip", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked, gzip\r\n\r\n", requests: 0, status: 400),
    .init(name: "chunked twice", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", requests: 0, status: 400),
    .init(name: "TE in HTTP/1.0", input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "TE with vertical tab", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding:\u{0B}chunked\r\n\r\n", requests: 0, status: 400),
    .init(name: "space before colon", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding : chunked\r\n\r\n", requests: 0, status: 400),
    .init(name: "obs-fold", input: "GET / HTTP/1.1\r\n\(h)X-A: a\r\n b\r\n\r\n", requests: 0, status: 400),
    .init(name: "bare LF in head", input: "GET / HTTP/1.1\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "bare LF ending head", input: "GET / HTTP/1.1\r\n\(h)\n", requests: 0, status: 400),
    .init(name: "bare CR", input: "GET / HTTP/1.1\r\nX-A: a\rb\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "NUL in value", input: "GET / HTTP/1.1\r\n\(h)X-A: a\u{0}b\r\n\r\n", requests: 0, status: 400),
    .init(name: "NUL in target", input: "GET /\u{0} HTTP/1.1\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "control char in value", input: "GET / HTTP/1.1\r\n\(h)X-A: a\u{7F}\r\n\r\n", requests: 0, status: 400),
    .init(name: "invalid method token", input: "G(T / HTTP/1.1\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "invalid header name", input: "GET / HTTP/1.1\r\n\(h)X A: b\r\n\r\n", requests: 0, status: 400),
    .init(name: "empty header name", input: "GET / HTTP/1.1\r\n\(h): b\r\n\r\n", requests: 0, status: 400),
    .init(name: "double space in request line", input: "GET  / HTTP/1.1\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "missing version", input: "GET /\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "lowercase version", input: "GET / http/1.1\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "missing host", input: "GET / HTTP/1.1\r\n\r\n", requests: 0, status: 400),
    .init(name: "two hosts", input: "GET / HTTP/1.1\r\n\(h)\(h)\r\n", requests: 0, status: 400),
    .init(name: "host with space and path", input: "GET / HTTP/1.1\r\nHost: a b/../\r\n\r\n", requests: 0, status: 400),
    .init(name: "host with userinfo", input: "GET / HTTP/1.1\r\nHost: u@x\r\n\r\n", requests: 0, status: 400),
    .init(name: "host with bad port", input: "GET / HTTP/1.1\r\nHost: x:8o\r\n\r\n", requests: 0, status: 400),
    .init(name: "host with unclosed literal", input: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", requests: 0, status: 400),
    .init(name: "hosts of every form", input: "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nGET / HTTP/1.1\r\nHost: [::1]:443\r\n\r\n"
          + "GET / HTTP/1.1\r\nHost: api.example-1.com\r\n\r\nGET / HTTP/1.1\r\nHost:\r\n\r\n", requests: 4, status: nil),
    .init(name: "authority form", input: "CONNECT x:443 HTTP/1.1\r\n\(h)\r\n", requests: 0, status: 400),
    .init(name: "bad chunk size", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\nz\r\n", requests: 0, status: 400),
    .init(name: "chunk size with space", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "negative chunk size", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n-5\r\n", requests: 0, status: 400),
    .init(name: "overflowing chunk size", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", requests: 0, status: 400),
    .init(name: "chunk data too long", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "chunk size bare LF", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n", requests: 0, status: 400),
    .init(name: "trailer obs-fold", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n", requests: 0, status: 400),
    .init(name: "error after a good pipelined request", input: "GET / HTTP/1.1\r\n\(h)\r\nGET / HTTP/1.1\n\(h)\r\n", requests: 1, status: 400),

    // Other statuses.
    .init(name: "gzip transfer coding", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip\r\n\r\n", requests: 0, status: 501),
    .init(name: "HTTP/2.0 line", input: "GET / HTTP/2.0\r\n\(h)\r\n", requests: 0, status: 505),
    .init(name: "unknown expectation", input: "POST / HTTP/1.1\r\n\(h)Expect: teapot\r\nContent-Length: 1\r\n\r\nx", requests: 0, status: 417),
    .init(name: "CL over limit", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 1025\r\n\r\n", requests: 0, status: 413),
    .init(name: "CL absurdly large", input: "POST / HTTP/1.1\r\n\(h)Content-Length: 99999999999999999999999\r\n\r\n", requests: 0, status: 413),
    .init(name: "chunked over limit", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n400\r\n\(String(repeating: "a", count: 1024))\r\n1\r\na\r\n0\r\n\r\n", requests: 0, status: 413),
    .init(name: "too many headers", input: "GET / HTTP/1.1\r\n\(h)" + String(repeating: "X-A: b\r\n", count: 20) + "\r\n", requests: 0, status: 431),
    .init(name: "header block too large", input: "GET / HTTP/1.1\r\n\(h)X-A: " + String(repeating: "b", count: 3000) + "\r\n\r\n", requests: 0, status: 431),
    .init(name: "unterminated huge header", input: "GET / HTTP/1.1\r\nX-A: " + String(repeating: "b", count: 3000), requests: 0, status: 431),
    // Found by the fuzzer: a bare CR as the last byte inside the limit must not be judged by
    // the byte after it, which only some splits have seen.
    .init(name: "bare CR at the header limit", input: "GET / HTTP/1.1\r\nX-A: " + String(repeating: "b", count: 2048 - 22) + "\rxx\r\n\r\n",
          requests: 0, status: 431),
    .init(name: "folded trailer before the trailers end", input: "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n0;\r\n 1\r\n",
          requests: 0, status: 400),
    .init(name: "request line over the limit", input: "GET /" + String(repeating: "a", count: 3000) + " HTTP/1.1\r\n\(h)\r\n", requests: 0, status: 414),
]

private let testLimits = RequestParser.Limits(maxHeaderBytes: 2048, maxHeaderCount: 16, maxBodyBytes: 1024)

@Suite struct RequestParserTests {
    @Test(arguments: parserCases)
    func wholeInput(_ testCase: ParserCase) {
        let outcome = parse(testCase.input.bytes, limits: testLimits)
        #expect(outcome.requests.count == testCase.requests)
        #expect(outcome.errorStatus == testCase.status)
    }

    @Test(arguments: parserCases)
    func oneByteAtATimeGivesTheSameOutcome(_ testCase: ParserCase) {
        let bytes = testCase.input.bytes
        let whole = parse(bytes, limits: testLimits)
        let byByte = parse(bytes, pieces: Array(repeating: 1, count: bytes.count), limits: testLimits)
        #expect(byByte == whole)
    }

    @Test(arguments: parserCases)
    func randomSplitsGiveTheSameOutcome(_ testCase: ParserCase) {
        let bytes = testCase.input.bytes
        let whole = parse(bytes, limits: testLimits)
        var splits = SplitGenerator(state: UInt64(bytes.count) &* 2654435761)
        for _ in 0..<20 {
            #expect(parse(bytes, pieces: splits.pieces(total: bytes.count), limits: testLimits) == whole)
        }
    }

    @Test func bodiesAndKeepAliveAreReported() {
        let input = "POST /a HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            + "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            + "GET /c HTTP/1.1\r\n\(h)Connection: close\r\n\r\n"
            + "GET /d HTTP/1.0\r\n\r\n"
        let outcome = parse(input.bytes)
        #expect(outcome.errorStatus == nil)
        #expect(outcome.requests.map(\.target) == ["/a", "/b", "/c", "/d"])
        #expect(outcome.requests[0].body == "hello world".bytes)
        #expect(outcome.requests.map(\.keepAlive) == [true, true, false, false])
    }

    @Test func connectionTokensAreListItemsInAnyCase() {
        let input = "GET /a HTTP/1.0\r\nConnection: TE, Keep-Alive\r\n\r\n"
            + "GET /b HTTP/1.0\r\nConnection: keep-alive ,\tCLOSE\r\n\r\n"
            + "GET /c HTTP/1.0\r\nConnection: keep-alives\r\n\r\n"
            + "GET /d HTTP/1.1\r\n\(h)Connection: upgrade, Close\r\n\r\n"
            + "GET /e HTTP/1.1\r\n\(h)Connection: closed\r\n\r\n"
        let outcome = parse(input.bytes)
        #expect(outcome.errorStatus == nil)
        #expect(outcome.requests.map(\.keepAlive) == [true, false, false, false, true])
    }

    @Test func absoluteFormBecomesOriginForm() {
        let outcome = parse("GET http://x/v1/models?a=1 HTTP/1.1\r\n\(h)\r\n".bytes)
        #expect(outcome.requests.first?.target == "/v1/models?a=1")
    }

    @Test func headerValuesAreTrimmedAndOrdered() throws {
        var parser = RequestParser()
        let step = try parser.next("GET / HTTP/1.1\r\nHost: x\r\nX-A:  one \t\r\nx-a: two\r\n\r\n".bytes)
        guard case .head(let head) = step.event else {
            Issue.record("no head")
            return
        }
        #expect(head.headers.values("X-A") == ["one", "two"])
        #expect(head.headers["HOST"] == "x")
    }

    @Test func contentLengthOverLimitFailsBeforeAnyBodyByte() {
        var parser = RequestParser(limits: testLimits)
        #expect(throws: HTTPParseError.bodyTooLarge) {
            try parser.next("POST / HTTP/1.1\r\n\(h)Content-Length: 5000\r\n\r\n".bytes)
        }
    }

    @Test func failedParserStaysFailed() {
        var parser = RequestParser()
        #expect(throws: HTTPParseError.self) { try parser.next("GET / HTTP/1.1\n\r\n".bytes) }
        #expect(throws: HTTPParseError.self) { try parser.next("GET / HTTP/1.1\r\n\(h)\r\n".bytes) }
    }
}
