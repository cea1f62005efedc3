/// Incrementally splits a streamed JSON array of objects (Gemini without `alt=sse`) into the
/// bytes of each element, without buffering more than the current element.
public struct JSONArrayStreamSplitter: Sendable {
    private enum State: Sendable { case beforeArray, betweenElements, inElement, afterArray }

    private var state = State.beforeArray
    private var element: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var offset = 0

    public init() {}

    /// Whether the closing `]` was seen.
    public var isComplete: Bool { state == .afterArray }

    /// Consumes `bytes` and returns each element they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [[UInt8]] {
        if let elements = try bytes.withContiguousStorageIfAvailable({ try feed(buffer: $0) }) { return elements }
        return try Array(bytes).withUnsafeBufferPointer { try feed(buffer: $0) }
    }

    /// Consumes raw bytes and returns each element they complete.
    public mutating func feed(buffer: UnsafeBufferPointer<UInt8>) throws -> [[UInt8]] {
        var elements: [[UInt8]] = []
        for byte in buffer {
            defer { offset += 1 }
            switch state {
            case .beforeArray:
                if isWhitespace(byte) || (offset == 0 && byte == 0xEF) { continue }
                if byte == 0xBB || byte == 0xBF, offset < 3 { continue }
                guard byte == UInt8(ascii: "[") else { throw unexpected(byte, "expected '['") }
                state = .betweenElements
            case .betweenElements:
                if isWhitespace(byte) || byte == UInt8(ascii: ",") { continue }
                if byte == UInt8(ascii: "]") { state = .afterArray; continue }
                guard byte == UInt8(ascii: "{") else { throw unexpected(byte, "expected an object") }
                state = .inElement
                element.removeAll(keepingCapacity: true)
                element.append(byte)
                depth = 1
            case .inElement:
                element.append(byte)
                if element.count > SSEParser.maximumLineLength {
                    throw TranslationError.invalidStream("stream element longer than \(SSEParser.maximumLineLength) bytes")
                }
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        elements.append(element)
                        state = .betweenElements
                    }
                default: break
                }
            case .afterArray:
                if isWhitespace(byte) { continue }
                throw unexpected(byte, "data after the closing ']'")
            }
        }
        return elements
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func unexpected(_ byte: UInt8, _ message: String) -> TranslationError {
        .invalidStream("\(message) at byte \(offset) of the JSON array stream (found 0x\(String(byte, radix: 16)))")
    }
}
