/// Decodes an Anthropic Messages request body (or a count_tokens body) into the canonical request.
public enum AnthropicRequestDecoder {
    /// Decodes `body`. `countTokens` relaxes `max_tokens`, which count_tokens does not take.
    public static func decode(_ body: [UInt8], countTokens: Bool = false) throws -> ChatRequest {
        try decode(Reader(parseBody(body), path: ""), countTokens: countTokens)
    }

    static func decode(_ root: Reader, countTokens: Bool) throws -> ChatRequest {
        var request = ChatRequest(model: try root.requiredString("model"))
        if !root.has("messages") { throw root.fail("messages", "is required") }
        request.system = try decodeSystem(root)
        let messages = try root.objects("messages")
        request.messages.reserveCapacity(messages.count)
        for message in messages {
            let role = try message.requiredString("role")
            guard let canonical = Role(rawValue: role) else {
                throw message.fail("role", "unknown role '\(role)' (expected user or assistant)")
            }
            request.messages.append(Message(role: canonical, content: try decodeContent(message, key: "content")))
        }
        request.tools = try root.objects("tools").map(decodeTool)
        if let choice = try root.reader("tool_choice") {
            let type = try choice.requiredString("type")
            switch type {
            case "auto": request.toolChoice = .auto
            case "any": request.toolChoice = .required
            case "none": request.toolChoice = ToolChoice.none
            case "tool": request.toolChoice = .tool(try choice.requiredString("name"))
            default: throw choice.fail("type", "unknown tool choice '\(type)'")
            }
            if let disable = try choice.bool("disable_parallel_tool_use") { request.parallelToolCalls = !disable }
        }
        var sampling = Sampling()
        sampling.maxTokens = try root.int("max_tokens")
        if sampling.maxTokens == nil && !countTokens { throw root.fail("max_tokens", "is required") }
        sampling.temperature = try root.double("temperature")
        sampling.topP = try root.double("top_p")
        sampling.topK = try root.int("top_k")
        sampling.stop = try root.strings("stop_sequences")
        request.sampling = sampling
        request.reasoning = try decodeThinking(root)
        if let format = try root.reader("output_format") ?? root.reader("output_config")?.reader("format") {
            let type = try format.requiredString("type")
            guard type == "json_schema" else { throw format.fail("type", "unknown output format '\(type)'") }
            request.responseFormat = .jsonSchema(name: nil, schema: format.value("schema") ?? [:], strict: nil)
        }
        request.stream = try root.bool("stream") ?? false
        request.metadata.userID = try root.reader("metadata")?.string("user_id")
        request.metadata.conversationID = try root.string("conversation_id")
        request.unsupportedFields = root.unknownKeys(knownKeys)
        request.applyModelSuffix()
        return request
    }

    /// Fields decoded above, plus `service_tier`, which does not change the output.
    static let knownKeys: Set<String> = [
        "model", "messages", "system", "tools", "tool_choice", "max_tokens", "temperature", "top_p", "top_k",
        "stop_sequences", "thinking", "output_format", "output_config", "stream", "metadata", "conversation_id",
        "service_tier",
    ]

    static func decodeSystem(_ root: Reader) throws -> [ContentPart] {
        guard let value = root.value("system") else { return [] }
        if let text = value.string { return [.text(text)] }
        guard value.array != nil else { throw root.fail("system", "must be a string or an array of text blocks") }
        return try root.objects("system").map { block in
            let type = try block.requiredString("type")
            guard type == "text" else { throw block.fail("type", "system blocks must be text, not '\(type)'") }
            return .text(TextPart(text: try block.requiredString("text"), cacheControl: block.value("cache_control")))
        }
    }

    static func decodeThinking(_ root: Reader) throws -> Reasoning? {
        if let thinking = try root.reader("thinking") {
            let type = try thinking.requiredString("type")
            switch type {
            case "enabled":
                guard let budget = try thinking.int("budget_tokens") else { throw thinking.fail("budget_tokens", "is required") }
                return Reasoning(budgetTokens: budget, includeThoughts: true)
            case "disabled": return Reasoning(effort: ReasoningEffort.none)
            case "adaptive": return Reasoning(effort: .auto, includeThoughts: true)
            default: throw thinking.fail("type", "unknown thinking type '\(type)'")
            }
        }
        if let effort = try root.reader("output_config")?.string("effort") {
            guard let level = ReasoningEffort(rawValue: effort) else {
                throw root.fail("output_config.effort", "unknown effort '\(effort)'")
            }
            return Reasoning(effort: level)
        }
        return nil
    }

    /// A string or an array of content blocks.
    static func decodeContent(_ message: Reader, key: String) throws -> [ContentPart] {
        guard let value = message.value(key) else { throw message.fail(key, "is required") }
        if let text = value.string { return [.text(text)] }
        guard value.array != nil else {
            throw message.fail(key, "must be a string or an array of content blocks, not \(value.typeName)")
        }
        return try message.objects(key).map(decodeBlock)
    }

    static func decodeBlock(_ block: Reader) throws -> ContentPart {
        let type = try block.requiredString("type")
        let cache = block.value("cache_control")
        switch type {
        case "text":
            return .text(TextPart(text: try block.requiredString("text"), cacheControl: cache))
        case "image":
            return .image(MediaPart(source: try decodeSource(block), cacheControl: cache))
        case "document":
            return .document(MediaPart(source: try decodeSource(block), title: try block.string("title"), cacheControl: cache))
        case "tool_use":
            let (id, signature) = ProviderState.split(id: try block.requiredString("id"))
            return .toolCall(ToolCall(id: id, name: try block.requiredString("name"),
                                      arguments: block.value("input") ?? [:], thoughtSignature: signature))
        case "tool_result":
            let (id, _) = ProviderState.split(id: try block.requiredString("tool_use_id"))
            var content: [ContentPart] = []
            if let value = block.value("content") {
                if let text = value.string {
                    content = [.text(text)]
                } else {
                    content = try block.objects("content").map(decodeBlock)
                }
            }
            var result = ToolResult(callID: id, content: content, isError: try block.bool("is_error") ?? false)
            result.cacheControl = cache
            return .toolResult(result)
        case "thinking":
            let raw = try block.string("signature") ?? ""
            let (signature, origin) = ProviderState.readSignature(raw, from: .anthropic)
            return .thinking(ThinkingPart(text: try block.requiredString("thinking"),
                                          signature: signature.isEmpty ? nil : signature, origin: raw.isEmpty ? nil : origin))
        case "redacted_thinking":
            return .redactedThinking(data: try block.requiredString("data"))
        default:
            throw block.fail("type", "unsupported content block type '\(type)'")
        }
    }

    static func decodeSource(_ block: Reader) throws -> MediaSource {
        guard let source = try block.reader("source") else { throw block.fail("source", "is required") }
        let type = try source.requiredString("type")
        switch type {
        case "base64":
            guard let data = Base64.standard(try source.requiredString("data")) else { throw source.fail("data", "invalid base64 data") }
            return .base64(mediaType: try source.requiredString("media_type"), data: data)
        case "url":
            return .url(try source.requiredString("url"), mediaType: nil)
        case "text":
            return .text(try source.requiredString("data"))
        default:
            throw source.fail("type", "unsupported source type '\(type)'")
        }
    }

    static func decodeTool(_ tool: Reader) throws -> ToolDefinition {
        if let type = try tool.string("type"), type != "custom" {
            var definition = ToolDefinition(name: try tool.string("name") ?? type)
            definition.builtin = BuiltinTool(dialect: .anthropic, raw: .object(tool.object))
            return definition
        }
        guard let schema = tool.value("input_schema") else { throw tool.fail("input_schema", "is required") }
        var definition = ToolDefinition(name: try tool.requiredString("name"), description: try tool.string("description"),
                                        parameters: schema)
        definition.cacheControl = tool.value("cache_control")
        return definition
    }
}
