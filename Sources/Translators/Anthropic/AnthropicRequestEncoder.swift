/// Encodes the canonical request as an Anthropic Messages (or count_tokens) body.
public enum AnthropicRequestEncoder {
    /// `max_tokens` sent when the client gave none (Anthropic requires it).
    public static let defaultMaxTokens = 4096

    /// Encodes `request` for `model`. `countTokens` omits generation-only fields.
    public static func encode(_ request: ChatRequest, model: String, options: TranslationOptions = .init(),
                              countTokens: Bool = false) throws -> EncodedBody {
        var log = DropLog(target: .anthropic, strict: options.strict)
        try log.dropUnsupported(request)
        var root = JSONObject()
        root.append("model", .string(model))
        var maxTokens = request.sampling.maxTokens ?? defaultMaxTokens
        var thinking: JSONValue?
        if let reasoning = request.reasoning, !reasoning.isDisabled {
            var budget = reasoning.resolvedBudget
            if budget < 0 { budget = ReasoningEffort.medium.budgetTokens }
            budget = max(budget, 1024)
            if maxTokens <= budget { maxTokens += budget }
            thinking = ["type": "enabled", "budget_tokens": .number(JSONNumber(budget))]
        }
        if !countTokens { root.append("max_tokens", .number(JSONNumber(maxTokens))) }
        var system = request.system
        if let instruction = JSONModeInstruction.text(for: request.responseFormat) { system.append(.text(instruction)) }
        if !system.isEmpty {
            let plain = system.allSatisfy { if case .text(let t) = $0 { t.cacheControl == nil } else { false } }
            if plain && system.count == 1, let text = system[0].textValue {
                root.append("system", .string(text))
            } else {
                root.append("system", .array(system.compactMap { part in
                    guard case .text(let text) = part else { return nil }
                    return textBlock(text)
                }))
            }
        }
        root.append("messages", .array(try encodeMessages(request.messages, log: &log)))
        try encodeTools(request, into: &root, log: &log)
        if let thinking { root.append("thinking", thinking) }
        if countTokens { return EncodedBody(body: JSONValue.object(root).serialized(), dropped: log.features) }
        let sampling = request.sampling
        if !sampling.stop.isEmpty { root.append("stop_sequences", .array(sampling.stop.map(JSONValue.string))) }
        root.append("temperature", ifPresent: sampling.temperature.map { .number(JSONNumber($0)) })
        root.append("top_p", ifPresent: sampling.topP.map { .number(JSONNumber($0)) })
        root.append("top_k", ifPresent: sampling.topK.map { .number(JSONNumber($0)) })
        if sampling.seed != nil { try log.drop("seed") }
        if sampling.presencePenalty != nil { try log.drop("presence_penalty") }
        if sampling.frequencyPenalty != nil { try log.drop("frequency_penalty") }
        if let count = sampling.candidateCount, count > 1 { try log.drop("n") }
        if let user = request.metadata.userID { root.append("metadata", ["user_id": .string(user)]) }
        if request.stream { root.append("stream", true) }
        return EncodedBody(body: JSONValue.object(root).serialized(), dropped: log.features)
    }

    static func textBlock(_ text: TextPart) -> JSONValue {
        var block: JSONObject = ["type": "text", "text": .string(text.text)]
        block.append("cache_control", ifPresent: text.cacheControl)
        return .object(block)
    }

    /// Messages with consecutive same-role turns merged (the API wants alternation) and tool
    /// results first in each user turn (the API wants them before any other block).
    static func encodeMessages(_ messages: [Message], log: inout DropLog) throws -> [JSONValue] {
        var merged: [(role: Role, results: [JSONValue], blocks: [JSONValue])] = []
        for message in messages {
            var results: [JSONValue] = []
            var blocks: [JSONValue] = []
            for part in message.content {
                guard let block = try encodePart(part, log: &log) else { continue }
                if case .toolResult = part { results.append(block) } else { blocks.append(block) }
            }
            guard !results.isEmpty || !blocks.isEmpty else { continue }
            if let last = merged.last, last.role == message.role {
                merged[merged.count - 1].results += results
                merged[merged.count - 1].blocks += blocks
            } else {
                merged.append((message.role, results, blocks))
            }
        }
        return merged.map { ["role": .string($0.role.rawValue), "content": .array($0.results + $0.blocks)] }
    }

    static func encodePart(_ part: ContentPart, log: inout DropLog) throws -> JSONValue? {
        switch part {
        case .text(let text):
            return text.text.isEmpty ? nil : textBlock(text)
        case .image(let media):
            return mediaBlock("image", media)
        case .document(let media):
            return mediaBlock("document", media)
        case .toolCall(let call):
            return ["type": "tool_use", "id": .string(call.id), "name": .string(call.name),
                    "input": ToolArguments.object(call.arguments)]
        case .toolResult(let result):
            var block: JSONObject = ["type": "tool_result", "tool_use_id": .string(result.callID)]
            if result.content.count == 1, let text = result.content[0].textValue {
                block.append("content", .string(text))
            } else {
                block.append("content", .array(try result.content.compactMap { try encodePart($0, log: &log) }))
            }
            if result.isError { block.append("is_error", true) }
            block.append("cache_control", ifPresent: result.cacheControl)
            return .object(block)
        case .thinking(let thinking):
            guard let signature = thinking.signature, thinking.origin == .anthropic else {
                try log.drop("thinking")
                return nil
            }
            return ["type": "thinking", "thinking": .string(thinking.text), "signature": .string(signature)]
        case .redactedThinking(let data):
            return ["type": "redacted_thinking", "data": .string(data)]
        }
    }

    static func mediaBlock(_ type: String, _ media: MediaPart) -> JSONValue {
        let source: JSONValue
        switch media.source {
        case .base64(let mediaType, let data):
            source = ["type": "base64", "media_type": .string(mediaType), "data": .string(data)]
        case .url(let url, _):
            source = ["type": "url", "url": .string(url)]
        case .text(let text):
            if type == "image" { return ["type": "text", "text": .string(text)] }
            source = ["type": "text", "media_type": "text/plain", "data": .string(text)]
        }
        var block: JSONObject = ["type": .string(type), "source": source]
        if type == "document" { block.append("title", ifPresent: media.title.map(JSONValue.string)) }
        block.append("cache_control", ifPresent: media.cacheControl)
        return .object(block)
    }

    static func encodeTools(_ request: ChatRequest, into root: inout JSONObject, log: inout DropLog) throws {
        var tools: [JSONValue] = []
        for tool in request.tools {
            if let builtin = tool.builtin {
                if builtin.dialect == .anthropic { tools.append(builtin.raw) } else { try log.drop("builtin_tools") }
                continue
            }
            var object: JSONObject = ["name": .string(tool.name)]
            object.append("description", ifPresent: tool.description.map(JSONValue.string))
            object.append("input_schema", tool.parameters)
            object.append("cache_control", ifPresent: tool.cacheControl)
            tools.append(.object(object))
        }
        if !tools.isEmpty { root.append("tools", .array(tools)) }
        var choice: JSONObject?
        switch request.toolChoice {
        case nil: choice = nil
        case .some(.auto): choice = ["type": "auto"]
        case .some(ToolChoice.none): choice = ["type": "none"]
        case .some(.required): choice = ["type": "any"]
        case .some(.tool(let name)): choice = ["type": "tool", "name": .string(name)]
        }
        if let parallel = request.parallelToolCalls, !tools.isEmpty, choice != nil || !parallel {
            var object = choice ?? ["type": "auto"]
            if object["type"] != "none" { object.append("disable_parallel_tool_use", .bool(!parallel)) }
            choice = object
        }
        if let choice, !tools.isEmpty || request.toolChoice == ToolChoice.none { root.append("tool_choice", .object(choice)) }
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
