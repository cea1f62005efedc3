/// Cuts relayed SSE bytes at event boundaries: what `complete(_:)` returns always ends with the
/// blank line that closes an event, and a partial event waits for the rest. An error event that
/// Switchyard appends after an upstream broke off mid-event therefore never merges into the
/// half-relayed one (a client's SSE parser would join them into one unreadable event).
struct SSEEventBoundary: Sendable {
    private var held: [UInt8] = []
    /// The last byte ended a line (a terminator now ends an empty line, closing an event).
    private var atLineStart = true
    /// The last byte was a CR: an LF now completes a CRLF rather than ending another line.
    private var afterCR = false

    /// The complete events among what was held and `bytes`; the rest is kept for the next call.
    mutating func complete(_ bytes: [UInt8]) -> [UInt8] {
        var boundary: Int?
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\n") where afterCR:
                afterCR = false
                if boundary == offset { boundary = offset + 1 }  // the LF of an empty line's CRLF
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if atLineStart { boundary = offset + 1 }
                atLineStart = true
                afterCR = byte == UInt8(ascii: "\r")
            default:
                atLineStart = false
                afterCR = false
            }
        }
        guard let boundary else {
            held += bytes
            return []
        }
        var out = held
        held = []
        out += bytes[..<boundary]
        held += bytes[boundary...]
        return out
    }

    /// What is held, given up: the stream ended (complete, or about to get an error event instead).
    mutating func remainder() -> [UInt8] {
        defer { held = [] }
        return held
    }
}
