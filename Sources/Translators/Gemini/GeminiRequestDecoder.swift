/// Decodes a Gemini generateContent / countTokens body into the canonical request.
public enum GeminiRequestDecoder {
    /// Decodes `body` for `model` (from the URL path, `models/` prefix optional) and `stream`
    /// (`streamGenerateContent`).
    public static func decode(_ body: [UInt8], model: String, stream: Bool = false) throws -> ChatRequest {
        let root = Reader(try parseBody(body), path: "")
        var request = try decode(root, model: model.hasPrefix("models/") ? String(model.dropFirst(7)) : model)
        request.stream = stream
        return request
    }

    /// Decodes a countTokens body: `{contents}` or `{generateContentRequest: {...}}`.
    public static func decodeCountTokens(_ body: [UInt8], model: String) throws -> ChatRequest {
        let root = Reader(try parseBody(body), path: "")
        let name = model.hasPrefix("models/") ? String(model.dropFirst(7)) : model
        if let inner = try root.reader(root.either("generateContentRequest", "generate_content_request")) {
            return try decode(inner, model: name)
        }
        return try decode(root, model: name)
    }

    static func decode(_ root: Reader, model: String) throws -> ChatRequest {
        var request = ChatRequest(model: model)
        if let system = try root.reader(root.either("systemInstruction", "system_instruction")) {
            request.system = try system.objects("parts").map { part in
                guard let text = try part.string("text") else { throw part.fail("text", "system parts must be text") }
                return .text(text)
            }
        }
        guard root.has("contents") else { throw root.fail("contents", "is required") }
        var pending = PendingCalls()
        let contents = try root.objects("contents")
        request.messages.reserveCapacity(contents.count)
        for content in contents {
            let roleName = try content.string("role") ?? "user"
            let role: Role
            switch roleName {
            case "user", "function": role = .user
            case "model": role = .assistant
            default: throw content.fail("role", "unknown role '\(roleName)' (expected user or model)")
            }
            var parts: [ContentPart] = []
            for part in try content.objects("parts") {
                let decoded = try decodePart(part, pending: &pending)
                // Calls are the model's and responses the user's: elsewhere no target can take them.
                switch (decoded, role) {
                case (.toolCall, .user): throw part.fail("functionCall", "belongs in a model turn")
                case (.toolResult, .assistant): throw part.fail("functionResponse", "belongs in a user turn")
                default: parts.append(decoded)
                }
            }
            request.messages.append(Message(role: role, content: parts))
        }
        for (offset, tool) in try root.objects("tools").enumerated() {
            let key = tool.either("functionDeclarations", "function_declarations")
            if tool.has(key) {
                for declaration in try tool.objects(key) {
                    let parameters = declaration.value(declaration.either("parametersJsonSchema", "parameters_json_schema"))
                        ?? declaration.value("parameters").map(GeminiSchema.toJSONSchema)
                        ?? ["type": "object", "properties": [:]]
                    request.tools.append(ToolDefinition(name: try declaration.requiredString("name"),
                                                        description: try declaration.string("description"),
                                                        parameters: parameters))
                }
            } else {
                var definition = ToolDefinition(name: tool.object.keys.first ?? "tool\(offset)")
                definition.builtin = BuiltinTool(dialect: .gemini, raw: .object(tool.object))
                request.tools.append(definition)
            }
        }
        if let config = try root.reader(root.either("toolConfig", "tool_config")),
           let calling = try config.reader(config.either("functionCallingConfig", "function_calling_config")) {
            let mode = try calling.string("mode") ?? "AUTO"
            let allowedKey = calling.either("allowedFunctionNames", "allowed_function_names")
            let allowed = try calling.strings(allowedKey)
            // Gemini refuses names it was not given; another target would be sent a choice of nothing.
            if let unknown = allowed.first(where: { name in !request.tools.contains { $0.builtin == nil && $0.name == name } }) {
                throw calling.fail(allowedKey, "'\(unknown)' is not a declared function")
            }
            switch mode {
            case "AUTO", "MODE_UNSPECIFIED": request.toolChoice = .auto
            case "NONE": request.toolChoice = ToolChoice.none
            // VALIDATED lets the model answer in text or call a function (calls schema-checked).
            case "VALIDATED": request.toolChoice = .auto
            case "ANY": request.toolChoice = allowed.count == 1 ? .tool(allowed[0]) : .required
            default: throw calling.fail("mode", "unknown function calling mode '\(mode)'")
            }
            // The functions the model may call (ANY, VALIDATED): the others are not offered.
            if mode == "ANY" || mode == "VALIDATED", !allowed.isEmpty {
                request.tools.removeAll { $0.builtin == nil && !allowed.contains($0.name) }
            }
        }
        request.unsupportedFields = root.unknownKeys(knownKeys)
        if let config = try root.reader(root.either("generationConfig", "generation_config")) {
            try decodeGenerationConfig(config, into: &request)
            request.unsupportedFields += config.unknownKeys(knownConfigKeys, prefix: "generationConfig.")
        }
        request.applyModelSuffix()
        return request
    }

    /// Top-level fields decoded above (`model` appears inside countTokens requests).
    static let knownKeys: Set<String> = [
        "contents", "systemInstruction", "system_instruction", "tools", "toolConfig", "tool_config",
        "generationConfig", "generation_config", "model",
    ]

    /// `generationConfig` fields decoded below.
    static let knownConfigKeys: Set<String> = [
        "temperature", "topP", "top_p", "topK", "top_k", "maxOutputTokens", "max_output_tokens", "stopSequences",
        "stop_sequences", "seed", "presencePenalty", "presence_penalty", "frequencyPenalty", "frequency_penalty",
        "candidateCount", "candidate_count", "responseMimeType", "response_mime_type", "responseJsonSchema",
        "response_json_schema", "responseSchema", "response_schema", "thinkingConfig", "thinking_config",
    ]

    static func decodeGenerationConfig(_ config: Reader, into request: inout ChatRequest) throws {
        var sampling = Sampling()
        sampling.temperature = try config.double("temperature")
        sampling.topP = try config.double(config.either("topP", "top_p"))
        sampling.topK = try config.int(config.either("topK", "top_k"))
        sampling.maxTokens = try config.int(config.either("maxOutputTokens", "max_output_tokens"))
        sampling.stop = try config.strings(config.either("stopSequences", "stop_sequences"))
        sampling.seed = try config.int("seed")
        sampling.presencePenalty = try config.double(config.either("presencePenalty", "presence_penalty"))
        sampling.frequencyPenalty = try config.double(config.either("frequencyPenalty", "frequency_penalty"))
        sampling.candidateCount = try config.int(config.either("candidateCount", "candidate_count"))
        request.sampling = sampling
        let mime = try config.string(config.either("responseMimeType", "response_mime_type"))
        let schema = config.value(config.either("responseJsonSchema", "response_json_schema"))
            ?? config.value(config.either("responseSchema", "response_schema")).map(GeminiSchema.toJSONSchema)
        if let schema {
            request.responseFormat = .jsonSchema(name: nil, schema: schema, strict: nil)
        } else if mime == "application/json" {
            request.responseFormat = .jsonObject
        }
        if let thinking = try config.reader(config.either("thinkingConfig", "thinking_config")) {
            var reasoning = Reasoning()
            reasoning.includeThoughts = try thinking.bool(thinking.either("includeThoughts", "include_thoughts"))
            if let budget = try thinking.int(thinking.either("thinkingBudget", "thinking_budget")) {
                reasoning.budgetTokens = budget < 0 ? nil : budget
                if budget < 0 { reasoning.effort = .auto }
            }
            if let level = try thinking.string(thinking.either("thinkingLevel", "thinking_level")) {
                guard let effort = ReasoningEffort(rawValue: level.lowercased()) else {
                    throw thinking.fail("thinkingLevel", "unknown thinking level '\(level)'")
                }
                reasoning.effort = effort
            }
            request.reasoning = reasoning
        }
    }

    static func decodePart(_ part: Reader, pending: inout PendingCalls) throws -> ContentPart {
        let signature = try part.string(part.either("thoughtSignature", "thought_signature"))
        if let text = try part.string("text") {
            if try part.bool("thought") == true {
                return .thinking(ThinkingPart(text: text, signature: signature, origin: .gemini))
            }
            return .text(TextPart(text: text, thoughtSignature: signature))
        }
        if let media = try decodeMedia(part) { return media }
        if let call = try part.reader(part.either("functionCall", "function_call")) {
            let name = try call.requiredString("name")
            let id = try call.string("id") ?? ProviderState.syntheticCallID(seed: "", index: pending.counter)
            pending.record(name: name, id: id)
            return .toolCall(ToolCall(id: id, name: name, arguments: call.value("args") ?? [:], thoughtSignature: signature))
        }
        if let response = try part.reader(part.either("functionResponse", "function_response")) {
            let name = try response.requiredString("name")
            let id = try response.string("id") ?? pending.close(name: name)
                ?? ProviderState.syntheticCallID(seed: "", index: pending.counter)
            let payload = response.value("response") ?? [:]
            var content: [ContentPart] = [.text(GeminiToolPayload.text(payload))]
            // A multimodal result: its images and documents go with the payload.
            for inner in try response.objects("parts") {
                guard let media = try decodeMedia(inner) else { throw inner.fail("", "unsupported part (expected inlineData or fileData)") }
                content.append(media)
            }
            return .toolResult(ToolResult(callID: id, name: name, content: content))
        }
        throw part.fail("", "unsupported part (expected text, inlineData, fileData, functionCall or functionResponse)")
    }

    /// An `inlineData` or `fileData` part as an image (by its MIME type) or a document.
    static func decodeMedia(_ part: Reader) throws -> ContentPart? {
        if let inline = try part.reader(part.either("inlineData", "inline_data")) {
            guard let data = Base64.standard(try inline.requiredString("data")) else { throw inline.fail("data", "invalid base64 data") }
            let mime = try inline.requiredString(inline.either("mimeType", "mime_type"))
            let media = MediaPart(source: .base64(mediaType: mime, data: data))
            return mime.hasPrefix("image/") ? .image(media) : .document(media)
        }
        if let file = try part.reader(part.either("fileData", "file_data")) {
            let mime = try file.string(file.either("mimeType", "mime_type"))
            let media = MediaPart(source: .url(try file.requiredString(file.either("fileUri", "file_uri")), mediaType: mime))
            return (mime ?? "image/").hasPrefix("image/") ? .image(media) : .document(media)
        }
        return nil
    }
}

/// Matches Gemini function responses without ids to the calls they answer (FIFO per name).
struct PendingCalls {
    var counter = 0
    var unanswered: [(name: String, id: String)] = []

    mutating func record(name: String, id: String) {
        counter += 1
        unanswered.append((name, id))
    }

    mutating func close(name: String) -> String? {
        guard let index = unanswered.firstIndex(where: { $0.name == name }) else { return nil }
        return unanswered.remove(at: index).id
    }
}

/// Gemini function response payloads ↔ tool result text.
enum GeminiToolPayload {
    /// `{"result": "text"}` (or `output` / `content`) unwraps to its text; other payloads serialize.
    static func text(_ payload: JSONValue) -> String {
        if let object = payload.object, object.count == 1, let key = object.keys.first,
           ["result", "output", "content"].contains(key), let text = object[key]?.string {
            return text
        }
        return payload.serializedString
    }

    /// Tool result text as a response object: a JSON object stays as is, anything else is wrapped.
    static func payload(_ text: String, isError: Bool) -> JSONValue {
        if !isError, let value = try? JSONValue.parse(text), case .object = value { return value }
        return [isError ? "error" : "result": .string(text)]
    }
}
