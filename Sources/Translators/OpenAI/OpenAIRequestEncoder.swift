/// Encodes the canonical request as an OpenAI Chat Completions body.
public enum OpenAIRequestEncoder {
    /// The longest `user` OpenAI accepts.
    static let maxUserIDLength = 64

    /// Encodes `request` for model `model` (the upstream's name for it).
    public static func encode(_ request: ChatRequest, model: String, options: TranslationOptions = .init()) throws -> EncodedBody {
        var log = DropLog(target: .openai, strict: options.strict)
        try log.dropUnsupported(request)
        let request = try MediaSupport.adapt(request, for: .openai, log: &log)
        var out = JSONWriter(capacity: 4096)
        out.beginObject()
        out.field("model", model)
        out.key("messages")
        out.beginArray()
        if !request.system.isEmpty {
            if request.system.contains(where: { if case .text(let t) = $0 { t.cacheControl != nil } else { false } }) {
                try log.drop("cache_control")
            }
            out.beginObject()
            out.field("role", "system")
            out.field("content", request.system.compactMap(\.textValue).joined(separator: "\n\n"))
            out.endObject()
        }
        var next = request.messages.startIndex
        while next < request.messages.endIndex {
            let message = request.messages[next]
            // Consecutive messages of a role are one turn (a Gemini chat stores one per streamed
            // chunk): OpenAI wants a turn's calls in one message, their results right after it.
            var end = next + 1
            while end < request.messages.endIndex, request.messages[end].role == message.role,
                  message.role == .user || request.messages[end].name == message.name { end += 1 }
            switch message.role {
            case .user: try writeUser(request.messages[next..<end], into: &out, log: &log)
            case .assistant: try writeAssistant(request.messages[next..<end], into: &out, log: &log)
            }
            next = end
        }
        out.endArray()
        try writeTools(request, into: &out, log: &log)
        try writeSampling(request, into: &out, log: &log)
        if request.stream {
            out.field("stream", ifPresent: true)
        }
        if request.stream && (options.streamUsage || request.includeUsageInStream) {
            out.key("stream_options")
            out.beginObject()
            out.field("include_usage", ifPresent: true)
            out.endObject()
        }
        if let user = request.metadata.userID {
            // OpenAI takes end-user ids of at most 64 characters; Claude Code's are longer (and name its account).
            if user.count <= maxUserIDLength { out.field("user", user) } else { try log.drop("user") }
        }
        if let tags = request.metadata.tags {
            out.key("metadata")
            out.value(.object(tags))
        }
        out.endObject()
        return EncodedBody(body: out.bytes, dropped: log.features)
    }

    /// A user turn: its tool results as `tool` messages first (in order), then each message's
    /// other parts as one user message.
    static func writeUser(_ turn: ArraySlice<Message>, into out: inout JSONWriter, log: inout DropLog) throws {
        for message in turn {
            for case .toolResult(let result) in message.content { try writeToolResult(result, into: &out, log: &log) }
        }
        for message in turn { try writeUserParts(message, into: &out, log: &log) }
    }

    static func writeToolResult(_ result: ToolResult, into out: inout JSONWriter, log: inout DropLog) throws {
        if result.content.contains(where: { if case .text = $0 { false } else { true } }) {
            try log.drop("tool_result_images")
        }
        if result.cacheControl != nil { try log.drop("cache_control") }
        out.beginObject()
        out.field("role", "tool")
        out.field("tool_call_id", result.callID)
        out.field("content", result.text)
        out.endObject()
    }

    /// A message's parts other than tool results, as one user message (none when nothing is left).
    static func writeUserParts(_ message: Message, into out: inout JSONWriter, log: inout DropLog) throws {
        var parts: [ContentPart] = []
        for part in message.content {
            if case .toolResult = part { continue }
            if try isUserPartWritten(part, log: &log) { parts.append(part) }
        }
        guard !parts.isEmpty else { return }
        out.beginObject()
        out.field("role", "user")
        if parts.count == 1, case .text(let text) = parts[0] {
            out.field("content", text.text)
        } else {
            out.key("content")
            out.beginArray()
            for part in parts { writeUserPart(part, into: &out) }
            out.endArray()
        }
        out.field("name", ifPresent: message.name)
        out.endObject()
    }

    static func isUserPartWritten(_ part: ContentPart, log: inout DropLog) throws -> Bool {
        switch part {
        case .text(let text):
            if text.cacheControl != nil { try log.drop("cache_control") }
            return true
        case .image(let media):
            if media.cacheControl != nil { try log.drop("cache_control") }
            return true
        case .document(let media):
            if case .url = media.source {
                try log.drop("document_url")
                return false
            }
            return true
        case .thinking, .redactedThinking, .toolCall, .toolResult:
            try log.drop("thinking")
            return false
        }
    }

    static func writeUserPart(_ part: ContentPart, into out: inout JSONWriter) {
        out.beginObject()
        switch part {
        case .text(let text):
            out.field("type", "text")
            out.field("text", text.text)
        case .image(let media):
            switch media.source {
            case .text(let text):
                out.field("type", "text")
                out.field("text", text)
            case .base64(let type, let data):
                writeImage(DataURL.make(mediaType: type, data: data), detail: media.detail, into: &out)
            case .url(let link, _):
                writeImage(link, detail: media.detail, into: &out)
            }
        case .document(let media):
            switch media.source {
            case .base64(let type, let data):
                if let format = MediaSupport.openAIAudioFormat(type) {
                    out.field("type", "input_audio")
                    out.key("input_audio")
                    out.beginObject()
                    out.field("data", data)
                    out.field("format", format)
                    out.endObject()
                    break
                }
                out.field("type", "file")
                out.key("file")
                out.beginObject()
                out.field("file_data", DataURL.make(mediaType: type, data: data))
                out.field("filename", media.title ?? "document.pdf")
                out.endObject()
            case .text(let text):
                out.field("type", "text")
                out.field("text", text)
            case .url(let link, _):
                // Not reached: URL documents are dropped by `isUserPartWritten`.
                out.field("type", "text")
                out.field("text", link)
            }
        default:
            break
        }
        out.endObject()
    }

    static func writeImage(_ url: String, detail: String?, into out: inout JSONWriter) {
        out.field("type", "image_url")
        out.key("image_url")
        out.beginObject()
        out.field("url", url)
        out.field("detail", ifPresent: detail)
        out.endObject()
    }

    /// One assistant turn: its messages' text joined, their calls in order; nothing for a turn
    /// with neither (an empty message would stand between calls and their results).
    static func writeAssistant(_ turn: ArraySlice<Message>, into out: inout JSONWriter, log: inout DropLog) throws {
        var text = ""
        var calls: [ToolCall] = []
        for part in turn.lazy.flatMap(\.content) {
            switch part {
            case .text(let part):
                if part.cacheControl != nil { try log.drop("cache_control") }
                text += part.text
            case .toolCall(let call):
                calls.append(call)
            case .thinking, .redactedThinking:
                try log.drop("thinking")
            default:
                try log.drop("assistant_media")
            }
        }
        guard !text.isEmpty || !calls.isEmpty else { return }
        out.beginObject()
        out.field("role", "assistant")
        out.key("content")
        if text.isEmpty { out.null() } else { out.string(text) }
        if !calls.isEmpty {
            out.key("tool_calls")
            out.beginArray()
            for call in calls {
                out.beginObject()
                out.field("id", call.id)
                out.field("type", "function")
                out.key("function")
                out.beginObject()
                out.field("name", call.name)
                out.field("arguments", ToolArguments.text(call.arguments))
                out.endObject()
                out.endObject()
            }
            out.endArray()
        }
        out.field("name", ifPresent: turn.first?.name)
        out.endObject()
    }

    static func writeTools(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog) throws {
        let wroteTools = try ToolListWriter.write(request, for: .openai, into: &out, log: &log) { tool, out, log in
            if tool.cacheControl != nil { try log.drop("cache_control") }
            out.beginObject()
            out.field("type", "function")
            out.key("function")
            out.beginObject()
            out.field("name", tool.name)
            out.field("description", ifPresent: tool.description)
            out.key("parameters")
            out.value(tool.parameters)
            out.field("strict", ifPresent: tool.strict)
            out.endObject()
            out.endObject()
        }
        if let choice = request.toolChoice {
            switch choice {
            case .auto: out.field("tool_choice", "auto")
            case .none: out.field("tool_choice", "none")
            case .required: out.field("tool_choice", "required")
            case .tool(let name):
                out.key("tool_choice")
                out.beginObject()
                out.field("type", "function")
                out.key("function")
                out.beginObject()
                out.field("name", name)
                out.endObject()
                out.endObject()
            }
        }
        if wroteTools { out.field("parallel_tool_calls", ifPresent: request.parallelToolCalls) }
    }

    static func writeSampling(_ request: ChatRequest, into out: inout JSONWriter, log: inout DropLog) throws {
        let sampling = request.sampling
        out.field("temperature", ifPresent: sampling.temperature)
        out.field("top_p", ifPresent: sampling.topP)
        if sampling.topK != nil { try log.drop("top_k") }
        if let maxTokens = sampling.maxTokens {
            if request.reasoning == nil { out.field("max_tokens", ifPresent: maxTokens) } else { out.field("max_completion_tokens", ifPresent: maxTokens) }
        }
        let stop = try sampling.stopSequences(limit: 4, log: &log)
        if !stop.isEmpty { out.field("stop", strings: stop) }
        out.field("seed", ifPresent: sampling.seed)
        out.field("presence_penalty", ifPresent: sampling.presencePenalty)
        out.field("frequency_penalty", ifPresent: sampling.frequencyPenalty)
        out.field("n", ifPresent: sampling.candidateCount)
        switch request.responseFormat {
        case nil: break
        case .text?, .jsonObject?:
            out.key("response_format")
            out.beginObject()
            out.field("type", request.responseFormat == .text ? "text" : "json_object")
            out.endObject()
        case .jsonSchema(let name, let schema, let strict)?:
            out.key("response_format")
            out.beginObject()
            out.field("type", "json_schema")
            out.key("json_schema")
            out.beginObject()
            out.field("name", name ?? "response")
            out.key("schema")
            out.value(schema)
            out.field("strict", ifPresent: strict)
            out.endObject()
            out.endObject()
        }
        if let reasoning = request.reasoning, reasoning.resolvedEffort != .auto {
            out.field("reasoning_effort", reasoning.resolvedEffort.rawValue)
        }
    }
}
