/// Decodes an OpenAI Chat Completions SSE stream into canonical events, incrementally.
public struct OpenAIStreamDecoder: IncrementalStreamDecoder {
    private var sse = SSEParser()
    private var parts = PartSequencer()
    private var started = false
    private var finished = false
    /// The stream's id (seeds ids made up for tool calls that come without one).
    private var streamID = ""
    private var toolCalls = 0
    /// Whether `data: [DONE]` arrived, or the stream closed after its finish reason (several
    /// OpenAI-compatible servers never send `[DONE]`).
    public private(set) var isComplete = false
    /// The stream closed complete but without `[DONE]`.
    public private(set) var endedWithoutDone = false

    public init() {}

    /// Consumes upstream bytes (any split), appending the events they complete; on unreadable
    /// input it throws with the events decoded before it appended.
    public mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [StreamEvent]) throws {
        for event in try sse.feed(bytes) { try handle(event, into: &events) }
    }

    /// Ends the stream, flushing a final unterminated event and closing any open part.
    public mutating func finish() throws -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in sse.finish() { try handle(event, into: &events) }
        parts.close(into: &events)
        if finished && !isComplete {
            isComplete = true
            endedWithoutDone = true
        }
        return events
    }

    private mutating func handle(_ event: SSEEvent, into events: inout [StreamEvent]) throws {
        if event.data.elementsEqual("[DONE]".utf8) {
            parts.close(into: &events)
            isComplete = true
            return
        }
        let chunk = try parseChunk(event.data)
        if chunk.has("error") {
            events.append(.error(ErrorCodec.decode(event.data, status: nil, dialect: .openai)))
            return
        }
        if !started {
            started = true
            streamID = try chunk.string("id") ?? ""
            events.append(.start(id: streamID, model: try chunk.string("model") ?? "", usage: nil))
        }
        for choice in try chunk.objects("choices") where (try choice.int("index") ?? 0) == 0 {
            if let delta = try choice.reader("delta") { try handleDelta(delta, into: &events) }
            if let reason = try choice.string("finish_reason") {
                parts.close(into: &events)
                if !finished {
                    finished = true
                    var stop = OpenAIResponseCodec.stopReason(reason)
                    // Some servers (and OpenAI itself for a named tool choice) finish tool calls with "stop".
                    if stop == .endTurn && toolCalls > 0 { stop = .toolUse }
                    events.append(.finish(stop, stopSequence: nil))
                }
            }
        }
        if let usage = try chunk.reader("usage") {
            events.append(.usage(try OpenAIResponseCodec.usage(usage)))
        }
    }

    private mutating func handleDelta(_ delta: Reader, into events: inout [StreamEvent]) throws {
        if let reasoning = try delta.string("reasoning_content") ?? delta.string("reasoning"), !reasoning.isEmpty {
            let index = parts.ensure(.thinking, header: .thinking(origin: .openai), into: &events)
            events.append(.delta(index: index, .thinking(reasoning)))
        }
        if let text = try delta.string("content"), !text.isEmpty {
            let index = parts.ensure(.text, header: .text, into: &events)
            events.append(.delta(index: index, .text(text)))
        }
        if let refusal = try delta.string("refusal"), !refusal.isEmpty {
            let index = parts.ensure(.text, header: .text, into: &events)
            events.append(.delta(index: index, .text(refusal)))
        }
        for (offset, call) in try delta.objects("tool_calls").enumerated() {
            let key = try call.int("index") ?? offset
            let function = try call.reader("function")
            let index: Int
            let id = try call.string("id").flatMap { $0.isEmpty ? nil : $0 }
            if case .tool(key)? = parts.openKind, let open = parts.open {
                index = open.index
            } else if id == nil, let known = parts.toolIndexes[key] {
                index = known
            } else {
                let name = try function?.string("name") ?? ""
                guard id != nil || !name.isEmpty else { throw TranslationError.invalidStream("tool call delta \(key) arrived before its id and name") }
                // A new call without an id (some OpenAI-compatible servers send none, or "") gets one made up.
                let (plain, signature) = ProviderState.split(id: id ?? ProviderState.syntheticCallID(seed: streamID, index: toolCalls))
                index = parts.ensure(.tool(key), header: .toolCall(id: plain, name: name, thoughtSignature: signature), into: &events)
                toolCalls += 1
            }
            if let arguments = try function?.string("arguments"), !arguments.isEmpty {
                events.append(.delta(index: index, .toolArguments(arguments)))
            }
        }
    }
}
