/// Assigns canonical part indexes for upstreams whose streams carry no block boundaries
/// (OpenAI, Gemini): a text or thinking part stays open until content of another kind arrives.
/// Tool calls stay open together until the end (or an explicit `close`), as OpenAI-compatible
/// servers may interleave the argument fragments of parallel calls, and text with them (the
/// encoders order the parts).
struct PartSequencer: Sendable {
    /// The kind of an open part; tool calls are keyed by the upstream's own index.
    enum Kind: Equatable, Sendable {
        case text
        case thinking
        case tool(Int)
    }

    private(set) var nextIndex = 0
    /// The open text or thinking part.
    private(set) var open: (index: Int, kind: Kind)?
    /// Open tool calls in the order they started: upstream key → canonical index.
    private var openTools: [(key: Int, index: Int)] = []
    /// Upstream tool index → canonical index, for argument deltas.
    private(set) var toolIndexes: [Int: Int] = [:]

    /// Returns the index of the open part of `kind`, opening one (and closing others) if needed.
    mutating func ensure(_ kind: Kind, header: @autoclosure () -> PartHeader, into events: inout [StreamEvent]) -> Int {
        if case .tool(let key) = kind {
            if let tool = openTools.first(where: { $0.key == key }) { return tool.index }
            closeOpen(into: &events)
            let index = take()
            openTools.append((key, index))
            toolIndexes[key] = index
            events.append(.partStart(index: index, header()))
            return index
        }
        if let open, open.kind == kind { return open.index }
        // Open tool calls stay open: their remaining argument fragments may still come.
        closeOpen(into: &events)
        let index = take()
        open = (index, kind)
        events.append(.partStart(index: index, header()))
        return index
    }

    /// The canonical index of tool call `key` while it is open.
    func openTool(_ key: Int) -> Int? { openTools.first { $0.key == key }?.index }

    /// The open text or thinking part's kind, if any.
    var openKind: Kind? { open?.kind }

    /// Closes every open part.
    mutating func close(into events: inout [StreamEvent]) {
        closeOpen(into: &events)
        for tool in openTools { events.append(.partStop(index: tool.index)) }
        openTools.removeAll()
    }

    private mutating func closeOpen(into events: inout [StreamEvent]) {
        if let open { events.append(.partStop(index: open.index)) }
        open = nil
    }

    private mutating func take() -> Int {
        defer { nextIndex += 1 }
        return nextIndex
    }
}

/// Parses one stream payload as a JSON object.
func parseChunk(_ bytes: [UInt8]) throws -> Reader {
    do {
        guard case .object(let object) = try JSONValue.parse(bytes) else {
            throw TranslationError.invalidStream("stream payload is not a JSON object")
        }
        return Reader(object, path: "")
    } catch let error as JSONError {
        throw TranslationError.invalidStream("stream payload is not valid JSON: \(error)")
    }
}
