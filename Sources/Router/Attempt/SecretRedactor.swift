import Translators

/// Removes the secret values an attempt sent upstream (the credential's key or token, the
/// provider's static header values) from upstream error text before a client can see it:
/// providers echo keys back ("Incorrect API key provided: sk-…"), in error bodies and in
/// error events mid-stream alike.
struct SecretRedactor: Sendable {
    static let placeholder = "[redacted]"
    /// The values as given; prepared only when something is redacted (every attempt builds a
    /// redactor, few ever use it).
    private let values: [String]

    init(_ secrets: [String]) {
        values = secrets
    }

    /// Values of at least 8 bytes, longest first (shorter ones would match ordinary words).
    private var secrets: [[UInt8]] {
        Set(values.filter { $0.utf8.count >= 8 }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    func redact(_ error: GatewayError) -> GatewayError {
        var redacted = error
        redacted.message = String(decoding: redact(Array(error.message.utf8)), as: UTF8.self)
        return redacted
    }

    /// `bytes` with every occurrence of a secret replaced by the placeholder.
    func redact(_ bytes: [UInt8]) -> [UInt8] {
        var text = bytes
        for secret in secrets {
            text = Self.replacing(secret, in: text)
        }
        return text
    }

    private static func replacing(_ secret: [UInt8], in text: [UInt8]) -> [UInt8] {
        guard let first = secret.first, text.count >= secret.count else { return text }
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        let last = text.count - secret.count
        while index <= last {
            if text[index] == first && text[index..<index + secret.count].elementsEqual(secret) {
                if out.isEmpty { out.reserveCapacity(text.count) }
                out += text[copied..<index]
                out += placeholder.utf8
                index += secret.count
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        out += text[copied...]
        return out
    }
}
