/// Folds a canonical event stream into the non-streaming response it describes.
public struct ResponseAccumulator: Sendable {
    private enum Building: Sendable {
        case text(String, signature: String?)
        case thinking(String, signature: String, origin: Dialect?)
        case redacted(String)
        case toolCall(id: String, name: String, arguments: String, signature: String?)
    }

    private var id = ""
    private var model = ""
    private var parts: [Int: Building] = [:]
    private var order: [Int] = []
    private var stopReason: StopReason?
    private var stopSequence: String?
    private var usage: Usage?
    /// The in-stream error, if one arrived.
    public private(set) var error: GatewayError?

    public init() {}

    /// Applies one event.
    public mutating func apply(_ event: StreamEvent) {
        switch event {
        case .start(let id, let model, let usage):
            self.id = id
            self.model = model
            if let usage { self.usage = self.usage?.merged(with: usage) ?? usage }
        case .partStart(let index, let header):
            if parts[index] == nil { order.append(index) }
            switch header {
            case .text: parts[index] = .text("", signature: nil)
            case .thinking(let origin): parts[index] = .thinking("", signature: "", origin: origin)
            case .redactedThinking(let data): parts[index] = .redacted(data)
            case .toolCall(let id, let name, let signature):
                parts[index] = .toolCall(id: id, name: name, arguments: "", signature: signature)
            }
        case .delta(let index, let delta):
            guard let part = parts[index] else { return }
            parts[index] = Self.apply(delta, to: part)
        case .partStop:
            break
        case .usage(let usage):
            self.usage = self.usage?.merged(with: usage) ?? usage
        case .finish(let reason, let sequence):
            stopReason = reason
            stopSequence = sequence
        case .error(let error):
            self.error = error
        }
    }

    private static func apply(_ delta: PartDelta, to part: Building) -> Building {
        switch (part, delta) {
        case (.text(let text, let signature), .text(let more)): .text(text + more, signature: signature)
        case (.text(let text, _), .signature(let signature)): .text(text, signature: signature)
        case (.thinking(let text, let signature, let origin), .thinking(let more)):
            .thinking(text + more, signature: signature, origin: origin)
        case (.thinking(let text, let signature, let origin), .signature(let more)):
            .thinking(text, signature: signature + more, origin: origin)
        case (.toolCall(let id, let name, let arguments, let signature), .toolArguments(let more)):
            .toolCall(id: id, name: name, arguments: arguments + more, signature: signature)
        default: part
        }
    }

    /// The response folded so far.
    public var response: ChatResponse {
        var content: [ContentPart] = []
        for index in order {
            guard let part = parts[index] else { continue }
            switch part {
            case .text(let text, let signature):
                content.append(.text(TextPart(text: text, thoughtSignature: signature)))
            case .thinking(let text, let signature, let origin):
                content.append(.thinking(ThinkingPart(text: text, signature: signature.isEmpty ? nil : signature, origin: origin)))
            case .redacted(let data):
                content.append(.redactedThinking(data: data))
            case .toolCall(let id, let name, let arguments, let signature):
                content.append(.toolCall(ToolCall(id: id, name: name, arguments: ToolArguments.parse(arguments),
                                                  thoughtSignature: signature)))
            }
        }
        return ChatResponse(id: id, model: model, content: content, stopReason: stopReason,
                            stopSequence: stopSequence, usage: usage)
    }
}

extension ChatResponse {
    /// The event stream that folds back into this response (for streaming clients of a
    /// non-streaming upstream answer).
    public func streamEvents() -> [StreamEvent] {
        var events: [StreamEvent] = [.start(id: id, model: model, usage: nil)]
        for (index, part) in content.enumerated() {
            switch part {
            case .text(let text):
                events.append(.partStart(index: index, .text))
                if !text.text.isEmpty { events.append(.delta(index: index, .text(text.text))) }
                if let signature = text.thoughtSignature { events.append(.delta(index: index, .signature(signature))) }
            case .thinking(let thinking):
                events.append(.partStart(index: index, .thinking(origin: thinking.origin)))
                if !thinking.text.isEmpty { events.append(.delta(index: index, .thinking(thinking.text))) }
                if let signature = thinking.signature { events.append(.delta(index: index, .signature(signature))) }
            case .redactedThinking(let data):
                events.append(.partStart(index: index, .redactedThinking(data: data)))
            case .toolCall(let call):
                events.append(.partStart(index: index, .toolCall(id: call.id, name: call.name, thoughtSignature: call.thoughtSignature)))
                events.append(.delta(index: index, .toolArguments(ToolArguments.text(call.arguments))))
            default:
                continue
            }
            events.append(.partStop(index: index))
        }
        if let usage { events.append(.usage(usage)) }
        events.append(.finish(stopReason ?? .endTurn, stopSequence: stopSequence))
        return events
    }
}
