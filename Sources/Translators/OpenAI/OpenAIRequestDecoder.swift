/// Decodes an OpenAI Chat Completions request body into the canonical request.
public enum OpenAIRequestDecoder {
    /// Decodes `body`; the model suffix is applied (see `ChatRequest.applyModelSuffix`).
    public static func decode(_ body: [UInt8]) throws -> ChatRequest {
        try decode(Reader(parseBody(body), path: ""))
    }

    static func decode(_ root: Reader) throws -> ChatRequest {
        var request = ChatRequest(model: try root.requiredString("model"))
        let messages = try root.objects("messages")
        request.messages.reserveCapacity(messages.count)
        for message in messages {
            try decodeMessage(message, into: &request)
        }
        if !root.has("messages") { throw root.fail("messages", "is required") }
        request.tools = try root.objects("tools").map(decodeTool)
        request.toolChoice = try decodeToolChoice(root)
        request.parallelToolCalls = try root.bool("parallel_tool_calls")
        var sampling = Sampling()
        sampling.temperature = try root.double("temperature")
        sampling.topP = try root.double("top_p")
        sampling.topK = try root.int("top_k")
        sampling.maxTokens = try root.int("max_completion_tokens") ?? root.int("max_tokens")
        sampling.stop = try root.strings("stop")
        sampling.seed = try root.int("seed")
        sampling.presencePenalty = try root.double("presence_penalty")
        sampling.frequencyPenalty = try root.double("frequency_penalty")
        sampling.candidateCount = try root.int("n")
        request.sampling = sampling
        if let format = try root.reader("response_format") {
            request.responseFormat = try decodeResponseFormat(format)
        }
        if let effort = try root.string("reasoning_effort") {
            guard let level = ReasoningEffort(rawValue: effort) else {
                throw root.fail("reasoning_effort", "unknown effort '\(effort)'")
            }
            request.reasoning = Reasoning(effort: level)
        }
        request.stream = try root.bool("stream") ?? false
        request.includeUsageInStream = try root.reader("stream_options")?.bool("include_usage") ?? false
        request.metadata.userID = try root.string("user")
        request.metadata.conversationID = try root.string("conversation_id")
        request.metadata.tags = try root.reader("metadata")?.object
        request.unsupportedFields = root.unknownKeys(knownKeys)
        request.applyModelSuffix()
        return request
    }

    /// Fields decoded above, plus ones that do not change the output (`store`, `service_tier`…).
    static let knownKeys: Set<String> = [
        "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "temperature", "top_p", "top_k",
        "max_completion_tokens", "max_tokens", "stop", "seed", "presence_penalty", "frequency_penalty", "n",
        "response_format", "reasoning_effort", "stream", "stream_options", "user", "conversation_id", "metadata",
        "store", "service_tier", "safety_identifier", "prompt_cache_key",
    ]

    static func decodeMessage(_ message: Reader, into request: inout ChatRequest) throws {
        let role = try message.requiredString("role")
        switch role {
        case "system", "developer":
            request.system += try decodeContent(message, key: "content").filter { part in
                guard case .text = part else {
                    throw message.fail("content", "a \(role) message may contain only text")
                }
                return true
            }
        case "user":
            let content = try decodeContent(message, key: "content")
            request.messages.append(Message(role: .user, content: content, name: try message.string("name")))
        case "assistant":
            var content: [ContentPart] = []
            if let reasoning = try message.string("reasoning_content") ?? message.string("reasoning"), !reasoning.isEmpty {
                content.append(.thinking(ThinkingPart(text: reasoning, origin: .openai)))
            }
            content += try decodeContent(message, key: "content")
            if let refusal = try message.string("refusal") { content.append(.text(refusal)) }
            for call in try message.objects("tool_calls") {
                content.append(.toolCall(try decodeToolCall(call)))
            }
            request.messages.append(Message(role: .assistant, content: content, name: try message.string("name")))
        case "tool":
            let (id, _) = ProviderState.split(id: try message.requiredString("tool_call_id"))
            let result = ToolResult(callID: id, content: try decodeContent(message, key: "content"))
            if let last = request.messages.last, last.role == .user,
               last.content.allSatisfy({ if case .toolResult = $0 { true } else { false } }) {
                request.messages[request.messages.count - 1].content.append(.toolResult(result))
            } else {
                request.messages.append(Message(role: .user, content: [.toolResult(result)]))
            }
        default:
            throw message.fail("role", "unknown role '\(role)' (expected system, developer, user, assistant or tool)")
        }
    }

    /// A string or an array of content parts.
    static func decodeContent(_ message: Reader, key: String) throws -> [ContentPart] {
        guard let value = message.value(key) else { return [] }
        switch value {
        case .string(let text): return [.text(text)]
        case .array:
            return try message.objects(key).compactMap(decodePart)
        default:
            throw message.fail(key, "must be a string or an array of content parts, not \(value.typeName)")
        }
    }

    static func decodePart(_ part: Reader) throws -> ContentPart? {
        let type = try part.requiredString("type")
        switch type {
        case "text", "input_text": return .text(try part.requiredString("text"))
        case "refusal": return .text(try part.requiredString("refusal"))
        case "image_url":
            let url: String
            var detail: String?
            if let nested = try? part.reader("image_url") {
                url = try nested.requiredString("url")
                detail = try nested.string("detail")
            } else {
                url = try part.requiredString("image_url")
            }
            return .image(MediaPart(source: try mediaSource(url: url, path: part.child("image_url.url")), detail: detail))
        case "file":
            guard let file = try part.reader("file") else { throw part.fail("file", "is required") }
            guard let data = try file.string("file_data") else {
                throw file.fail("file_data", "is required (uploaded file ids cannot be translated)")
            }
            return .document(MediaPart(source: try mediaSource(url: data, path: file.child("file_data")),
                                        title: try file.string("filename")))
        default:
            throw part.fail("type", "unsupported content part type '\(type)'")
        }
    }

    /// A `data:` URL (validated base64) or a plain URL.
    static func mediaSource(url: String, path: String) throws -> MediaSource {
        if let inline = DataURL.parse(url) {
            guard let data = Base64.standard(inline.data) else { throw TranslationError.malformed(path: path, message: "invalid base64 data") }
            return .base64(mediaType: inline.mediaType, data: data)
        }
        if url.hasPrefix("data:") { throw TranslationError.malformed(path: path, message: "data URLs must be base64") }
        return .url(url, mediaType: nil)
    }

    /// A tool call; `madeUpID` names one that came without an id (or an empty one), which some
    /// OpenAI-compatible servers answer with; without it the id is required.
    static func decodeToolCall(_ call: Reader, madeUpID: String? = nil) throws -> ToolCall {
        guard let function = try call.reader("function") else { throw call.fail("function", "is required") }
        let given = try call.string("id").flatMap { $0.isEmpty ? nil : $0 }
        guard let rawID = given ?? madeUpID else { throw call.fail("id", "is required") }
        return try decodeFunctionCall(function, id: rawID)
    }

    /// A `function` object (`name`, `arguments`) as the call `id` (which may carry a signature).
    static func decodeFunctionCall(_ function: Reader, id rawID: String) throws -> ToolCall {
        let (id, signature) = ProviderState.split(id: rawID)
        let argumentsText = try ToolArguments.text(of: function) ?? "{}"
        return ToolCall(id: id, name: try function.requiredString("name"),
                        arguments: ToolArguments.parse(argumentsText), thoughtSignature: signature)
    }

    static func decodeTool(_ tool: Reader) throws -> ToolDefinition {
        let type = try tool.string("type") ?? "function"
        guard type == "function" else {
            var definition = ToolDefinition(name: type)
            definition.builtin = BuiltinTool(dialect: .openai, raw: .object(tool.object))
            return definition
        }
        guard let function = try tool.reader("function") else { throw tool.fail("function", "is required") }
        return ToolDefinition(name: try function.requiredString("name"),
                              description: try function.string("description"),
                              parameters: function.value("parameters") ?? ["type": "object", "properties": [:]],
                              strict: try function.bool("strict"))
    }

    static func decodeToolChoice(_ root: Reader) throws -> ToolChoice? {
        guard let value = root.value("tool_choice") else { return nil }
        if let mode = value.string {
            switch mode {
            case "auto": return .auto
            case "none": return ToolChoice.none
            case "required": return .required
            default: throw root.fail("tool_choice", "unknown mode '\(mode)'")
            }
        }
        let choice = try Reader(value, path: root.child("tool_choice"))
        guard let function = try choice.reader("function") else { throw choice.fail("function", "is required") }
        return .tool(try function.requiredString("name"))
    }

    static func decodeResponseFormat(_ format: Reader) throws -> ResponseFormat {
        let type = try format.requiredString("type")
        switch type {
        case "text": return .text
        case "json_object": return .jsonObject
        case "json_schema":
            guard let schema = try format.reader("json_schema") else { throw format.fail("json_schema", "is required") }
            return .jsonSchema(name: try schema.string("name"), schema: schema.value("schema") ?? [:],
                               strict: try schema.bool("strict"))
        default: throw format.fail("type", "unknown response format '\(type)'")
        }
    }
}

/// Tool-call argument text ↔ JSON.
enum ToolArguments {
    /// A function's `arguments`: a string of JSON, or (from llama.cpp's and TGI's
    /// OpenAI-compatible servers) the JSON object itself, taken as its text.
    static func text(of function: Reader) throws -> String? {
        switch function.value("arguments") {
        case .object(let object)?: JSONValue.object(object).serializedString
        default: try function.string("arguments")
        }
    }

    /// Parses arguments text; text that is not JSON is kept as a string value.
    static func parse(_ text: String) -> JSONValue {
        if text.isEmpty { return [:] }
        return (try? JSONValue.parse(text)) ?? .string(text)
    }

    /// Arguments as text for OpenAI (`arguments` is a string of JSON).
    static func text(_ value: JSONValue) -> String {
        if case .string(let raw) = value { return raw }
        return value.serializedString
    }

    /// Arguments as an object for Anthropic and Gemini, which take nothing else: arguments that
    /// are no JSON object (text cut off by a token limit, an array) become `{}`, reported as
    /// dropped `tool_call_arguments` (refused in strict mode).
    static func object(_ value: JSONValue, log: inout DropLog) throws -> JSONValue {
        if case .object = value { return value }
        try log.drop("tool_call_arguments")
        return [:]
    }

    /// The same for a model's answer, where nothing can be reported.
    static func object(_ value: JSONValue) -> JSONValue {
        if case .object = value { return value }
        return [:]
    }
}
