/// Encodes canonical events as the exact OpenAI Chat Completions SSE stream a client expects:
/// a role chunk, content / reasoning / tool_calls deltas, a finish_reason chunk, a usage chunk
/// when asked, then `data: [DONE]`.
public struct OpenAIStreamEncoder: Sendable {
    private let created: Int
    private let includeUsage: Bool
    private var id = ""
    private var model = ""
    private var started = false
    private var ended = false
    private var finished = false
    /// Canonical index → OpenAI tool call index.
    private var toolIndexes: [Int: Int] = [:]
    /// Tool calls (canonical index) whose arguments have begun.
    private var toolsWithArguments: Set<Int> = []
    private var usage: Usage?

    /// `created` is the Unix time to report; `includeUsage` mirrors `stream_options.include_usage`.
    public init(created: Int, includeUsage: Bool) {
        self.created = created
        self.includeUsage = includeUsage
    }

    /// The bytes to send for `event`.
    public mutating func encode(_ event: StreamEvent) -> [UInt8] {
        guard !ended else { return [] }
        var out: [UInt8] = []
        switch event {
        case .start(let id, let model, let usage):
            self.id = id
            self.model = model
            if let usage { self.usage = usage }
            start(into: &out)
        case .partStart(let index, let header):
            start(into: &out)
            if case .toolCall(let callID, let name, let signature) = header {
                let toolIndex = toolIndexes.count
                toolIndexes[index] = toolIndex
                let call: JSONValue = ["index": .number(JSONNumber(toolIndex)),
                                       "id": .string(ProviderState.embed(id: callID, thoughtSignature: signature)),
                                       "type": "function", "function": ["name": .string(name), "arguments": ""]]
                chunk(["tool_calls": [call]], into: &out)
            }
        case .delta(let index, let delta):
            start(into: &out)
            switch delta {
            case .text(let text): chunk(["content": .string(text)], into: &out)
            case .thinking(let text): chunk(["reasoning_content": .string(text)], into: &out)
            case .signature: break
            case .toolArguments(let json):
                guard let toolIndex = toolIndexes[index], !json.isEmpty else { break }
                toolsWithArguments.insert(index)
                arguments(json, toolIndex: toolIndex, into: &out)
            }
        case .partStop(let index):
            // A call without arguments (Anthropic's `input: {}` streams none) still has an
            // object of them, as OpenAI always sends: `{}`.
            if let toolIndex = toolIndexes[index], !toolsWithArguments.contains(index) {
                toolsWithArguments.insert(index)
                arguments("{}", toolIndex: toolIndex, into: &out)
            }
        case .usage(let usage):
            self.usage = self.usage?.merged(with: usage) ?? usage
        case .finish(let reason, _):
            start(into: &out)
            finishChunk(reason, into: &out)
        case .error(let error):
            ended = true
            out.append(contentsOf: "data: ".utf8)
            ErrorCodec.json(error, dialect: .openai).serialize(into: &out)
            out.append(contentsOf: "\n\n".utf8)
        }
        return out
    }

    private func arguments(_ json: String, toolIndex: Int, into out: inout [UInt8]) {
        chunk(["tool_calls": [["index": .number(JSONNumber(toolIndex)), "function": ["arguments": .string(json)]]]], into: &out)
    }

    /// The closing bytes once the upstream ended normally: the finish chunk if none was sent,
    /// the usage chunk when asked, `data: [DONE]`. Nothing after an error event; an error
    /// (never a fabricated finish) when no `.finish` event arrived.
    public mutating func finish() -> [UInt8] {
        guard !ended else { return [] }
        guard finished else { return encode(.error(.truncatedStream)) }
        var out: [UInt8] = []
        if includeUsage {
            var root = header()
            root.append("choices", [])
            root.append("usage", OpenAIResponseCodec.encodeUsage(usage ?? Usage()))
            line(.object(root), into: &out)
        }
        out.append(contentsOf: "data: [DONE]\n\n".utf8)
        ended = true
        return out
    }

    private mutating func start(into out: inout [UInt8]) {
        guard !started else { return }
        started = true
        chunk(["role": "assistant", "content": ""], into: &out)
    }

    private mutating func finishChunk(_ reason: StopReason, into out: inout [UInt8]) {
        guard !finished else { return }
        finished = true
        chunk([:], finishReason: .string(OpenAIResponseCodec.finishReason(reason)), into: &out)
    }

    private func header() -> JSONObject {
        ["id": .string(id), "object": "chat.completion.chunk", "created": .number(JSONNumber(created)), "model": .string(model)]
    }

    private func chunk(_ delta: JSONObject, finishReason: JSONValue = nil, into out: inout [UInt8]) {
        var root = header()
        root.append("choices", [["index": 0, "delta": .object(delta), "logprobs": nil, "finish_reason": finishReason]])
        if includeUsage { root.append("usage", nil) }
        line(.object(root), into: &out)
    }

    private func line(_ value: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: "data: ".utf8)
        value.serialize(into: &out)
        out.append(contentsOf: "\n\n".utf8)
    }
}
