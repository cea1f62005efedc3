/// Decodes an OpenAI Chat Completions SSE stream into canonical events, incrementally.
public struct OpenAIStreamDecoder: IncrementalStreamDecoder {
    private var sse = SSEParser()
    private var parts = PartSequencer()
    private var started = false
    private var finished = false
    /// The stream's id (seeds ids made up for tool calls that come without one).
    private var streamID = ""
    private var toolCalls = 0
    /// Upstream tool-call index → the key of the call its deltas continue, and each call's id:
    /// a new id under a used index is a new call (Ollama numbers every call of a batch 0, and
    /// Google's OpenAI-compatible endpoint sends whole calls without any index).
    private var callKeys: [Int: Int] = [:]
    private var callIDs: [Int: String] = [:]
    private var nextCallKey = 1 << 20
    /// Calls whose name has not come yet (some servers send `""` first): their id and arguments.
    private var unnamedCalls: [Int: (id: String?, arguments: String)] = [:]
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
            // `[DONE]` ends an answer normally even when no finish reason came (vLLM sometimes sends
            // none); a stream that brought nothing stays one without content (it fails over).
            if (parts.nextIndex > 0 || !unnamedCalls.isEmpty) && !finished { try finishTurn("stop", into: &events) }
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
                if !finished { try finishTurn(reason, into: &events) }
            }
        }
        if let usage = try chunk.reader("usage") {
            events.append(.usage(try OpenAIResponseCodec.usage(usage)))
        }
    }

    private mutating func finishTurn(_ reason: String, into events: inout [StreamEvent]) throws {
        if let unnamed = unnamedCalls.keys.min() { throw TranslationError.invalidStream("tool call \(unnamed) ended without a name") }
        finished = true
        let stop = OpenAIResponseCodec.stopReason(reason, madeToolCalls: toolCalls > 0)
        events.append(.finish(stop, stopSequence: nil))
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
            let function = try call.reader("function")
            try handleToolCall(position: try call.int("index") ?? offset, id: try call.string("id").flatMap { $0.isEmpty ? nil : $0 },
                               name: try function?.string("name").flatMap { $0.isEmpty ? nil : $0 },
                               arguments: try function.flatMap(ToolArguments.text(of:)) ?? "", into: &events)
        }
        // The legacy single `function_call` delta (older servers): one call.
        if let function = try delta.reader("function_call") {
            try handleToolCall(position: 0, id: nil, name: try function.string("name").flatMap { $0.isEmpty ? nil : $0 },
                               arguments: try ToolArguments.text(of: function) ?? "", into: &events)
        }
    }

    private mutating func handleToolCall(position: Int, id: String?, name: String?, arguments: String,
                                         into events: inout [StreamEvent]) throws {
        var key = callKeys[position] ?? position
        if let id, let known = callIDs[key], known != id {
            key = nextCallKey
            nextCallKey += 1
        }
        callKeys[position] = key
        if let id, callIDs[key] == nil { callIDs[key] = id }
        let index: Int
        if let open = parts.openTool(key) {
            index = open
        } else if let known = parts.toolIndexes[key] {
            index = known
        } else {
            var pending = unnamedCalls.removeValue(forKey: key) ?? (id: nil, arguments: "")
            pending.id = pending.id ?? id
            guard let name else {
                // No name yet (vLLM serving Command-A sends "" first): held until it comes.
                pending.arguments += arguments
                unnamedCalls[key] = pending
                return
            }
            // A new call without an id (some OpenAI-compatible servers send none, or "") gets one made up.
            let (plain, signature) = ProviderState.split(id: pending.id ?? ProviderState.syntheticCallID(seed: streamID, index: toolCalls))
            index = parts.ensure(.tool(key), header: .toolCall(id: plain, name: name, thoughtSignature: signature), into: &events)
            toolCalls += 1
            if !pending.arguments.isEmpty { events.append(.delta(index: index, .toolArguments(pending.arguments))) }
        }
        if !arguments.isEmpty { events.append(.delta(index: index, .toolArguments(arguments))) }
    }
}
