import JSON
import Translators

/// Relays an OpenAI SSE stream unchanged except for the usage-only chunk (`"choices": []`) that
/// Switchyard asked for on the client's behalf (`stream_options.include_usage`), which a client
/// that did not ask for it must not see. Event payloads pass byte for byte; only SSE framing is
/// normalised to `data: …\n\n`.
struct UsageChunkFilter: Sendable {
    private var parser = SSEParser()

    mutating func filter(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        for event in try parser.feed(bytes) where !Self.isUsageOnly(event.data) {
            out += Self.prefix
            out += event.data
            out += Self.separator
        }
        return out
    }

    private static let prefix = Array("data: ".utf8)
    private static let separator: [UInt8] = [10, 10]

    static func isUsageOnly(_ data: [UInt8]) -> Bool {
        guard data.first == UInt8(ascii: "{"), let choices = try? JSONScan.topLevelValue(in: data, key: "choices") else { return false }
        return choices.array?.isEmpty == true
    }
}
