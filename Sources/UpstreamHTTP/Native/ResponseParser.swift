/// A strict HTTP/1.1 response parser (RFC 9112): a value-type state machine fed raw bytes.
///
/// Each `parse` call consumes a prefix of the bytes it is given and reports one event: the final
/// head (1xx heads are skipped), a range of decoded body bytes inside the given buffer (no copy),
/// or "need more". Anything outside the grammar (bare LF or CR, obs-fold, control characters,
/// bad tokens, conflicting or malformed framing, oversize heads) is a `ResponseParseError`; the
/// connection is then unusable. No I/O.
struct ResponseParser {
    /// What a `parse` call produced.
    enum Event: Equatable {
        /// Every given byte was consumed without completing anything.
        case needMore
        /// The final (non-1xx) head is complete.
        case head
        /// Decoded body bytes: this range of the given buffer.
        case body(Range<Int>)
    }

    /// How the body of the final response is delimited (RFC 9112 §6.3).
    enum Framing: Equatable {
        /// No body (HEAD, 204, 304).
        case none
        /// Exactly this many bytes.
        case length(Int)
        /// Chunked transfer coding.
        case chunked
        /// Until the server closes the connection.
        case untilClose
    }

    private enum State {
        /// Collecting a status line.
        case statusLine
        /// Collecting header lines of the head in progress.
        case headerLines
        /// Fixed-length body with this many bytes left.
        case fixedBody(remaining: Int)
        /// Collecting a chunk-size line.
        case chunkSize
        /// Inside a chunk with this many bytes left.
        case chunkData(remaining: Int)
        /// Expecting the CR (then the LF) that ends a chunk's data.
        case chunkDataCR
        case chunkDataLF
        /// Collecting trailer lines (discarded).
        case trailers
        /// Body runs until the connection closes.
        case untilClose
        /// The response is complete.
        case done
    }

    /// Limits on one head (and, separately, on the trailers).
    static let maxHeadBytes = 64 << 10
    static let maxHeadLines = 200
    static let maxChunkLineBytes = 4096

    private var state = State.statusLine
    private let isHEADRequest: Bool
    /// The line being collected, without its line ending; reused from line to line.
    private var line: [UInt8] = []
    /// Bytes and lines of the current head (or trailer section) so far.
    private var blockBytes = 0
    private var blockLines = 0

    // The head in progress.
    private var status = 0
    private var minorVersion = 1
    private var fields = ResponseHeaderFields()
    private var contentLength: Int?
    private var sawTransferEncoding = false
    private var chunkedCoding = false
    private var connectionClose = false
    private var connectionKeepAlive = false

    /// The final head, once `parse` reported `.head`.
    private(set) var head: ResponseHead?
    /// The final head's body framing.
    private(set) var framing = Framing.none
    /// Whether any response byte was received (a failure before that may be retried).
    private(set) var receivedAnyByte = false

    init(isHEADRequest: Bool) {
        self.isHEADRequest = isHEADRequest
        line.reserveCapacity(256)
    }

    /// Whether the whole response has been read.
    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Whether the connection may carry another request after this response (checked once complete).
    var allowsReuse: Bool {
        guard isComplete, framing != .untilClose, !connectionClose else { return false }
        return minorVersion == 1 || connectionKeepAlive
    }

    /// The connection reached EOF: true when that completes the response (until-close body),
    /// false when the response was already complete; throws when it cuts the response short.
    mutating func endOfInput() throws(ResponseParseError) -> Bool {
        switch state {
        case .done: return false
        case .untilClose:
            state = .done
            return true
        case .statusLine where !receivedAnyByte: throw .emptyReply
        default: throw .truncated
        }
    }

    /// Consumes bytes from `buffer[range]`; returns how many and what they completed.
    mutating func parse(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) throws(ResponseParseError) -> (consumed: Int, event: Event) {
        guard !range.isEmpty else { return (0, .needMore) }
        receivedAnyByte = true
        var index = range.lowerBound
        while index < range.upperBound {
            switch state {
            case .statusLine, .headerLines, .chunkSize, .trailers:
                guard let lineEnd = try collectLine(buffer, from: index, to: range.upperBound) else {
                    return (range.upperBound - range.lowerBound, .needMore)
                }
                index = lineEnd
                if try completeLine() { return (index - range.lowerBound, .head) }
                if isComplete { return (index - range.lowerBound, .needMore) }
            case .fixedBody(let remaining):
                let count = min(remaining, range.upperBound - index)
                state = remaining == count ? .done : .fixedBody(remaining: remaining - count)
                return (index + count - range.lowerBound, .body(index..<(index + count)))
            case .chunkData(let remaining):
                let count = min(remaining, range.upperBound - index)
                state = remaining == count ? .chunkDataCR : .chunkData(remaining: remaining - count)
                return (index + count - range.lowerBound, .body(index..<(index + count)))
            case .chunkDataCR:
                guard buffer[index] == 0x0D else { throw .malformed("chunk data not followed by CRLF") }
                index += 1
                state = .chunkDataLF
            case .chunkDataLF:
                guard buffer[index] == 0x0A else { throw .malformed("chunk data not followed by CRLF") }
                index += 1
                state = .chunkSize
            case .untilClose:
                return (range.upperBound - range.lowerBound, .body(index..<range.upperBound))
            case .done:
                // Left unconsumed: the caller sees bytes after the end and does not reuse the connection.
                return (index - range.lowerBound, .needMore)
            }
        }
        return (index - range.lowerBound, .needMore)
    }

    // MARK: lines

    /// Appends bytes up to the next LF to `line`; returns the index after the LF, or nil when
    /// the buffer ended first. Enforces CRLF endings and the size limits.
    private mutating func collectLine(_ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int) throws(ResponseParseError) -> Int? {
        var index = start
        while index < end && buffer[index] != 0x0A { index += 1 }
        let found = index < end
        let count = index - start + (found ? 1 : 0)
        let limit = isChunkSizeLine ? Self.maxChunkLineBytes : Self.maxHeadBytes
        blockBytes += count
        guard blockBytes <= limit else {
            throw .malformed(isChunkSizeLine ? "chunk-size line too long" : "response head larger than \(limit) bytes")
        }
        line.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<index]))
        guard found else { return nil }
        guard line.last == 0x0D else { throw .malformed("line not ended by CRLF") }
        line.removeLast()
        return index + 1
    }

    private var isChunkSizeLine: Bool {
        if case .chunkSize = state { return true }
        return false
    }

    /// Handles the collected line; true when it completed the final head.
    private mutating func completeLine() throws(ResponseParseError) -> Bool {
        defer { line.removeAll(keepingCapacity: true) }
        switch state {
        case .statusLine:
            try parseStatusLine()
            state = .headerLines
            blockLines = 1
            return false
        case .headerLines:
            if line.isEmpty { return try completeHead() }
            blockLines += 1
            guard blockLines <= Self.maxHeadLines else { throw .malformed("more than \(Self.maxHeadLines) header lines") }
            let (name, value) = try Self.field(line)
            interpret(name: name, value: value)
            fields.append(name: name, value: value)
            return false
        case .chunkSize:
            let size = try Self.chunkSize(line)
            blockBytes = 0
            if size == 0 {
                state = .trailers
                blockLines = 0
            } else {
                state = .chunkData(remaining: size)
            }
            return false
        case .trailers:
            if line.isEmpty {
                state = .done
                return false
            }
            blockLines += 1
            guard blockLines <= Self.maxHeadLines else { throw .malformed("more than \(Self.maxHeadLines) trailer lines") }
            _ = try Self.field(line)  // validated, then discarded
            return false
        default:
            return false
        }
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason-phrase]`.
    private mutating func parseStatusLine() throws(ResponseParseError) {
        let bad = ResponseParseError.malformed("bad status line")
        guard line.count >= 12, line.starts(with: "HTTP/1.".utf8), line[7] == 0x30 || line[7] == 0x31, line[8] == 0x20 else {
            throw bad
        }
        var code = 0
        for byte in line[9..<12] {
            guard byte >= 0x30 && byte <= 0x39 else { throw bad }
            code = code * 10 + Int(byte - 0x30)
        }
        guard (100...599).contains(code) else { throw bad }
        if line.count > 12 {
            guard line[12] == 0x20, line[13...].allSatisfy(HTTPToken.isFieldValueByte) else { throw bad }
        }
        status = code
        minorVersion = Int(line[7] - 0x30)
    }

    /// Splits and validates `field-name ":" OWS field-value OWS`.
    private static func field(_ line: [UInt8]) throws(ResponseParseError) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        if line[0] == 0x20 || line[0] == 0x09 { throw .malformed("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              line[..<colon].allSatisfy(HTTPToken.isTokenByte) else {
            throw .malformed("bad header name")
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        guard value.allSatisfy(HTTPToken.isFieldValueByte) else { throw .malformed("control character in a header value") }
        return (line[..<colon], value)
    }

    /// Notes the framing and connection headers as they pass.
    private mutating func interpret(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        if Self.equalsIgnoringCase(name, "content-length") {
            noteContentLength(value)
        } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
            // Only a lone `chunked` is supported; anything else fails at the end of the head.
            var count = 0, chunked = false
            Self.forEachElement(value) { element in
                count += 1
                chunked = Self.equalsIgnoringCase(element, "chunked")
            }
            chunkedCoding = !sawTransferEncoding && count == 1 && chunked
            sawTransferEncoding = true
        } else if Self.equalsIgnoringCase(name, "connection") {
            Self.forEachElement(value) { element in
                if Self.equalsIgnoringCase(element, "close") { connectionClose = true }
                if Self.equalsIgnoringCase(element, "keep-alive") { connectionKeepAlive = true }
            }
        }
    }

    /// Content-Length may repeat (in one field or several) only with the same value; -1 marks invalid.
    private mutating func noteContentLength(_ value: ArraySlice<UInt8>) {
        var count = 0
        Self.forEachElement(value) { element in
            count += 1
            var number = 0
            let valid = element.count <= 18 && element.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            if valid { for byte in element { number = number * 10 + Int(byte - 0x30) } }
            let parsed = valid ? number : -1
            if let known = contentLength, known != parsed { contentLength = -1 } else { contentLength = parsed }
        }
        if count == 0 { contentLength = -1 }
    }

    /// The final head decided: framing chosen, or a 1xx head skipped.
    private mutating func completeHead() throws(ResponseParseError) -> Bool {
        if status < 200 {
            // 101 would switch protocols, which was never asked for.
            guard status != 101 else { throw .malformed("unexpected 101 Switching Protocols") }
            resetHead()
            state = .statusLine
            return false
        }
        if contentLength == -1 { throw .malformed("invalid or conflicting Content-Length") }
        if sawTransferEncoding {
            // Both framings at once is a request-smuggling pattern: refused, never guessed.
            guard contentLength == nil else { throw .malformed("both Transfer-Encoding and Content-Length") }
            guard chunkedCoding else { throw .malformed("unsupported Transfer-Encoding") }
            guard minorVersion == 1 else { throw .malformed("Transfer-Encoding in an HTTP/1.0 response") }
        }
        head = ResponseHead(status: status, fields: fields)
        fields = ResponseHeaderFields()
        blockBytes = 0
        if isHEADRequest || status == 204 || status == 304 {
            framing = .none
            state = .done
        } else if chunkedCoding {
            framing = .chunked
            state = .chunkSize
        } else if let contentLength {
            framing = .length(contentLength)
            state = contentLength == 0 ? .done : .fixedBody(remaining: contentLength)
        } else {
            framing = .untilClose
            state = .untilClose
        }
        return true
    }

    private mutating func resetHead() {
        fields = ResponseHeaderFields()
        contentLength = nil
        sawTransferEncoding = false
        chunkedCoding = false
        connectionClose = false
        connectionKeepAlive = false
    }

    /// `chunk-size [BWS ";" chunk-ext]`: hex digits, extensions ignored but free of control characters.
    private static func chunkSize(_ line: [UInt8]) throws(ResponseParseError) -> Int {
        var size = 0
        var index = 0
        while index < line.count, let digit = hexValue(line[index]) {
            guard size <= (Int.max >> 4) else { throw .malformed("chunk size overflows") }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { throw .malformed("bad chunk size") }
        var rest = line[index...]
        while let first = rest.first, first == 0x20 || first == 0x09 { rest = rest.dropFirst() }
        guard rest.isEmpty || (rest.first == UInt8(ascii: ";") && rest.allSatisfy(HTTPToken.isFieldValueByte)) else {
            throw .malformed("bad chunk size")
        }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Calls `body` with each non-empty element of a comma-separated list, OWS trimmed (no allocation).
    private static func forEachElement(_ value: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        var rest = value[...]
        while !rest.isEmpty {
            let comma = rest.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            var element = rest[..<comma]
            rest = comma < rest.endIndex ? rest[(comma + 1)...] : rest[rest.endIndex...]
            while let first = element.first, first == 0x20 || first == 0x09 { element = element.dropFirst() }
            while let last = element.last, last == 0x20 || last == 0x09 { element = element.dropLast() }
            if !element.isEmpty { body(element) }
        }
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { byte, want in
            byte == want || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == want)
        }
    }
}

/// Why a response could not be parsed; the connection is closed after any of these.
enum ResponseParseError: Error, Equatable {
    /// The response broke the HTTP/1.1 grammar or a limit.
    case malformed(String)
    /// The connection closed before any response byte.
    case emptyReply
    /// The connection closed in the middle of the response.
    case truncated
}
