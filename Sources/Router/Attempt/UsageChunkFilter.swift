import JSON
import Translators

/// Relays an OpenAI SSE stream byte for byte except the usage-only chunk (`"choices": []`) that
/// Switchyard asked for on the client's behalf (`stream_options.include_usage`), which a client
/// that did not ask for it must not see. Everything else passes as the upstream framed it:
/// keep-alive comments (OpenRouter's), `event:` and `id:` lines, CRLF line ends.
struct UsageChunkFilter: Sendable {
    private var boundary = SSEEventBoundary()
    /// The usage chunk just dropped ended with a CR whose LF is still to come, in the next bytes.
    private var droppedCR = false

    /// The whole events among what came so far and `bytes`, without the usage-only one.
    mutating func filter(_ bytes: [UInt8]) -> [UInt8] {
        withoutUsage(boundary.complete(bytes))
    }

    /// What is held when the stream ends (an event without its closing blank line).
    mutating func remainder() -> [UInt8] {
        withoutUsage(boundary.remainder())
    }

    private mutating func withoutUsage(_ events: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.count)
        for event in Self.split(events) {
            if droppedCR, event.elementsEqual([UInt8(ascii: "\n")]) {
                droppedCR = false
                continue
            }
            droppedCR = false
            if Self.isUsageOnly(Self.data(of: event)) {
                droppedCR = event.last == UInt8(ascii: "\r")
                continue
            }
            out += event
        }
        return out
    }

    /// `bytes` cut after each blank line (the end of an event; LF, CRLF or CR line ends).
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var events: [ArraySlice<UInt8>] = []
        var start = 0, lineStart = 0, offset = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                offset += 1
                continue
            }
            var end = offset + 1
            if byte == UInt8(ascii: "\r"), end < bytes.count, bytes[end] == UInt8(ascii: "\n") { end += 1 }
            if offset == lineStart {
                events.append(bytes[start..<end])
                start = end
            }
            lineStart = end
            offset = end
        }
        if start < bytes.count { events.append(bytes[start...]) }
        return events
    }

    /// An event's `data:` lines joined by LF, as the SSE standard has it.
    static func data(of event: ArraySlice<UInt8>) -> [UInt8] {
        var data: [UInt8] = []
        var first = true
        for line in event.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) where line.starts(with: dataField) {
            var value = line.dropFirst(dataField.count)
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            if !first { data.append(UInt8(ascii: "\n")) }
            data += value
            first = false
        }
        return data
    }

    private static let dataField = Array("data:".utf8)

    static func isUsageOnly(_ data: [UInt8]) -> Bool {
        guard data.first == UInt8(ascii: "{"), let choices = try? JSONScan.topLevelValue(in: data, key: "choices") else { return false }
        return choices.array?.isEmpty == true
    }
}
