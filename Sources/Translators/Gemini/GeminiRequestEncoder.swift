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
        try writeContents(resultsInCallOrder(request.messages), into: &out, log: &log)
        // Gemini refuses an empty part ("required oneof field 'data'"), as in an empty system message.
        let system = request.system.filter { !Self.isEmptyText($0) }
        if !system.isEmpty {
            out.key("systemInstruction")
            out.beginObject()
            out.key("parts")
            out.beginArray()
            for case .text(let text) in system {
                if text.cacheControl != nil { try log.drop("cache_control") }
                out.beginObject()
                out.field("text", text.text)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        try writeTools(request, into: &out, log: &log)
        if includeGeneration { try writeGenerationConfig(request, into: &out, log: &log) }
    }

    /// `contents`: consecutive same-role turns merged; a Gemini thought signature rides on the
    /// part after its thought; calls from other providers get the placeholder signature. Parts
    /// are written as they are met (a turn stays open while the role repeats), never regrouped.
    static func writeContents(_ messages: [Message], into out: inout JSONWriter, log: inout DropLog) throws {
        // A result takes the name of the latest call before it with its id: ids a client reuses
        // across turns (or synthetic ones) never borrow a later call's name.
        var names: [String: String] = [:]
        out.key("contents")
        out.beginArray()
        var openRole: Role?
        for message in messages {
            for case .toolCall(let call) in message.content { names[call.id] = call.name }
            // Thoughts are not parts of their own, nor empty texts (the content "" an OpenAI
            // client sends back beside its tool calls), so a message of only those adds nothing.
            let hasParts = message.content.contains { part in
                switch part {
                case .thinking, .redactedThinking: false
                default: !Self.isEmptyText(part)
                }
            }
            if hasParts && openRole != message.role {
                if openRole != nil { closeTurn(into: &out) }
                out.beginObject()
                out.field("role", message.role == .user ? "user" : "model")
                out.key("parts")
                out.beginArray()
                openRole = message.role
            }
            var carriedSignature: String?
            var signedCall = false
            for part in message.content {
                let signature: String?
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
                case .toolCall(let call):
                    signature = call.thoughtSignature ?? carriedSignature ?? (signedCall ? nil : placeholderSignature)
                    signedCall = true
                    carriedSignature = nil
                case .text(let text):
                    if Self.isEmptyText(part) { continue }  // a carried signature goes to the next part
                    if text.cacheControl != nil { try log.drop("cache_control") }
                    signature = text.thoughtSignature ?? carriedSignature
                    carriedSignature = nil
                case .image(let media), .document(let media):
                    if media.cacheControl != nil { try log.drop("cache_control") }
                    signature = nil
                case .toolResult(let result):
                    if result.content.contains(where: { if case .text = $0 { false } else { true } }) {
                        try log.drop("tool_result_images")
                    }
                    if result.cacheControl != nil { try log.drop("cache_control") }
                    signature = nil
                }
                out.beginObject()
                try writePart(part, names: names, into: &out, log: &log)
                out.field("thoughtSignature", ifPresent: signature)
                out.endObject()
            }
        }
        if openRole != nil { closeTurn(into: &out) }
        out.endArray()
    }

    /// Closes the `parts` array and the turn object `writeContents` opened.
    private static func closeTurn(into out: inout JSONWriter) {
        out.endArray()
        out.endObject()
    }

    /// The messages with each run of tool results put in the order of the calls they answer.
    /// Gemini pairs a turn's function responses with its calls by name and position: results a
    /// client sends in another order (two `read_file` calls answered last first) would be swapped.
    static func resultsInCallOrder(_ messages: [Message]) -> [Message] {
        var ordered = messages
        var callPosition: [String: Int] = [:]
        var index = 0
        func isResults(_ message: Message) -> Bool {
            !message.content.isEmpty && message.content.allSatisfy { if case .toolResult = $0 { true } else { false } }
        }
        func position(_ part: ContentPart) -> Int {
            if case .toolResult(let result) = part { callPosition[result.callID] ?? Int.max } else { Int.max }
        }
        while index < ordered.count {
            let message = ordered[index]
            if message.role == .assistant, message.content.contains(where: \.isToolCall) {
                callPosition = [:]
                for case .toolCall(let call) in message.content { callPosition[call.id] = callPosition.count }
                index += 1
                continue
            }
            guard isResults(message) else {
                index += 1
                continue
            }
            var end = index
            while end < ordered.count, ordered[end].role == message.role, isResults(ordered[end]) { end += 1 }
            // Stable sorts: results of unknown calls keep their place after the known ones.
            var run = ordered[index..<end].map { message in
                var message = message
                message.content = message.content.enumerated().sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }.map(\.element)
                return message
            }
            run = run.enumerated().sorted { (position($0.element.content[0]), $0.offset) < (position($1.element.content[0]), $1.offset) }.map(\.element)
            ordered.replaceSubrange(index..<end, with: run)
            index = end
        }
        return ordered
    }

    /// An empty text part without a thought signature of its own: Gemini refuses it.
    static func isEmptyText(_ part: ContentPart) -> Bool {
        if case .text(let text) = part { text.text.isEmpty && text.thoughtSignature == nil } else { false }
    }

    /// The members of one part (the caller opens and closes the part object).
    static func writePart(_ part: ContentPart, names: [String: String], into out: inout JSONWriter, log: inout DropLog) throws {
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
            out.value(try ToolArguments.object(call.arguments, log: &log))
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

    /// `tools` (one `functionDeclarations` entry first, then Gemini's own built-in tools) and
    /// `toolConfig`. Drops are logged in tool order before anything is written.
    static func writeTools(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog) throws {
        var declares = false
        var builtins = false
        for tool in request.tools {
            if let builtin = tool.builtin {
                if builtin.dialect == .gemini { builtins = true } else { try log.drop("builtin_tools") }
                continue
            }
            if tool.cacheControl != nil { try log.drop("cache_control") }
            declares = true
        }
        if declares || builtins {
            out.key("tools")
            out.beginArray()
            if declares {
                out.beginObject()
                out.key("functionDeclarations")
                out.beginArray()
                for tool in request.tools where tool.builtin == nil {
                    out.beginObject()
                    out.field("name", tool.name)
                    out.field("description", ifPresent: tool.description)
                    out.key("parametersJsonSchema")
                    out.value(GeminiSchema.withoutMetaSchema(tool.parameters))
                    out.endObject()
                }
                out.endArray()
                out.endObject()
            }
            for tool in request.tools {
                if let builtin = tool.builtin, builtin.dialect == .gemini { out.value(builtin.raw) }
            }
            out.endArray()
        }
        if let choice = request.toolChoice {
            out.key("toolConfig")
            out.beginObject()
            out.key("functionCallingConfig")
            out.beginObject()
            switch choice {
            case .auto: out.field("mode", "AUTO")
            case .none: out.field("mode", "NONE")
            case .required: out.field("mode", "ANY")
            case .tool(let name):
                out.field("mode", "ANY")
                out.field("allowedFunctionNames", strings: [name])
            }
            out.endObject()
            out.endObject()
        }
        if request.parallelToolCalls == false, declares { try log.drop("parallel_tool_calls") }
    }

    /// `generationConfig`, left out when it would be empty.
    static func writeGenerationConfig(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog) throws {
        let sampling = request.sampling
        let jsonOutput = switch request.responseFormat {
        case .jsonObject?, .jsonSchema?: true
        case nil, .text?: false
        }
        let empty = sampling.stop.isEmpty && sampling.candidateCount == nil && sampling.maxTokens == nil
            && sampling.temperature == nil && sampling.topP == nil && sampling.topK == nil && sampling.seed == nil
            && sampling.presencePenalty == nil && sampling.frequencyPenalty == nil && !jsonOutput && request.reasoning == nil
        guard !empty else { return }
        out.key("generationConfig")
        out.beginObject()
        let stop = try sampling.stopSequences(limit: 5, log: &log)
        if !stop.isEmpty { out.field("stopSequences", strings: stop) }
        out.field("candidateCount", ifPresent: sampling.candidateCount)
        out.field("maxOutputTokens", ifPresent: sampling.maxTokens)
        out.field("temperature", ifPresent: sampling.temperature)
        out.field("topP", ifPresent: sampling.topP)
        out.field("topK", ifPresent: sampling.topK)
        out.field("seed", ifPresent: sampling.seed)
        out.field("presencePenalty", ifPresent: sampling.presencePenalty)
        out.field("frequencyPenalty", ifPresent: sampling.frequencyPenalty)
        switch request.responseFormat {
        case nil, .text?: break
        case .jsonObject?: out.field("responseMimeType", "application/json")
        case .jsonSchema(_, let schema, _)?:
            out.field("responseMimeType", "application/json")
            out.key("responseJsonSchema")
            out.value(GeminiSchema.withoutMetaSchema(schema))
        }
        if let reasoning = request.reasoning {
            out.key("thinkingConfig")
            out.beginObject()
            out.field("thinkingBudget", ifPresent: reasoning.isDisabled ? 0 : reasoning.resolvedBudget)
            if !reasoning.isDisabled { out.field("includeThoughts", ifPresent: reasoning.includeThoughts) }
            out.endObject()
        }
        out.endObject()
    }
}
