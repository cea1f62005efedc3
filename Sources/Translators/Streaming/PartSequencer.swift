/// Assigns canonical part indexes for upstreams whose streams carry no block boundaries
/// (OpenAI, Gemini): a part stays open until content of another kind arrives.
struct PartSequencer: Sendable {
    /// The kind of an open part; tool calls are keyed by the upstream's own index.
    enum Kind: Equatable, Sendable {
        case text
        case thinking
        case tool(Int)
    }

    private(set) var nextIndex = 0
    private(set) var open: (index: Int, kind: Kind)?
    /// Upstream tool index → canonical index, for argument deltas.
    private(set) var toolIndexes: [Int: Int] = [:]

    /// Returns the index of the open part of `kind`, opening one (and closing another) if needed.
    mutating func ensure(_ kind: Kind, header: @autoclosure () -> PartHeader, into events: inout [StreamEvent]) -> Int {
        if let open, open.kind == kind { return open.index }
        close(into: &events)
        let index = nextIndex
        nextIndex += 1
        open = (index, kind)
        if case .tool(let key) = kind { toolIndexes[key] = index }
        events.append(.partStart(index: index, header()))
        return index
    }

    /// The open part's kind, if any.
    var openKind: Kind? { open?.kind }

    /// Closes the open part, if any.
    mutating func close(into events: inout [StreamEvent]) {
        if let open { events.append(.partStop(index: open.index)) }
        open = nil
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
