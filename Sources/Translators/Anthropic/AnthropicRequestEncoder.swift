/// Encodes the canonical request as an Anthropic Messages (or count_tokens) body.
public enum AnthropicRequestEncoder {
    /// `max_tokens` sent when the client gave none (Anthropic requires it).
    public static let defaultMaxTokens = 4096

    /// Encodes `request` for `model`. `countTokens` omits generation-only fields.
    public static func encode(_ request: ChatRequest, model: String, options: TranslationOptions = .init(),
                              countTokens: Bool = false) throws -> EncodedBody {
        var log = DropLog(target: .anthropic, strict: options.strict)
        try log.dropUnsupported(request)
        let request = try MediaSupport.adapt(request, for: .anthropic, log: &log)
        var out = JSONWriter(capacity: 4096)
        out.beginObject()
        out.field("model", model)
        var maxTokens = request.sampling.maxTokens ?? defaultMaxTokens
        var budget: Int?
        if let reasoning = request.reasoning, !reasoning.isDisabled {
            // Anthropic refuses thinking beside a forced tool call (the call the client demands is
            // kept), and in a tool loop whose last assistant turn does not open with its own signed
            // thinking (what a client of another format cannot send back).
            if request.forcesToolCall || !request.lastToolTurnOpensWithAnthropicThinking {
                try log.drop("thinking")
            } else {
                var tokens = reasoning.resolvedBudget
                if tokens < 0 { tokens = ReasoningEffort.medium.budgetTokens }
                tokens = max(tokens, 1024)
                if maxTokens <= tokens { maxTokens += tokens }
                budget = tokens
            }
        }
        if !countTokens { out.field("max_tokens", ifPresent: maxTokens) }
        writeSystem(request, into: &out)
        try writeMessages(request.messages, into: &out, log: &log)
        try writeTools(request, into: &out, log: &log)
        if let budget {
            out.key("thinking")
            out.beginObject()
            out.field("type", "enabled")
            out.field("budget_tokens", ifPresent: budget)
            out.endObject()
        }
        if !countTokens {
            let sampling = request.sampling
            let stop = try sampling.stopSequences(nonBlank: true, log: &log)
            if !stop.isEmpty { out.field("stop_sequences", strings: stop) }
            try writeSampling(sampling, thinking: budget != nil, into: &out, log: &log)
            if sampling.seed != nil { try log.drop("seed") }
            if sampling.presencePenalty != nil { try log.drop("presence_penalty") }
            if sampling.frequencyPenalty != nil { try log.drop("frequency_penalty") }
            if let count = sampling.candidateCount, count > 1 { try log.drop("n") }
            if let user = request.metadata.userID {
                out.key("metadata")
                out.beginObject()
                out.field("user_id", user)
                out.endObject()
            }
            if request.stream { out.field("stream", ifPresent: true) }
        }
        out.endObject()
        return EncodedBody(body: out.bytes, dropped: log.features)
    }

    /// Temperature and nucleus/top-k sampling. With thinking on, Anthropic accepts no temperature
    /// but 1, no `top_k`, and `top_p` only from 0.95: the rest is dropped (`top_p` raised to 0.95).
    static func writeSampling(_ sampling: Sampling, thinking: Bool, into out: inout JSONWriter, log: inout DropLog) throws {
        guard thinking else {
            out.field("temperature", ifPresent: try sampling.anthropicTemperature(log: &log))
            out.field("top_p", ifPresent: sampling.topP)
            out.field("top_k", ifPresent: sampling.topK)
            return
        }
        if let temperature = sampling.temperature {
            if temperature == 1 { out.field("temperature", ifPresent: temperature) } else { try log.drop("temperature") }
        }
        if let topP = sampling.topP {
            if topP < 0.95 { try log.drop("top_p") }
            out.field("top_p", ifPresent: max(topP, 0.95))
        }
        if sampling.topK != nil { try log.drop("top_k") }
    }

    /// `system` as a string when it is one plain block, else as text blocks; a JSON output mode
    /// is approximated by an extra instruction block.
    static func writeSystem(_ request: ChatRequest, into out: inout JSONWriter) {
        var system = request.system
        if let instruction = JSONModeInstruction.text(for: request.responseFormat) { system.append(.text(instruction)) }
        system.removeAll { if case .text(let text) = $0 { text.isBlank } else { false } }  // refused as text blocks too
        guard !system.isEmpty else { return }
        let plain = system.allSatisfy { if case .text(let t) = $0 { t.cacheControl == nil } else { false } }
        if plain && system.count == 1, let text = system[0].textValue {
            out.field("system", text)
            return
        }
        out.key("system")
        out.beginArray()
        for case .text(let text) in system { writeText(text, into: &out) }
        out.endArray()
    }

    static func writeText(_ text: TextPart, into out: inout JSONWriter) {
        out.beginObject()
        out.field("type", "text")
        out.field("text", text.text)
        out.field("cache_control", ifPresent: text.cacheControl)
        out.endObject()
    }

    /// Messages with consecutive same-role turns merged (the API wants alternation) and tool
    /// results first in each user turn (the API wants them before any other block). A turn is
    /// kept as the positions of its messages, so no content part is copied to regroup it.
    static func writeMessages(_ messages: [Message], into out: inout JSONWriter, log: inout DropLog) throws {
        out.key("messages")
        out.beginArray()
        var turn: [Int] = []
        for (position, message) in messages.enumerated() {
            var sendsAnything = false
            for part in message.content where try isWritten(part, log: &log) { sendsAnything = true }
            guard sendsAnything else { continue }
            if let first = turn.first, messages[first].role != message.role {
                try writeTurn(turn, of: messages, into: &out, log: &log)
                turn.removeAll(keepingCapacity: true)
            }
            turn.append(position)
        }
        if !turn.isEmpty { try writeTurn(turn, of: messages, into: &out, log: &log) }
        out.endArray()
    }

    /// One merged turn: the tool results of all its messages, then their other blocks.
    static func writeTurn(_ turn: [Int], of messages: [Message], into out: inout JSONWriter, log: inout DropLog) throws {
        out.beginObject()
        out.field("role", messages[turn[0]].role.rawValue)
        out.key("content")
        out.beginArray()
        func writeParts(results: Bool) throws {
            for position in turn {
                for part in messages[position].content where try isWritten(part, log: &log) {
                    let isResult = if case .toolResult = part { true } else { false }
                    if isResult == results { try writePart(part, into: &out, log: &log) }
                }
            }
        }
        try writeParts(results: true)
        try writeParts(results: false)
        out.endArray()
        out.endObject()
    }

    /// Whether `part` is sent: blank text is not (the API rejects it), nor thinking that only its
    /// own provider could verify.
    static func isWritten(_ part: ContentPart, log: inout DropLog) throws -> Bool {
        if isSent(part) { return true }
        if case .thinking = part { try log.drop("thinking") }
        return false
    }

    static func isSent(_ part: ContentPart) -> Bool {
        switch part {
        case .text(let text): !text.isBlank
        case .thinking(let thinking): thinking.signature != nil && thinking.origin == .anthropic
        default: true
        }
    }

    static func writePart(_ part: ContentPart, into out: inout JSONWriter, log: inout DropLog) throws {
        switch part {
        case .text(let text):
            writeText(text, into: &out)
        case .image(let media):
            writeMedia(media, document: false, into: &out)
        case .document(let media):
            writeMedia(media, document: true, into: &out)
        case .toolCall(let call):
            out.beginObject()
            out.field("type", "tool_use")
            out.field("id", call.id)
            out.field("name", call.name)
            out.key("input")
            out.value(try ToolArguments.object(call.arguments, log: &log))
            out.endObject()
        case .toolResult(let result):
            out.beginObject()
            out.field("type", "tool_result")
            out.field("tool_use_id", result.callID)
            if result.content.count == 1, let text = result.content[0].textValue {
                out.field("content", text)
            } else {
                out.key("content")
                out.beginArray()
                for inner in result.content where try isWritten(inner, log: &log) {
                    try writePart(inner, into: &out, log: &log)
                }
                out.endArray()
            }
            if result.isError { out.field("is_error", ifPresent: true) }
            out.field("cache_control", ifPresent: result.cacheControl)
            out.endObject()
        case .thinking(let thinking):
            out.beginObject()
            out.field("type", "thinking")
            out.field("thinking", thinking.text)
            out.field("signature", thinking.signature ?? "")
            out.endObject()
        case .redactedThinking(let data):
            out.beginObject()
            out.field("type", "redacted_thinking")
            out.field("data", data)
            out.endObject()
        }
    }

    static func writeMedia(_ media: MediaPart, document: Bool, into out: inout JSONWriter) {
        out.beginObject()
        switch media.source {
        case .text(let text) where !document:
            out.field("type", "text")
            out.field("text", text)
            out.endObject()
            return
        default:
            out.field("type", document ? "document" : "image")
        }
        out.key("source")
        out.beginObject()
        switch media.source {
        case .base64(let mediaType, let data):
            out.field("type", "base64")
            out.field("media_type", mediaType)
            out.field("data", data)
        case .url(let url, _):
            out.field("type", "url")
            out.field("url", url)
        case .text(let text):
            out.field("type", "text")
            out.field("media_type", "text/plain")
            out.field("data", text)
        }
        out.endObject()
        if document { out.field("title", ifPresent: media.title) }
        out.field("cache_control", ifPresent: media.cacheControl)
        out.endObject()
    }

    static func writeTools(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog) throws {
        let wroteTools = try ToolListWriter.write(request, for: .anthropic, into: &out, log: &log) { tool, out, _ in
            out.beginObject()
            out.field("name", tool.name)
            out.field("description", ifPresent: tool.description)
            out.key("input_schema")
            out.value(tool.parameters)
            out.field("cache_control", ifPresent: tool.cacheControl)
            out.endObject()
        }
        var choice: String?
        switch request.toolChoice {
        case nil: choice = nil
        case .some(.auto): choice = "auto"
        case .some(ToolChoice.none): choice = "none"
        case .some(.required): choice = "any"
        case .some(.tool): choice = "tool"
        }
        var disableParallel: Bool?
        if let parallel = request.parallelToolCalls, wroteTools, choice != nil || !parallel {
            if choice == nil { choice = "auto" }
            if choice != "none" { disableParallel = !parallel }
        }
        guard let choice, wroteTools || request.toolChoice == ToolChoice.none else { return }
        out.key("tool_choice")
        out.beginObject()
        out.field("type", choice)
        if case .tool(let name)? = request.toolChoice { out.field("name", name) }
        out.field("disable_parallel_tool_use", ifPresent: disableParallel)
        out.endObject()
    }
}

/// The system instruction that approximates JSON output modes for targets without them.
enum JSONModeInstruction {
    static func text(for format: ResponseFormat?) -> String? {
        switch format {
        case nil, .text?: return nil
        case .jsonObject?: return "Respond only with a single valid JSON object, without any other text."
        case .jsonSchema(_, let schema, _)?:
            return "Respond only with a single valid JSON value, without any other text, that conforms to this JSON Schema: "
                + schema.serializedString
        }
    }
}

private extension ChatRequest {
    /// True unless the last assistant turn calls tools without opening with a thinking block
    /// Anthropic signed (the Messages API requires one there while thinking is on). The turn is
    /// the one sent: consecutive assistant messages merged, messages that send nothing skipped.
    var lastToolTurnOpensWithAnthropicThinking: Bool {
        let sent = messages.filter { $0.content.contains(where: AnthropicRequestEncoder.isSent) }
        guard let last = sent.lastIndex(where: { $0.role == .assistant }) else { return true }
        let first = sent[..<last].lastIndex { $0.role != .assistant }.map { $0 + 1 } ?? sent.startIndex
        let turn = sent[first...last].flatMap(\.content)
        guard turn.contains(where: \.isToolCall) else { return true }
        switch turn.first(where: AnthropicRequestEncoder.isSent) {
        case .thinking?, .redactedThinking?: return true
        default: return false
        }
    }

    /// The request makes the model call a tool (some tool, or a named one).
    var forcesToolCall: Bool {
        guard !tools.isEmpty else { return false }
        switch toolChoice {
        case .required?, .tool?: return true
        default: return false
        }
    }
}
