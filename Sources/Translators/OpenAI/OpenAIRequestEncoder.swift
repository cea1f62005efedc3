/// Encodes the canonical request as an OpenAI Chat Completions body.
public enum OpenAIRequestEncoder {
    /// Encodes `request` for model `model` (the upstream's name for it).
    public static func encode(_ request: ChatRequest, model: String, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .openai, strict: options.strict)
        try log.dropUnsupported(request)
        var root = JSONObject()
        root.append("model", .string(model))
        var messages: [JSONValue] = []
        if !request.system.isEmpty {
            if request.system.contains(where: { if case .text(let t) = $0 { t.cacheControl != nil } else { false } }) {
                try log.drop("cache_control")
            }
            let text = request.system.compactMap(\.textValue).joined(separator: "\n\n")
            messages.append(["role": "system", "content": .string(text)])
        }
        for message in request.messages {
            try encodeMessage(message, into: &messages, log: &log)
        }
        root.append("messages", .array(messages))
        try encodeTools(request, into: &root, log: &log)
        try encodeSampling(request, into: &root, log: &log)
        if request.stream {
            root.append("stream", true)
            root.append("stream_options", ["include_usage": true])
        }
        if let user = request.metadata.userID { root.append("user", .string(user)) }
        if let tags = request.metadata.tags { root.append("metadata", .object(tags)) }
        return EncodedBody(body: JSONValue.object(root).serialized(), dropped: log.features)
    }

    static func encodeMessage(_ message: Message, into messages: inout [JSONValue], log: inout DropLog) throws {
        switch message.role {
        case .user:
            var parts: [JSONValue] = []
            for part in message.content {
                switch part {
                case .toolResult(let result):
                    if result.content.contains(where: { if case .text = $0 { false } else { true } }) {
                        try log.drop("tool_result_images")
                    }
                    if result.cacheControl != nil { try log.drop("cache_control") }
                    messages.append(["role": "tool", "tool_call_id": .string(result.callID), "content": .string(result.text)])
                default:
                    if let encoded = try encodeUserPart(part, log: &log) { parts.append(encoded) }
                }
            }
            guard !parts.isEmpty else { return }
            var object: JSONObject = ["role": "user"]
            if parts.count == 1, let text = parts[0]["text"], parts[0]["type"] == "text" {
                object.append("content", text)
            } else {
                object.append("content", .array(parts))
            }
            object.append("name", ifPresent: message.name.map(JSONValue.string))
            messages.append(.object(object))
        case .assistant:
            var text = ""
            var calls: [JSONValue] = []
            for part in message.content {
                switch part {
                case .text(let part):
                    if part.cacheControl != nil { try log.drop("cache_control") }
                    text += part.text
                case .toolCall(let call):
                    calls.append(["id": .string(call.id), "type": "function",
                                  "function": ["name": .string(call.name), "arguments": .string(ToolArguments.text(call.arguments))]])
                case .thinking, .redactedThinking:
                    try log.drop("thinking")
                default:
                    try log.drop("assistant_media")
                }
            }
            var object: JSONObject = ["role": "assistant"]
            object.append("content", text.isEmpty && !calls.isEmpty ? .null : .string(text))
            if !calls.isEmpty { object.append("tool_calls", .array(calls)) }
            object.append("name", ifPresent: message.name.map(JSONValue.string))
            messages.append(.object(object))
        }
    }

    static func encodeUserPart(_ part: ContentPart, log: inout DropLog) throws -> JSONValue? {
        switch part {
        case .text(let text):
            if text.cacheControl != nil { try log.drop("cache_control") }
            return ["type": "text", "text": .string(text.text)]
        case .image(let media):
            if media.cacheControl != nil { try log.drop("cache_control") }
            let url: String
            switch media.source {
            case .base64(let type, let data): url = DataURL.make(mediaType: type, data: data)
            case .url(let link, _): url = link
            case .text(let text): return ["type": "text", "text": .string(text)]
            }
            var image: JSONObject = ["url": .string(url)]
            image.append("detail", ifPresent: media.detail.map(JSONValue.string))
            return ["type": "image_url", "image_url": .object(image)]
        case .document(let media):
            switch media.source {
            case .base64(let type, let data):
                var file: JSONObject = ["file_data": .string(DataURL.make(mediaType: type, data: data))]
                file.append("filename", .string(media.title ?? "document.pdf"))
                return ["type": "file", "file": .object(file)]
            case .text(let text):
                return ["type": "text", "text": .string(text)]
            case .url:
                try log.drop("document_url")
                return nil
            }
        case .thinking, .redactedThinking, .toolCall, .toolResult:
            try log.drop("thinking")
            return nil
        }
    }

    static func encodeTools(_ request: ChatRequest, into root: inout JSONObject, log: inout DropLog) throws {
        var tools: [JSONValue] = []
        for tool in request.tools {
            if let builtin = tool.builtin {
                if builtin.dialect == .openai { tools.append(builtin.raw) } else { try log.drop("builtin_tools") }
                continue
            }
            if tool.cacheControl != nil { try log.drop("cache_control") }
            var function: JSONObject = ["name": .string(tool.name)]
            function.append("description", ifPresent: tool.description.map(JSONValue.string))
            function.append("parameters", tool.parameters)
            function.append("strict", ifPresent: tool.strict.map(JSONValue.bool))
            tools.append(["type": "function", "function": .object(function)])
        }
        if !tools.isEmpty { root.append("tools", .array(tools)) }
        if let choice = request.toolChoice {
            switch choice {
            case .auto: root.append("tool_choice", "auto")
            case .none: root.append("tool_choice", "none")
            case .required: root.append("tool_choice", "required")
            case .tool(let name): root.append("tool_choice", ["type": "function", "function": ["name": .string(name)]])
            }
        }
        if let parallel = request.parallelToolCalls, !tools.isEmpty { root.append("parallel_tool_calls", .bool(parallel)) }
    }

    static func encodeSampling(_ request: ChatRequest, into root: inout JSONObject, log: inout DropLog) throws {
        let sampling = request.sampling
        root.append("temperature", ifPresent: sampling.temperature.map { .number(JSONNumber($0)) })
        root.append("top_p", ifPresent: sampling.topP.map { .number(JSONNumber($0)) })
        if sampling.topK != nil { try log.drop("top_k") }
        if let maxTokens = sampling.maxTokens {
            root.append(request.reasoning == nil ? "max_tokens" : "max_completion_tokens", .number(JSONNumber(maxTokens)))
        }
        if !sampling.stop.isEmpty { root.append("stop", .array(sampling.stop.map(JSONValue.string))) }
        root.append("seed", ifPresent: sampling.seed.map { .number(JSONNumber($0)) })
        root.append("presence_penalty", ifPresent: sampling.presencePenalty.map { .number(JSONNumber($0)) })
        root.append("frequency_penalty", ifPresent: sampling.frequencyPenalty.map { .number(JSONNumber($0)) })
        root.append("n", ifPresent: sampling.candidateCount.map { .number(JSONNumber($0)) })
        switch request.responseFormat {
        case nil: break
        case .text: root.append("response_format", ["type": "text"])
        case .jsonObject: root.append("response_format", ["type": "json_object"])
        case .jsonSchema(let name, let schema, let strict):
            var object: JSONObject = ["name": .string(name ?? "response"), "schema": schema]
            object.append("strict", ifPresent: strict.map(JSONValue.bool))
            root.append("response_format", ["type": "json_schema", "json_schema": .object(object)])
        }
        if let reasoning = request.reasoning, reasoning.resolvedEffort != .auto {
            root.append("reasoning_effort", .string(reasoning.resolvedEffort.rawValue))
        }
    }
}
