/// Encodes canonical events as a Gemini streamGenerateContent response: SSE (`alt=sse`) or one
/// JSON array streamed element by element. Text and thoughts go out as they arrive; a function
/// call goes out whole when its arguments are complete (Gemini has no partial arguments), with
/// the turn's other calls and, when they end it, its finish reason: a finish chunk of its own
/// would need an empty text part, which a google-genai chat stores as a model turn of its own
/// and Gemini CLI counts as invalid content.
public struct GeminiStreamEncoder: Sendable {
    /// Output framing.
    public enum Framing: Sendable {
        /// `data: {...}\r\n\r\n` per chunk.
        case sse
        /// `[{...}\n,\r\n{...}]`.
        case jsonArray
    }

    private let framing: Framing
    private var id = ""
    private var model = ""
    private var wroteChunk = false
    private var ended = false
    private var headers: [Int: PartHeader] = [:]
    private var arguments: [Int: String] = [:]
    /// Complete function calls not sent yet: they go out together before the next other part.
    private var calls: [JSONValue] = []
    private var usage: Usage?
    private var stopReason: StopReason?

    public init(framing: Framing) { self.framing = framing }

    /// The bytes to send for `event`.
    public mutating func encode(_ event: StreamEvent) -> [UInt8] {
        guard !ended else { return [] }
        var out: [UInt8] = []
        switch event {
        case .start(let id, let model, let usage):
            self.id = id
            self.model = model
            if let usage { self.usage = usage }
        case .partStart(let index, let header):
            headers[index] = header
            if case .toolCall = header { arguments[index] = "" }
        case .delta(let index, let delta):
            if !delta.isToolArguments { emitCalls(into: &out) }
            switch (headers[index], delta) {
            case (.text?, .text(let text)):
                emit([["text": .string(text)]], into: &out)
            case (.thinking?, .thinking(let text)):
                emit([["text": .string(text), "thought": true]], into: &out)
            case (.text?, .signature(let signature)), (.thinking(origin: .gemini)?, .signature(let signature)):
                emit([["text": "", "thoughtSignature": .string(signature)]], into: &out)
            case (.toolCall?, .toolArguments(let json)):
                arguments[index, default: ""] += json
            default:
                break
            }
        case .partStop(let index):
            guard case .toolCall(let callID, let name, let signature)? = headers[index] else { break }
            var function: JSONObject = ["name": .string(name),
                                        "args": ToolArguments.object(ToolArguments.parse(arguments[index] ?? ""))]
            if !ProviderState.isSynthetic(callID) { function.append("id", .string(callID)) }
            var part: JSONObject = ["functionCall": .object(function)]
            part.append("thoughtSignature", ifPresent: signature.map(JSONValue.string))
            calls.append(.object(part))
        case .usage(let usage):
            self.usage = self.usage?.merged(with: usage) ?? usage
        case .finish(let reason, _):
            stopReason = reason
        case .error(let error):
            emitCalls(into: &out)
            ended = true
            write(ErrorCodec.json(error, dialect: .gemini), into: &out)
            if framing == .jsonArray { out.append(UInt8(ascii: "]")) }
        }
        return out
    }

    /// The closing bytes once the upstream ended normally: a last chunk with `finishReason` and
    /// `usageMetadata` (and `]` for the array framing). Nothing after an error event; an error
    /// (never a fabricated finish reason) when no `.finish` event arrived.
    public mutating func finish() -> [UInt8] {
        guard !ended else { return [] }
        guard let stopReason else { return encode(.error(.truncatedStream)) }
        ended = true
        var out: [UInt8] = []
        emit(calls.isEmpty ? [["text": ""]] : calls, finishReason: GeminiResponseCodec.finishReason(stopReason), into: &out)
        if framing == .jsonArray { out.append(UInt8(ascii: "]")) }
        return out
    }

    private mutating func emitCalls(into out: inout [UInt8]) {
        guard !calls.isEmpty else { return }
        emit(calls, into: &out)
        calls = []
    }

    private mutating func emit(_ parts: [JSONValue], finishReason: String? = nil, into out: inout [UInt8]) {
        var candidate: JSONObject = ["content": ["parts": .array(parts), "role": "model"]]
        if let finishReason { candidate.append("finishReason", .string(finishReason)) }
        candidate.append("index", 0)
        var root: JSONObject = ["candidates": [.object(candidate)]]
        if finishReason != nil, let usage { root.append("usageMetadata", GeminiResponseCodec.encodeUsage(usage)) }
        root.append("modelVersion", .string(model))
        root.append("responseId", .string(id))
        write(.object(root), into: &out)
    }

    private mutating func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch framing {
        case .sse:
            out.append(contentsOf: "data: ".utf8)
            value.serialize(into: &out)
            out.append(contentsOf: "\r\n\r\n".utf8)
        case .jsonArray:
            out.append(contentsOf: wroteChunk ? Array("\n,\r\n".utf8) : [UInt8(ascii: "[")])
            value.serialize(into: &out)
        }
        wroteChunk = true
    }
}

private extension PartDelta {
    var isToolArguments: Bool {
        if case .toolArguments = self { true } else { false }
    }
}
