/// OpenAI Chat Completions non-streaming responses ↔ canonical, plus finish-reason and usage mapping.
public enum OpenAIResponseCodec {
    /// Decodes an upstream `chat.completion` body (first choice).
    public static func decode(_ body: [UInt8]) throws -> ChatResponse {
        let root = Reader(try parseBody(body), path: "")
        var response = ChatResponse(id: try root.string("id") ?? "", model: try root.string("model") ?? "")
        let choices = try root.objects("choices")
        if let choice = choices.first {
            if let message = try choice.reader("message") {
                if let reasoning = try message.string("reasoning_content") ?? message.string("reasoning"), !reasoning.isEmpty {
                    response.content.append(.thinking(ThinkingPart(text: reasoning, origin: .openai)))
                }
                if let text = try message.string("content"), !text.isEmpty { response.content.append(.text(text)) }
                if let refusal = try message.string("refusal"), !refusal.isEmpty { response.content.append(.text(refusal)) }
                for call in try message.objects("tool_calls") {
                    response.content.append(.toolCall(try OpenAIRequestDecoder.decodeToolCall(call)))
                }
            }
            response.stopReason = try choice.string("finish_reason").map(stopReason)
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
        var message: JSONObject = ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)]
        if !reasoning.isEmpty { message.append("reasoning_content", .string(reasoning)) }
        if !calls.isEmpty { message.append("tool_calls", .array(calls)) }
        message.append("refusal", .null)
        var root: JSONObject = ["id": .string(response.id), "object": "chat.completion",
                                "created": .number(JSONNumber(created)), "model": .string(response.model)]
        root.append("choices", [["index": 0, "message": .object(message), "logprobs": nil,
                                 "finish_reason": .string(finishReason(response.stopReason ?? .endTurn))]])
        if let usage = response.usage { root.append("usage", encodeUsage(usage)) }
        return JSONValue.object(root).serialized()
    }

    static func toolCall(_ call: ToolCall, index: Int?) -> JSONValue {
        var object = JSONObject()
        if let index { object.append("index", .number(JSONNumber(index))) }
        object.append("id", .string(ProviderState.embed(id: call.id, thoughtSignature: call.thoughtSignature)))
        object.append("type", "function")
        object.append("function", ["name": .string(call.name), "arguments": .string(ToolArguments.text(call.arguments))])
        return .object(object)
    }

    /// `finish_reason` → canonical.
    public static func stopReason(_ value: String) -> StopReason {
        switch value {
        case "stop": .endTurn
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
