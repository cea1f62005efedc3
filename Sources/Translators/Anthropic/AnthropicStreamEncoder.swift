/// Encodes canonical events as the exact Anthropic Messages SSE stream a client expects:
/// message_start, content_block_start/delta/stop with sequential indexes, message_delta, message_stop.
public struct AnthropicStreamEncoder: Sendable {
    private var started = false
    private var ended = false
    /// Canonical index → (Anthropic index, thinking origin).
    private var blocks: [Int: (index: Int, origin: Dialect?, isThinking: Bool, signed: Bool)] = [:]
    private var open: [Int] = []
    /// Parts that started while another block was open, with their events so far: Anthropic
    /// streams one block at a time, so each waits for the one before it to stop.
    private var waiting: [(index: Int, events: [StreamEvent])] = []
    private var nextIndex = 0
    private var usage: Usage?
    private var stopReason: StopReason?
    private var stopSequence: String?

    public init() {}

    /// The bytes to send for `event`.
    public mutating func encode(_ event: StreamEvent) -> [UInt8] {
        guard !ended else { return [] }
        var out: [UInt8] = []
        if case .start(let id, let model, let usage) = event {
            if let usage { self.usage = usage }
            start(id: id, model: model, into: &out)
            return out
        }
        if !started, case .error = event {} else { start(id: "", model: "", into: &out) }
        if let index = event.partIndex, let position = waiting.firstIndex(where: { $0.index == index }) {
            waiting[position].events.append(event)
            return out
        }
        switch event {
        case .start: break
        case .partStart(let index, _) where !open.isEmpty:
            waiting.append((index, [event]))
        case .partStart(let index, let header):
            let block = nextIndex
            nextIndex += 1
            let content: JSONValue
            var origin: Dialect?
            var isThinking = false
            switch header {
            case .text: content = ["type": "text", "text": ""]
            case .thinking(let from):
                content = ["type": "thinking", "thinking": "", "signature": ""]
                origin = from
                isThinking = true
            case .redactedThinking(let data): content = ["type": "redacted_thinking", "data": .string(data)]
            case .toolCall(let id, let name, let signature):
                content = ["type": "tool_use", "id": .string(ProviderState.embed(id: id, thoughtSignature: signature)),
                           "name": .string(name), "input": [:]]
            }
            blocks[index] = (block, origin, isThinking, false)
            open.append(index)
            write("content_block_start", ["type": "content_block_start", "index": .number(JSONNumber(block)),
                                          "content_block": content], into: &out)
        case .delta(let index, let delta):
            guard let block = blocks[index] else { break }
            let payload: JSONValue
            switch delta {
            case .text(let text): payload = ["type": "text_delta", "text": .string(text)]
            case .thinking(let text): payload = ["type": "thinking_delta", "thinking": .string(text)]
            case .signature(let signature):
                guard block.isThinking else { return out }
                blocks[index]?.signed = true
                payload = ["type": "signature_delta",
                           "signature": .string(ProviderState.showSignature(signature, origin: block.origin, to: .anthropic))]
            case .toolArguments(let json): payload = ["type": "input_json_delta", "partial_json": .string(json)]
            }
            write("content_block_delta", ["type": "content_block_delta", "index": .number(JSONNumber(block.index)),
                                          "delta": payload], into: &out)
        case .partStop(let index):
            stop(index, into: &out)
            startWaiting(into: &out)
        case .usage(let usage):
            self.usage = self.usage?.merged(with: usage) ?? usage
        case .finish(let reason, let sequence):
            stopReason = reason
            stopSequence = sequence
        case .error(let error):
            // The stream failed: parts still waiting for their turn are not started.
            waiting = []
            ended = true
            write("error", ErrorCodec.json(error, dialect: .anthropic), into: &out)
        }
        return out
    }

    /// The closing bytes once the upstream ended normally: open blocks stopped, message_delta
    /// with the stop reason and usage, message_stop. Nothing after an error event; an error
    /// event (never a fabricated stop) when no `.finish` event arrived.
    public mutating func finish() -> [UInt8] {
        guard !ended else { return [] }
        guard stopReason != nil else { return encode(.error(.truncatedStream)) }
        var out: [UInt8] = []
        start(id: "", model: "", into: &out)
        while let index = open.first {
            stop(index, into: &out)
            startWaiting(into: &out)
        }
        ended = true
        var delta: JSONObject = ["stop_reason": .string(AnthropicResponseCodec.stopReason(stopReason ?? .endTurn))]
        delta.append("stop_sequence", stopSequence.map(JSONValue.string) ?? .null)
        write("message_delta", ["type": "message_delta", "delta": .object(delta),
                                "usage": AnthropicResponseCodec.encodeUsage(usage ?? Usage())], into: &out)
        write("message_stop", ["type": "message_stop"], into: &out)
        return out
    }

    private mutating func start(id: String, model: String, into out: inout [UInt8]) {
        guard !started else { return }
        started = true
        var usageObject = AnthropicResponseCodec.encodeUsage(usage ?? Usage()).object ?? [:]
        usageObject["output_tokens"] = .number(JSONNumber(usage?.outputTokens ?? 0))
        let message: JSONValue = ["id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
                                  "content": [], "stop_reason": nil, "stop_sequence": nil, "usage": .object(usageObject)]
        write("message_start", ["type": "message_start", "message": message], into: &out)
    }

    /// Starts the next waiting part (with what it received meanwhile) once no block is open;
    /// one whose stop came already is followed by the next.
    private mutating func startWaiting(into out: inout [UInt8]) {
        while open.isEmpty, !waiting.isEmpty {
            for event in waiting.removeFirst().events { out += encode(event) }
        }
    }

    private mutating func stop(_ index: Int, into out: inout [UInt8]) {
        guard let position = open.firstIndex(of: index), let block = blocks[index] else { return }
        open.remove(at: position)
        if block.isThinking, !block.signed, let origin = block.origin, origin != .anthropic {
            // Name the origin so the block is replayed only to the provider that produced it.
            let signature = ProviderState.showSignature("", origin: origin, to: .anthropic)
            write("content_block_delta", ["type": "content_block_delta", "index": .number(JSONNumber(block.index)),
                                          "delta": ["type": "signature_delta", "signature": .string(signature)]], into: &out)
        }
        write("content_block_stop", ["type": "content_block_stop", "index": .number(JSONNumber(block.index))], into: &out)
    }

    private func write(_ name: String, _ data: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: "event: ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "\ndata: ".utf8)
        data.serialize(into: &out)
        out.append(contentsOf: "\n\n".utf8)
    }
}

private extension StreamEvent {
    /// The part an event belongs to.
    var partIndex: Int? {
        switch self {
        case .partStart(let index, _), .delta(let index, _), .partStop(let index): index
        default: nil
        }
    }
}
