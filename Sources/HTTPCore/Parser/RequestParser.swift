/// An incremental, strict HTTP/1.1 request parser: bytes in, events out.
///
/// The caller keeps unconsumed bytes and offers them again with whatever arrived since;
/// `next` never looks at a byte twice when scanning a head. Every framing ambiguity that
/// enables request smuggling is an error, so a request that reaches a handler was framed
/// exactly one way.
public struct RequestParser: Sendable {
    /// Size limits enforced while parsing.
    public struct Limits: Sendable, Equatable {
        public var maxHeaderBytes: Int
        public var maxHeaderCount: Int
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 32 * 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// What the parser found in the bytes offered.
    public enum Event: Sendable, Equatable {
        /// A complete request head.
        case head(RequestHead)
        /// Body bytes: the range of the offered buffer that holds them.
        case body(Range<Int>)
        /// The current request is complete.
        case end
    }

    /// The result of one `next` call: how many offered bytes were used, and the event if any.
    public struct Step: Equatable {
        public var consumed: Int
        public var event: Event?
    }

    private enum State: Sendable {
        case head(scanned: Int)
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(scanned: Int)
        case endPending
        case failed
    }

    /// The longest chunk-size line accepted (size, extensions and CRLF).
    static let maxChunkLineBytes = 4096

    public let limits: Limits
    private var state: State = .head(scanned: 0)
    private var bodyBytes = 0
    private var emptyLinesSkipped = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether the parser is between requests (no partial request consumed).
    public var isIdle: Bool {
        if case .head(let scanned) = state { return scanned == 0 }
        return false
    }

    /// Parses from `input`; a `nil` event with `consumed == 0` means more bytes are needed.
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        do throws(HTTPParseError) {
            return try step(input)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Convenience for byte arrays.
    public mutating func next(_ input: [UInt8]) throws(HTTPParseError) -> Step {
        let result = input.withUnsafeBytes { buffer in Result { () throws(HTTPParseError) -> Step in try next(buffer) } }
        return try result.get()
    }

    private mutating func step(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        switch state {
        case .failed:
            throw .badRequest("parser already failed")
        case .endPending:
            state = .head(scanned: 0)
            return Step(consumed: 0, event: .end)
        case .head(let scanned):
            return try parseHead(input, scanned: scanned)
        case .fixedBody(let remaining):
            guard !input.isEmpty else { return Step(consumed: 0, event: nil) }
            let take = min(remaining, input.count)
            state = take == remaining ? .endPending : .fixedBody(remaining: remaining - take)
            return Step(consumed: take, event: .body(0..<take))
        case .chunkSize:
            return try parseChunkSize(input)
        case .chunkData(let remaining):
            guard !input.isEmpty else { return Step(consumed: 0, event: nil) }
            let take = min(remaining, input.count)
            state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            return Step(consumed: take, event: .body(0..<take))
        case .chunkDataEnd:
            guard input.count >= 2 else {
                if input.count == 1 && input[0] != Ascii.cr { throw .badRequest("chunk data not followed by CRLF") }
                return Step(consumed: 0, event: nil)
            }
            guard input[0] == Ascii.cr, input[1] == Ascii.lf else { throw .badRequest("chunk data not followed by CRLF") }
            state = .chunkSize
            return Step(consumed: 2, event: nil)
        case .trailers(let scanned):
            return try parseTrailers(input, scanned: scanned)
        }
    }

    // MARK: Head

    private mutating func parseHead(_ input: UnsafeRawBufferPointer, scanned: Int) throws(HTTPParseError) -> Step {
        // Tolerate a few empty lines before a request line (RFC 9112 §2.2), never bare LFs.
        if input.count >= 2, input[0] == Ascii.cr, input[1] == Ascii.lf {
            emptyLinesSkipped += 1
            guard emptyLinesSkipped <= 4 else { throw .badRequest("too many empty lines before the request line") }
            state = .head(scanned: 0)
            return Step(consumed: 2, event: nil)
        }
        guard let end = try HeadScanner.findEnd(input, from: scanned, limit: limits.maxHeaderBytes) else {
            state = .head(scanned: input.count)
            if input.count >= limits.maxHeaderBytes {
                // No line end at all yet: the request line alone is over the limit.
                if !input.prefix(limits.maxHeaderBytes).contains(Ascii.lf) { throw .uriTooLong }
                throw .headerTooLarge("header block over \(limits.maxHeaderBytes) bytes")
            }
            return Step(consumed: 0, event: nil)
        }
        let head = try HeadScanner.parse(UnsafeRawBufferPointer(rebasing: input[0..<end]), limits: limits)
        bodyBytes = 0
        emptyLinesSkipped = 0
        switch head.framing {
        case .none, .length(0):
            state = .endPending
        case .length(let length):
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
        return Step(consumed: end, event: .head(head))
    }

    // MARK: Chunked body

    private mutating func parseChunkSize(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        guard let lineEnd = try HeadScanner.findLineEnd(input, limit: Self.maxChunkLineBytes) else {
            if input.count >= Self.maxChunkLineBytes { throw .badRequest("chunk size line too long") }
            return Step(consumed: 0, event: nil)
        }
        var size = 0
        var digits = 0
        var index = 0
        while index < lineEnd - 2, let value = Ascii.hexValue(input[index]) {
            digits += 1
            guard digits <= 15 else { throw .badRequest("chunk size too large") }
            size = size << 4 | value
            index += 1
        }
        guard digits > 0 else { throw .badRequest("malformed chunk size") }
        if index < lineEnd - 2 {
            // Only `;extension` may follow the size; no whitespace or other bytes.
            guard input[index] == Ascii.semicolon else { throw .badRequest("malformed chunk size") }
            for i in (index + 1)..<(lineEnd - 2) where !Ascii.isFieldValueByte(input[i]) {
                throw .badRequest("invalid byte in chunk extension")
            }
        }
        if size == 0 {
            state = .trailers(scanned: 0)
            return Step(consumed: lineEnd, event: nil)
        }
        bodyBytes += size
        guard bodyBytes <= limits.maxBodyBytes else { throw .bodyTooLarge }
        state = .chunkData(remaining: size)
        return Step(consumed: lineEnd, event: nil)
    }

    private mutating func parseTrailers(_ input: UnsafeRawBufferPointer, scanned: Int) throws(HTTPParseError) -> Step {
        // An immediate CRLF ends a body without trailers.
        if input.count >= 2, input[0] == Ascii.cr, input[1] == Ascii.lf {
            state = .head(scanned: 0)
            return Step(consumed: 2, event: .end)
        }
        guard let end = try HeadScanner.findEnd(input, from: scanned, limit: limits.maxHeaderBytes) else {
            // Judged on the first byte whenever it is there, so every split gives the same answer.
            if let first = input.first, first != Ascii.cr { try HeadScanner.validateTrailerStart(first) }
            state = .trailers(scanned: input.count)
            if input.count >= limits.maxHeaderBytes { throw .headerTooLarge("trailer section too large") }
            return Step(consumed: 0, event: nil)
        }
        // Trailers are validated like header fields and then discarded.
        _ = try HeadScanner.parseFieldLines(UnsafeRawBufferPointer(rebasing: input[0..<end]), limits: limits)
        state = .head(scanned: 0)
        return Step(consumed: end, event: .end)
    }
}
