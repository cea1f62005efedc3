/// One server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, if any.
    public var event: String?
    /// The `data:` lines joined by `\n`, as UTF-8 bytes.
    public var data: [UInt8]
    /// The `id:` field, if any.
    public var id: String?

    public init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// The data as text.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// Incremental SSE framing (WHATWG event-stream rules): bytes in at any split — inside a UTF-8
/// character or between CR and LF — complete events out.
public struct SSEParser: Sendable {
    /// Longest line accepted before the stream is declared invalid.
    public static let maximumLineLength = 16 << 20

    private var line: [UInt8] = []
    private var afterCR = false
    private var atStart = true
    private var eventName: String?
    private var eventID: String?
    private var data: [UInt8] = []
    private var hasData = false

    public init() {}

    /// Consumes `bytes` and returns the events they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [SSEEvent] {
        if let events = try bytes.withContiguousStorageIfAvailable({ try feed(buffer: $0) }) { return events }
        return try Array(bytes).withUnsafeBufferPointer { try feed(buffer: $0) }
    }

    /// Consumes raw bytes and returns the events they complete.
    public mutating func feed(buffer: UnsafeBufferPointer<UInt8>) throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        var index = 0
        let count = buffer.count
        while index < count {
            if afterCR {
                afterCR = false
                if buffer[index] == 0x0A { index += 1; continue }
            }
            var end = index
            while end < count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
            if end > index {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                if line.count > SSEParser.maximumLineLength {
                    throw TranslationError.invalidStream("SSE line longer than \(SSEParser.maximumLineLength) bytes")
                }
            }
            guard end < count else { break }
            afterCR = buffer[end] == 0x0D
            processLine(into: &events)
            index = end + 1
        }
        return events
    }

    /// Ends the stream: a final line without terminator and a final event without blank line
    /// are delivered (lenient towards servers that close right after the last `data:`).
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty { processLine(into: &events) }
        dispatch(into: &events)
        return events
    }

    private mutating func processLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        var valueStart = colon < line.count ? colon + 1 : colon
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let name = line[0..<colon]
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            eventName = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            eventID = String(decoding: value, as: UTF8.self)
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        if hasData {
            events.append(SSEEvent(event: eventName, data: data, id: eventID))
        }
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventName = nil
    }
}
