import Foundation
import Testing
@testable import Router

/// Retry-hint parsing (headers and bodies) and failure classification tables.
@Suite struct RetryHintTests {
    static let now = Moment.seconds(1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test(arguments: [
        // (retry-after-ms, Retry-After, body, expected ms)
        ("1500", nil, nil, 1500),
        ("250.4", nil, nil, 251),
        ("0", nil, nil, nil),  // zero: the backoff applies
        ("0", "7", nil, 7000),
        (nil, "Wed, 21 Oct 2015 07:28:00 GMT", nil, nil),  // now
        ("-5", "7", nil, 7000),
        ("abc", nil, nil, nil),
        (nil, "120", nil, 120_000),
        (nil, " 3 ", nil, 3000),
        (nil, "Wed, 21 Oct 2015 07:28:30 GMT", nil, 30_000),
        (nil, "Wednesday, 21-Oct-15 07:29:00 GMT", nil, 60_000),
        (nil, "Wed Oct 21 07:28:10 2015", nil, 10_000),
        (nil, "Wed, 21 Oct 2015 07:27:00 GMT", nil, nil),  // in the past
        (nil, "-1", nil, nil),
        (nil, "1e3", nil, nil),
        (nil, "soon", nil, nil),
        (nil, "Wed, 32 Oct 2015 07:28:30 GMT", nil, nil),
        (nil, "99999999999", nil, 21_600_000),  // clamped
        ("99999999999999999999", nil, nil, 21_600_000),
        (nil, nil, #"{"error":{"code":429,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12.5s"}]}}"#, 12_500),
        (nil, nil, #"{"error":{"details":[{"retryDelay":"3s"}]}}"#, 3000),
        (nil, nil, #"data: {"retryDelay": "0.250s"} (truncated"#, 250),
        (nil, nil, #"{"retryDelay":"-4s"}"#, nil),
        (nil, nil, #"{"retryDelay":"forever"}"#, nil),
        (nil, nil, #"{"retryDelay":"999999999s"}"#, 21_600_000),
        (nil, nil, "Too many requests", nil),
        ("2000", "9", #"{"retryDelay":"5s"}"#, 2000),  // precedence
        (nil, "9", #"{"retryDelay":"5s"}"#, 9000),
    ] as [(String?, String?, String?, Int64?)])
    func parse(_ ms: String?, _ after: String?, _ body: String?, _ expected: Int64?) {
        let headers = ["retry-after-ms": ms, "retry-after": after]
        let hint = RetryHint.parse(header: { headers[$0.lowercased()] ?? nil }, body: body, now: Self.now)
        #expect(hint == expected)
    }

    @Test func parsedJSONBody() throws {
        let json = try JSONSerialization.jsonObject(with: Data(#"{"error":{"details":[{"@type":"x"},{"retryDelay":"42s"}]}}"#.utf8))
        #expect(RetryHint.milliseconds(json: json) == 42_000)
        #expect(RetryHint.milliseconds(json: ["a": [1, 2]]) == nil)
    }

    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", Int64(784_111_777)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", Int64(784_111_777)),
        ("Sun Nov  6 08:49:37 1994", Int64(784_111_777)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Int64(0)),
        ("Tue, 29 Feb 2000 12:00:00 GMT", Int64(951_825_600)),
    ])
    func httpDate(_ text: String, _ seconds: Int64) {
        #expect(HTTPDate.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "06 Nov 1994"])
    func httpDateJunk(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test(arguments: [
        (429, nil, nil, FailureClass.quota),
        (401, nil, nil, .unauthorized),
        (402, nil, nil, .payment),
        (403, "permission_error", nil, .payment),
        (404, "not_found_error", nil, .modelNotFound),
        (400, "invalid_request_error", "model: claude-x is not supported", .modelUnsupported),
        (400, "invalid_request_error", "The model `gpt-9` does not exist", .modelUnsupported),
        (400, "INVALID_ARGUMENT", "models/gemini-9 is not found for API version v1beta", .modelUnsupported),
        (400, "invalid_request_error", "max_tokens: must be positive", .invalidRequest),
        (422, nil, "Unprocessable", .invalidRequest),
        (408, nil, nil, .transient),
        (500, nil, nil, .transient),
        (529, "overloaded_error", nil, .transient),
        (501, nil, nil, .transient),
        (409, nil, nil, .invalidRequest),
        (413, nil, nil, .invalidRequest),
    ] as [(Int, String?, String?, FailureClass)])
    func classify(_ status: Int, _ type: String?, _ message: String?, _ expected: FailureClass) {
        let failure = UpstreamFailure(status: status, errorType: type, message: message)
        #expect(failure.failureClass == expected)
        #expect(!failure.summary.contains(message ?? "\u{0}"))
    }

    @Test func transportIsTransient() {
        for kind in TransportErrorKind.allCases {
            #expect(UpstreamFailure(transport: kind).failureClass == .transient)
        }
        #expect(FailureClass.transient.failsOver(serverErrors: true))
        #expect(!FailureClass.transient.failsOver(serverErrors: false))
        #expect(!FailureClass.invalidRequest.failsOver(serverErrors: true))
    }
}
