/// Decodes an Anthropic Messages SSE stream into canonical events, incrementally.
public struct AnthropicStreamDecoder: IncrementalStreamDecoder {
    private var sse = SSEParser()
    /// Anthropic block index → canonical index (unknown block types are skipped).
    private var indexes: [Int: Int] = [:]
    private var nextIndex = 0
    private var startUsage: Usage?
    /// Whether `message_stop` arrived.
    public private(set) var isComplete = false

    public init() {}

    /// Consumes upstream bytes (any split), appending the events they complete; on unreadable
    /// input it throws with the events decoded before it appended.
    public mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [StreamEvent]) throws {
        for event in try sse.feed(bytes) { try handle(event, into: &events) }
    }

    /// Ends the stream, flushing a final unterminated event.
    public mutating func finish() throws -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in sse.finish() { try handle(event, into: &events) }
        return events
    }

    private mutating func handle(_ event: SSEEvent, into events: inout [StreamEvent]) throws {
        let chunk = try parseChunk(event.data)
        let type = try chunk.string("type") ?? event.event ?? ""
        switch type {
        case "message_start":
            guard let message = try chunk.reader("message") else { throw TranslationError.invalidStream("message_start without message") }
            startUsage = try message.reader("usage").map(AnthropicResponseCodec.usage)
            events.append(.start(id: try message.string("id") ?? "", model: try message.string("model") ?? "", usage: startUsage))
        case "content_block_start":
            guard let block = try chunk.reader("content_block") else { throw TranslationError.invalidStream("content_block_start without content_block") }
            let upstream = try chunk.int("index") ?? 0
            let header: PartHeader
            var initial: PartDelta?
            switch try block.string("type") ?? "" {
            case "text":
                header = .text
                if let text = try block.string("text"), !text.isEmpty { initial = .text(text) }
            case "thinking":
                header = .thinking(origin: .anthropic)
                if let text = try block.string("thinking"), !text.isEmpty { initial = .thinking(text) }
            case "redacted_thinking":
                header = .redactedThinking(data: try block.string("data") ?? "")
            case "tool_use":
                let (id, signature) = ProviderState.split(id: try block.requiredString("id"))
                header = .toolCall(id: id, name: try block.requiredString("name"), thoughtSignature: signature)
                if let input = block.value("input"), input.object?.isEmpty == false { initial = .toolArguments(input.serializedString) }
            default:
                return
            }
            let index = nextIndex
            nextIndex += 1
            indexes[upstream] = index
            events.append(.partStart(index: index, header))
            if let initial { events.append(.delta(index: index, initial)) }
        case "content_block_delta":
            guard let index = indexes[try chunk.int("index") ?? -1], let delta = try chunk.reader("delta") else { return }
            switch try delta.string("type") ?? "" {
            case "text_delta": events.append(.delta(index: index, .text(try delta.string("text") ?? "")))
            case "thinking_delta": events.append(.delta(index: index, .thinking(try delta.string("thinking") ?? "")))
            case "signature_delta": events.append(.delta(index: index, .signature(try delta.string("signature") ?? "")))
            case "input_json_delta":
                if let json = try delta.string("partial_json"), !json.isEmpty { events.append(.delta(index: index, .toolArguments(json))) }
            default: break
            }
        case "content_block_stop":
            if let index = indexes[try chunk.int("index") ?? -1] { events.append(.partStop(index: index)) }
        case "message_delta":
            if let usage = try chunk.reader("usage") {
                let later = try AnthropicResponseCodec.usage(usage)
                events.append(.usage(startUsage?.merged(with: later) ?? later))
            }
            if let delta = try chunk.reader("delta"), let reason = try delta.string("stop_reason") {
                events.append(.finish(AnthropicResponseCodec.stopReason(reason), stopSequence: try delta.string("stop_sequence")))
            }
        case "message_stop":
            isComplete = true
        case "error":
            events.append(.error(ErrorCodec.decode(event.data, status: nil, dialect: .anthropic)))
        default:
            break
        }
    }
}
