/// Encodes the canonical request as a Gemini generateContent (or countTokens) body.
public enum GeminiRequestEncoder {
    /// Documented placeholder Gemini accepts on function calls that carry no thought signature
    /// (calls made by another provider); without it Gemini 3 rejects the history.
    public static let placeholderSignature = "skip_thought_signature_validator"

    /// Encodes `request` as a generateContent body (the model goes in the URL).
    public static func encode(_ request: ChatRequest, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .gemini, strict: options.strict)
        try log.dropUnsupported(request)
        let root = try encodeRoot(request, log: &log, includeGeneration: true)
        return EncodedBody(body: JSONValue.object(root).serialized(), dropped: log.features)
    }

    /// Encodes `request` as a countTokens body: `{"generateContentRequest": {...}}`.
    public static func encodeCountTokens(_ request: ChatRequest, model: String, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .gemini, strict: options.strict)
        try log.dropUnsupported(request)
        var inner = try encodeRoot(request, log: &log, includeGeneration: false)
        inner.members.insert(JSONMember(key: "model", value: .string("models/" + model)), at: 0)
        let root: JSONValue = ["generateContentRequest": .object(inner)]
        return EncodedBody(body: root.serialized(), dropped: log.features)
    }

    static func encodeRoot(_ request: ChatRequest, log: inout DropLog, includeGeneration: Bool) throws -> JSONObject {
        var root = JSONObject()
        root.append("contents", .array(try encodeContents(request.messages, log: &log)))
        if !request.system.isEmpty {
            var parts: [JSONValue] = []
            for part in request.system {
                guard case .text(let text) = part else { continue }
                if text.cacheControl != nil { try log.drop("cache_control") }
                parts.append(["text": .string(text.text)])
            }
            root.append("systemInstruction", ["parts": .array(parts)])
        }
        try encodeTools(request, into: &root, log: &log)
        if includeGeneration {
            let config = try encodeGenerationConfig(request, log: &log)
            if !config.isEmpty { root.append("generationConfig", .object(config)) }
        }
        return root
    }

    static func encodeContents(_ messages: [Message], log: inout DropLog) throws -> [JSONValue] {
        var names: [String: String] = [:]
        for message in messages {
            for case .toolCall(let call) in message.content { names[call.id] = call.name }
        }
        var merged: [(role: String, parts: [JSONValue])] = []
        for message in messages {
            var parts: [JSONValue] = []
            var carriedSignature: String?
            var signedCall = false
            for part in message.content {
                switch part {
                case .thinking(let thinking):
                    if thinking.origin == .gemini {
                        // Gemini does not take thought text back; only its signature matters.
                        carriedSignature = thinking.signature ?? carriedSignature
                    } else if message.role == .assistant {
                        try log.drop("thinking")
                    }
                    continue
                case .redactedThinking:
                    try log.drop("thinking")
                    continue
                default:
                    break
                }
                guard var object = try encodePart(part, names: names, log: &log) else { continue }
                if case .toolCall(let call) = part {
                    let signature = call.thoughtSignature ?? carriedSignature
                        ?? (signedCall ? nil : placeholderSignature)
                    object.append("thoughtSignature", ifPresent: signature.map(JSONValue.string))
                    signedCall = true
                    carriedSignature = nil
                } else if case .text(let text) = part {
                    if let signature = text.thoughtSignature ?? carriedSignature {
                        object.append("thoughtSignature", .string(signature))
                        carriedSignature = nil
                    }
                }
                parts.append(.object(object))
            }
            guard !parts.isEmpty else { continue }
            let role = message.role == .user ? "user" : "model"
            if let last = merged.last, last.role == role {
                merged[merged.count - 1].parts += parts
            } else {
                merged.append((role, parts))
            }
        }
        return merged.map { ["role": .string($0.role), "parts": .array($0.parts)] }
    }

    static func encodePart(_ part: ContentPart, names: [String: String], log: inout DropLog) throws -> JSONObject? {
        switch part {
        case .text(let text):
            if text.cacheControl != nil { try log.drop("cache_control") }
            return ["text": .string(text.text)]
        case .image(let media), .document(let media):
            if media.cacheControl != nil { try log.drop("cache_control") }
            switch media.source {
            case .base64(let type, let data):
                return ["inlineData": ["mimeType": .string(type), "data": .string(data)]]
            case .url(let url, let type):
                return ["fileData": ["mimeType": .string(type ?? MediaTypes.guess(fromURL: url)), "fileUri": .string(url)]]
            case .text(let text):
                return ["text": .string(text)]
            }
        case .toolCall(let call):
            var function: JSONObject = ["name": .string(call.name), "args": ToolArguments.object(call.arguments)]
            if !ProviderState.isSynthetic(call.id) { function.append("id", .string(call.id)) }
            return ["functionCall": .object(function)]
        case .toolResult(let result):
            if result.content.contains(where: { if case .text = $0 { false } else { true } }) {
                try log.drop("tool_result_images")
            }
            if result.cacheControl != nil { try log.drop("cache_control") }
            var function: JSONObject = [:]
            if !ProviderState.isSynthetic(result.callID) { function.append("id", .string(result.callID)) }
            function.append("name", .string(result.name ?? names[result.callID] ?? result.callID))
            function.append("response", GeminiToolPayload.payload(result.text, isError: result.isError))
            return ["functionResponse": .object(function)]
        case .thinking, .redactedThinking:
            return nil
        }
    }

    static func encodeTools(_ request: ChatRequest, into root: inout JSONObject, log: inout DropLog) throws {
        var declarations: [JSONValue] = []
        var tools: [JSONValue] = []
        for tool in request.tools {
            if let builtin = tool.builtin {
                if builtin.dialect == .gemini { tools.append(builtin.raw) } else { try log.drop("builtin_tools") }
                continue
            }
            if tool.cacheControl != nil { try log.drop("cache_control") }
            var declaration: JSONObject = ["name": .string(tool.name)]
            declaration.append("description", ifPresent: tool.description.map(JSONValue.string))
            declaration.append("parametersJsonSchema", tool.parameters)
            declarations.append(.object(declaration))
        }
        if !declarations.isEmpty { tools.insert(["functionDeclarations": .array(declarations)], at: 0) }
        if !tools.isEmpty { root.append("tools", .array(tools)) }
        if let choice = request.toolChoice {
            var calling: JSONObject
            switch choice {
            case .auto: calling = ["mode": "AUTO"]
            case .none: calling = ["mode": "NONE"]
            case .required: calling = ["mode": "ANY"]
            case .tool(let name): calling = ["mode": "ANY", "allowedFunctionNames": [.string(name)]]
            }
            root.append("toolConfig", ["functionCallingConfig": .object(calling)])
        }
        if request.parallelToolCalls == false, !declarations.isEmpty { try log.drop("parallel_tool_calls") }
    }

    static func encodeGenerationConfig(_ request: ChatRequest, log: inout DropLog) throws -> JSONObject {
        let sampling = request.sampling
        var config = JSONObject()
        if !sampling.stop.isEmpty { config.append("stopSequences", .array(sampling.stop.map(JSONValue.string))) }
        config.append("candidateCount", ifPresent: sampling.candidateCount.map { .number(JSONNumber($0)) })
        config.append("maxOutputTokens", ifPresent: sampling.maxTokens.map { .number(JSONNumber($0)) })
        config.append("temperature", ifPresent: sampling.temperature.map { .number(JSONNumber($0)) })
        config.append("topP", ifPresent: sampling.topP.map { .number(JSONNumber($0)) })
        config.append("topK", ifPresent: sampling.topK.map { .number(JSONNumber($0)) })
        config.append("seed", ifPresent: sampling.seed.map { .number(JSONNumber($0)) })
        config.append("presencePenalty", ifPresent: sampling.presencePenalty.map { .number(JSONNumber($0)) })
        config.append("frequencyPenalty", ifPresent: sampling.frequencyPenalty.map { .number(JSONNumber($0)) })
        switch request.responseFormat {
        case nil, .text?: break
        case .jsonObject?: config.append("responseMimeType", "application/json")
        case .jsonSchema(_, let schema, _)?:
            config.append("responseMimeType", "application/json")
            config.append("responseJsonSchema", schema)
        }
        if let reasoning = request.reasoning {
            var thinking = JSONObject()
            thinking.append("thinkingBudget", .number(JSONNumber(reasoning.isDisabled ? 0 : reasoning.resolvedBudget)))
            if !reasoning.isDisabled { thinking.append("includeThoughts", ifPresent: reasoning.includeThoughts.map(JSONValue.bool)) }
            config.append("thinkingConfig", .object(thinking))
        }
        return config
    }
}
