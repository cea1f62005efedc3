import Testing
import Translators
@testable import Router

/// Secrets an attempt sent upstream never reach the client through upstream error text.
struct SecretRedactorTests {
    static let key = "sk-live-0123456789"

    @Test(arguments: [
        ("invalid key sk-live-0123456789", "invalid key [redacted]"),
        ("sk-live-0123456789", "[redacted]"),
        ("a sk-live-0123456789 b sk-live-0123456789", "a [redacted] b [redacted]"),
        ("no secret here", "no secret here"),
        ("sk-live-012345678", "sk-live-012345678"),  // a prefix is not the secret
        ("", ""),
        ("org-header-value-7 and sk-live-0123456789", "[redacted] and [redacted]"),
    ])
    func redactsEveryOccurrence(_ input: String, _ expected: String) {
        let redactor = SecretRedactor([Self.key, "org-header-value-7", "short"])
        #expect(String(decoding: redactor.redact(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test func valuesUnderEightBytesAreLeftAlone() {
        // "Bearer" or a 4-character header value would otherwise blank ordinary words.
        let redactor = SecretRedactor(["short", "abc"])
        #expect(redactor.redact(Array("a short abc text".utf8)) == Array("a short abc text".utf8))
    }

    @Test func errorsAndErrorEventsAreRedacted() {
        let redactor = SecretRedactor([Self.key])
        let error = GatewayError(kind: .authentication, message: "Incorrect API key provided: \(Self.key).", status: 401, code: "invalid_api_key")
        let redacted = redactor.redact(error)
        #expect(redacted.message == "Incorrect API key provided: [redacted].")
        #expect(redacted.status == 401 && redacted.code == "invalid_api_key")
        guard case .error(let fromEvent) = redactor.redact(StreamEvent.error(error)) else {
            Issue.record("not an error event")
            return
        }
        #expect(fromEvent.message == redacted.message)
    }
}
