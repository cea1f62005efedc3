/// Decodes a Gemini stream (SSE with `alt=sse`, a streamed JSON array without it, or a single
/// response body) into canonical events, incrementally.
public struct GeminiStreamDecoder: IncrementalStreamDecoder {
    /// How the upstream frames its chunks.
    public enum Framing: Sendable {
        /// `streamGenerateContent?alt=sse`.
        case sse
        /// `streamGenerateContent` without `alt`: one JSON array.
        case jsonArray
        /// A single `generateContent` response (buffered until `finish()`).
        case json
    }

    private let framing: Framing
    private let model: String
    private var sse = SSEParser()
    private var body: [UInt8] = []
    private var array = JSONArrayStreamSplitter()
    private var parts = PartSequencer()
    private var started = false
    private var sawFinish = false
    private var sawToolCall = false
    private var callCount = 0
    private var responseID: String
    /// Whether the stream reached its natural end (`]`, or a finish reason for SSE).
    public private(set) var isComplete = false

    /// `model` names the response when chunks carry no `modelVersion`; `fallbackID` identifies it
    /// when they carry no `responseId`, and seeds the ids made up for its function calls (so
    /// they differ from one response to the next: a client sends them back in its history).
    public init(framing: Framing, model: String = "", fallbackID: String = "") {
        self.framing = framing
        self.model = model
        responseID = fallbackID
    }

    /// Consumes upstream bytes (any split), appending the events they complete; on unreadable
    /// input it throws with the events decoded before it appended.
    public mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [StreamEvent]) throws {
        switch framing {
        case .sse:
            for event in try sse.feed(bytes) { events += try decodeChunk(try parseChunk(event.data).object) }
        case .jsonArray:
            for element in try array.feed(bytes) { events += try decodeChunk(try parseChunk(element).object) }
            if array.isComplete { isComplete = true }
        case .json:
            body.append(contentsOf: bytes)
        }
    }

    /// Ends the stream, flushing what is pending and closing any open part.
    public mutating func finish() throws -> [StreamEvent] {
        var events: [StreamEvent] = []
        switch framing {
        case .sse:
            for event in sse.finish() { events += try decodeChunk(try parseChunk(event.data).object) }
            if sawFinish { isComplete = true }
        case .json:
            events += try decodeChunk(try parseChunk(body).object)
            body = []
            isComplete = true
        case .jsonArray:
            break
        }
        events += finishEvents()
        return events
    }

    mutating func finishEvents() -> [StreamEvent] {
        var events: [StreamEvent] = []
        parts.close(into: &events)
        return events
    }

    /// Decodes one `GenerateContentResponse` object.
    mutating func decodeChunk(_ object: JSONObject) throws -> [StreamEvent] {
        let chunk = Reader(object, path: "")
        var events: [StreamEvent] = []
        if chunk.has("error") {
            events.append(.error(ErrorCodec.decode(JSONValue.object(object).serialized(), status: nil, dialect: .gemini)))
            return events
        }
        let usage = try chunk.reader("usageMetadata").map(GeminiResponseCodec.usage)
        if !started {
            started = true
            if let id = try chunk.string("responseId"), !id.isEmpty { responseID = id }
            // The first chunk's usage already counts the prompt: clients show it from the start
            // (Anthropic's `message_start`).
            events.append(.start(id: responseID, model: try chunk.string("modelVersion") ?? model, usage: usage))
        }
        var finishReason: String?
        if let candidate = try chunk.objects("candidates").first {
            if let content = try candidate.reader("content") {
                for part in try content.objects("parts") { try decodePart(part, into: &events) }
            }
            finishReason = try candidate.string("finishReason")
        } else if let feedback = try chunk.reader("promptFeedback"), try feedback.string("blockReason") != nil {
            finishReason = "SAFETY"
        }
        if let usage { events.append(.usage(usage)) }
        if let finishReason, !sawFinish {
            sawFinish = true
            parts.close(into: &events)
            var reason = GeminiResponseCodec.stopReason(finishReason)
            if reason == .endTurn && sawToolCall { reason = .toolUse }
            events.append(.finish(reason, stopSequence: nil))
            if framing == .json { isComplete = true }
        }
        return events
    }

    private mutating func decodePart(_ part: Reader, into events: inout [StreamEvent]) throws {
        let signature = try part.string("thoughtSignature")
        if let call = try part.reader("functionCall") {
            let name = try call.requiredString("name")
            let id = try call.string("id") ?? ProviderState.syntheticCallID(seed: responseID, index: callCount)
            callCount += 1
            sawToolCall = true
            parts.close(into: &events)
            let index = parts.ensure(.tool(callCount), header: .toolCall(id: id, name: name, thoughtSignature: signature), into: &events)
            events.append(.delta(index: index, .toolArguments(ToolArguments.object(call.value("args") ?? [:]).serializedString)))
            parts.close(into: &events)
            return
        }
        guard let text = try part.string("text") else { return }
        if try part.bool("thought") == true {
            let index = parts.ensure(.thinking, header: .thinking(origin: .gemini), into: &events)
            if !text.isEmpty { events.append(.delta(index: index, .thinking(text))) }
            if let signature { events.append(.delta(index: index, .signature(signature))) }
            return
        }
        if text.isEmpty {
            guard let signature else { return }
            if parts.openKind == .thinking, let open = parts.open {
                events.append(.delta(index: open.index, .signature(signature)))
                return
            }
        }
        let index = parts.ensure(.text, header: .text, into: &events)
        if !text.isEmpty { events.append(.delta(index: index, .text(text))) }
        if let signature { events.append(.delta(index: index, .signature(signature))) }
    }
}
