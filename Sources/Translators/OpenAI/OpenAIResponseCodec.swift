/// OpenAI Chat Completions non-streaming responses ↔ canonical, plus finish-reason and usage mapping.
public enum OpenAIResponseCodec {
    /// Decodes an upstream `chat.completion` body (first choice). `fallbackID` seeds the ids
    /// made up for tool calls that came without one.
    public static func decode(_ body: [UInt8], fallbackID: String = "") throws -> ChatResponse {
        let root = Reader(try parseBody(body), path: "")
        var response = ChatResponse(id: try root.string("id") ?? "", model: try root.string("model") ?? "")
        // An answer without a choice (OpenRouter's when its provider failed) is no answer.
        guard let choice = try root.objects("choices").first else { throw TranslationError.invalidStream("the answer has no choice") }
        if let message = try choice.reader("message") {
            if let reasoning = try message.string("reasoning_content") ?? message.string("reasoning"), !reasoning.isEmpty {
                response.content.append(.thinking(ThinkingPart(text: reasoning, origin: .openai)))
            }
            if let text = try message.string("content"), !text.isEmpty { response.content.append(.text(text)) }
            if let refusal = try message.string("refusal"), !refusal.isEmpty { response.content.append(.text(refusal)) }
            let seed = response.id.isEmpty ? fallbackID : response.id
            for (index, call) in try message.objects("tool_calls").enumerated() {
                let madeUp = ProviderState.syntheticCallID(seed: seed, index: index)
                response.content.append(.toolCall(try OpenAIRequestDecoder.decodeToolCall(call, madeUpID: madeUp)))
            }
            // The legacy single `function_call` (older servers) is one call.
            if let function = try message.reader("function_call") {
                let id = ProviderState.syntheticCallID(seed: seed, index: 0)
                response.content.append(.toolCall(try OpenAIRequestDecoder.decodeFunctionCall(function, id: id)))
            }
        }
        response.stopReason = try choice.string("finish_reason").map {
            stopReason($0, madeToolCalls: response.content.contains(where: \.isToolCall))
        }
        response.usage = try root.reader("usage").map(usage)
        return response
    }

    /// Encodes a `chat.completion` body for an OpenAI client; `created` is the Unix time to report.
    public static func encode(_ response: ChatResponse, created: Int) -> [UInt8] {
        var text = ""
        var reasoning = ""
        var calls: [JSONValue] = []
        for part in response.content {
            switch part {
            case .text(let part): text += part.text
            case .thinking(let part): reasoning += part.text
            case .toolCall(let call): calls.append(toolCall(call, index: nil))
            default: break
            }
        }
        // Written straight to bytes (same output as building the tree): this runs for every
        // translated answer.
        var out = JSONWriter(capacity: 256 + text.utf8.count + reasoning.utf8.count)
        out.beginObject()
        out.field("id", response.id)
        out.field("object", "chat.completion")
        out.key("created")
        out.number(created)
        out.field("model", response.model)
        out.key("choices")
        out.beginArray()
        out.beginObject()
        out.key("index")
        out.number(0)
        out.key("message")
        out.beginObject()
        out.field("role", "assistant")
        out.key("content")
        if text.isEmpty && !calls.isEmpty { out.null() } else { out.string(text) }
        if !reasoning.isEmpty { out.field("reasoning_content", reasoning) }
        if !calls.isEmpty { out.field("tool_calls", ifPresent: .array(calls)) }
        out.key("refusal")
        out.null()
        out.endObject()
        out.key("logprobs")
        out.null()
        out.field("finish_reason", finishReason(response.stopReason ?? .endTurn))
        out.endObject()
        out.endArray()
        if let usage = response.usage { out.field("usage", ifPresent: encodeUsage(usage)) }
        out.endObject()
        return out.bytes
    }

    static func toolCall(_ call: ToolCall, index: Int?) -> JSONValue {
        var object = JSONObject()
        if let index { object.append("index", .number(JSONNumber(index))) }
        object.append("id", .string(ProviderState.embed(id: call.id, thoughtSignature: call.thoughtSignature)))
        object.append("type", "function")
        object.append("function", ["name": .string(call.name), "arguments": .string(ToolArguments.text(call.arguments))])
        return .object(object)
    }

    /// `finish_reason` → canonical, given whether the answer called tools: OpenAI itself (for a
    /// named tool choice), Ollama, older vLLM and Google's endpoint finish calls with "stop", and a
    /// tool reason without any call is an ordinary end.
    public static func stopReason(_ value: String, madeToolCalls: Bool) -> StopReason {
        switch stopReason(value) {
        case .endTurn where madeToolCalls: .toolUse
        case .toolUse where !madeToolCalls: .endTurn
        case let reason: reason
        }
    }

    /// `finish_reason` → canonical.
    public static func stopReason(_ value: String) -> StopReason {
        switch value {
        case "stop", "eos", "eos_token", "": .endTurn
        case "length": .maxTokens
        case "tool_calls", "function_call": .toolUse
        case "content_filter": .contentFilter
        default: .other
        }
    }

    /// Canonical → `finish_reason`.
    public static func finishReason(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .stopSequence, .pauseTurn, .other: "stop"
        case .maxTokens: "length"
        case .toolUse: "tool_calls"
        case .contentFilter, .refusal: "content_filter"
        }
    }

    static func usage(_ usage: Reader) throws -> Usage {
        Usage(inputTokens: try usage.int("prompt_tokens") ?? 0,
              outputTokens: try usage.int("completion_tokens") ?? 0,
              cachedInputTokens: try usage.reader("prompt_tokens_details")?.int("cached_tokens"),
              reasoningTokens: try usage.reader("completion_tokens_details")?.int("reasoning_tokens"))
    }

    static func encodeUsage(_ usage: Usage) -> JSONValue {
        var object: JSONObject = ["prompt_tokens": .number(JSONNumber(usage.inputTokens)),
                                  "completion_tokens": .number(JSONNumber(usage.outputTokens)),
                                  "total_tokens": .number(JSONNumber(usage.totalTokens))]
        if let cached = usage.cachedInputTokens {
            object.append("prompt_tokens_details", ["cached_tokens": .number(JSONNumber(cached))])
        }
        if let reasoning = usage.reasoningTokens {
            object.append("completion_tokens_details", ["reasoning_tokens": .number(JSONNumber(reasoning))])
        }
        return .object(object)
    }
}
