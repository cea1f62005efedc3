/// Encodes the canonical request as a Gemini generateContent (or countTokens) body.
public enum GeminiRequestEncoder {
    /// Documented placeholder Gemini accepts on function calls that carry no thought signature
    /// (calls made by another provider); without it Gemini 3 rejects the history.
    public static let placeholderSignature = "skip_thought_signature_validator"

    /// Encodes `request` as a generateContent body (the model goes in the URL).
    public static func encode(_ request: ChatRequest, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .gemini, strict: options.strict)
        try log.dropUnsupported(request)
        var out = JSONWriter(capacity: 4096)
        out.beginObject()
        try writeBody(request, into: &out, log: &log, includeGeneration: true)
        out.endObject()
        return EncodedBody(body: out.bytes, dropped: log.features)
    }

    /// Encodes `request` as a countTokens body: `{"generateContentRequest": {...}}`.
    public static func encodeCountTokens(_ request: ChatRequest, model: String, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .gemini, strict: options.strict)
        try log.dropUnsupported(request)
        var out = JSONWriter(capacity: 4096)
        out.beginObject()
        out.key("generateContentRequest")
        out.beginObject()
        out.field("model", "models/" + model)
        try writeBody(request, into: &out, log: &log, includeGeneration: false)
        out.endObject()
        out.endObject()
        return EncodedBody(body: out.bytes, dropped: log.features)
    }

    /// The members of a generateContent request, in the API's order.
    static func writeBody(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog, includeGeneration: Bool) throws {
        try writeContents(request.messages, into: &out, log: &log)
        if !request.system.isEmpty {
            out.key("systemInstruction")
            out.beginObject()
            out.key("parts")
            out.beginArray()
            for case .text(let text) in request.system {
                if text.cacheControl != nil { try log.drop("cache_control") }
                out.beginObject()
                out.field("text", text.text)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        var root = JSONObject()
        try encodeTools(request, into: &root, log: &log)
        for member in root.members {
            out.key(member.key)
            out.value(member.value)
        }
        if includeGeneration {
            let config = try encodeGenerationConfig(request, log: &log)
            if !config.isEmpty {
                out.key("generationConfig")
                out.value(.object(config))
            }
        }
    }

    /// `contents`: consecutive same-role turns merged; a Gemini thought signature rides on the
    /// part after its thought; calls from other providers get the placeholder signature.
    static func writeContents(_ messages: [Message], into out: inout JSONWriter, log: inout DropLog) throws {
        var names: [String: String] = [:]
        for message in messages {
            for case .toolCall(let call) in message.content { names[call.id] = call.name }
        }
        var merged: [(role: Role, parts: [(part: ContentPart, signature: String?)])] = []
        for message in messages {
            var parts: [(part: ContentPart, signature: String?)] = []
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
                case .redactedThinking:
                    try log.drop("thinking")
                case .toolCall(let call):
                    parts.append((part, call.thoughtSignature ?? carriedSignature ?? (signedCall ? nil : placeholderSignature)))
                    signedCall = true
                    carriedSignature = nil
                case .text(let text):
                    if text.cacheControl != nil { try log.drop("cache_control") }
                    parts.append((part, text.thoughtSignature ?? carriedSignature))
                    carriedSignature = nil
                case .image(let media), .document(let media):
                    if media.cacheControl != nil { try log.drop("cache_control") }
                    parts.append((part, nil))
                case .toolResult(let result):
                    if result.content.contains(where: { if case .text = $0 { false } else { true } }) {
                        try log.drop("tool_result_images")
                    }
                    if result.cacheControl != nil { try log.drop("cache_control") }
                    parts.append((part, nil))
                }
            }
            guard !parts.isEmpty else { continue }
            if let last = merged.last, last.role == message.role {
                merged[merged.count - 1].parts += parts
            } else {
                merged.append((message.role, parts))
            }
        }
        out.key("contents")
        out.beginArray()
        for turn in merged {
            out.beginObject()
            out.field("role", turn.role == .user ? "user" : "model")
            out.key("parts")
            out.beginArray()
            for (part, signature) in turn.parts {
                out.beginObject()
                writePart(part, names: names, into: &out)
                out.field("thoughtSignature", ifPresent: signature)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        out.endArray()
    }

    /// The members of one part (the caller opens and closes the part object).
    static func writePart(_ part: ContentPart, names: [String: String], into out: inout JSONWriter) {
        switch part {
        case .text(let text):
            out.field("text", text.text)
        case .image(let media), .document(let media):
            switch media.source {
            case .base64(let type, let data):
                out.key("inlineData")
                out.beginObject()
                out.field("mimeType", type)
                out.field("data", data)
                out.endObject()
            case .url(let url, let type):
                out.key("fileData")
                out.beginObject()
                out.field("mimeType", type ?? MediaTypes.guess(fromURL: url))
                out.field("fileUri", url)
                out.endObject()
            case .text(let text):
                out.field("text", text)
            }
        case .toolCall(let call):
            out.key("functionCall")
            out.beginObject()
            out.field("name", call.name)
            out.key("args")
            out.value(ToolArguments.object(call.arguments))
            if !ProviderState.isSynthetic(call.id) { out.field("id", call.id) }
            out.endObject()
        case .toolResult(let result):
            out.key("functionResponse")
            out.beginObject()
            if !ProviderState.isSynthetic(result.callID) { out.field("id", result.callID) }
            out.field("name", result.name ?? names[result.callID] ?? result.callID)
            out.key("response")
            out.value(GeminiToolPayload.payload(result.text, isError: result.isError))
            out.endObject()
        case .thinking, .redactedThinking:
            break
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
