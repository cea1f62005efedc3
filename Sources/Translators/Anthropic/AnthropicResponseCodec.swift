/// Anthropic Messages non-streaming responses ↔ canonical, plus stop-reason and usage mapping.
public enum AnthropicResponseCodec {
    /// Decodes an upstream `message` body.
    public static func decode(_ body: [UInt8]) throws -> ChatResponse {
        let root = Reader(try parseBody(body), path: "")
        var response = ChatResponse(id: try root.string("id") ?? "", model: try root.string("model") ?? "")
        for block in try root.objects("content") {
            // Server-tool blocks (web search results…) have no canonical form; skip them.
            guard let type = try block.string("type"), knownBlocks.contains(type) else { continue }
            let part = try AnthropicRequestDecoder.decodeBlock(block)
            if case .thinking(var thinking) = part, thinking.signature != nil {
                thinking.origin = .anthropic
                response.content.append(.thinking(thinking))
            } else {
                response.content.append(part)
            }
        }
        response.stopReason = try root.string("stop_reason").map(stopReason)
        response.stopSequence = try root.string("stop_sequence")
        response.usage = try root.reader("usage").map(usage)
        return response
    }

    static let knownBlocks: Set<String> = ["text", "thinking", "redacted_thinking", "tool_use"]

    /// Encodes a `message` body for an Anthropic client.
    public static func encode(_ response: ChatResponse) -> [UInt8] {
        // Written straight to bytes (same output as building the tree): this runs for every
        // translated answer. Blocks stay small values.
        var out = JSONWriter(capacity: 512)
        out.beginObject()
        out.field("id", response.id)
        out.field("type", "message")
        out.field("role", "assistant")
        out.field("model", response.model)
        out.key("content")
        out.beginArray()
        for part in response.content {
            if let block = block(part) { out.value(block) }
        }
        out.endArray()
        out.field("stop_reason", stopReason(response.stopReason ?? .endTurn))
        out.key("stop_sequence")
        if let sequence = response.stopSequence { out.string(sequence) } else { out.null() }
        out.key("usage")
        out.value(encodeUsage(response.usage ?? Usage()))
        out.endObject()
        return out.bytes
    }

    static func block(_ part: ContentPart) -> JSONValue? {
        switch part {
        case .text(let text): return ["type": "text", "text": .string(text.text)]
        case .thinking(let thinking):
            let signature = ProviderState.showSignature(thinking.signature ?? "", origin: thinking.origin, to: .anthropic)
            return ["type": "thinking", "thinking": .string(thinking.text), "signature": .string(signature)]
        case .redactedThinking(let data): return ["type": "redacted_thinking", "data": .string(data)]
        case .toolCall(let call):
            return ["type": "tool_use", "id": .string(ProviderState.embed(id: call.id, thoughtSignature: call.thoughtSignature)),
                    "name": .string(call.name), "input": ToolArguments.object(call.arguments)]
        default: return nil
        }
    }

    /// `stop_reason` → canonical.
    public static func stopReason(_ value: String) -> StopReason {
        switch value {
        case "end_turn": .endTurn
        case "max_tokens", "model_context_window_exceeded": .maxTokens
        case "stop_sequence": .stopSequence
        case "tool_use": .toolUse
        case "pause_turn": .pauseTurn
        case "refusal": .refusal
        default: .other
        }
    }

    /// Canonical → `stop_reason`.
    public static func stopReason(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .other: "end_turn"
        case .maxTokens: "max_tokens"
        case .stopSequence: "stop_sequence"
        case .toolUse: "tool_use"
        case .pauseTurn: "pause_turn"
        case .contentFilter, .refusal: "refusal"
        }
    }

    /// Anthropic `input_tokens` excludes cache reads and writes; canonical input includes them.
    static func usage(_ usage: Reader) throws -> Usage {
        let cacheRead = try usage.int("cache_read_input_tokens")
        let cacheWrite = try usage.int("cache_creation_input_tokens")
        return Usage(inputTokens: (try usage.int("input_tokens") ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
                     outputTokens: try usage.int("output_tokens") ?? 0,
                     cachedInputTokens: cacheRead, cacheCreationInputTokens: cacheWrite)
    }

    static func encodeUsage(_ usage: Usage, outputOnly: Bool = false) -> JSONValue {
        var object = JSONObject()
        if !outputOnly {
            let uncached = usage.inputTokens - (usage.cachedInputTokens ?? 0) - (usage.cacheCreationInputTokens ?? 0)
            object.append("input_tokens", .number(JSONNumber(max(0, uncached))))
            if let write = usage.cacheCreationInputTokens { object.append("cache_creation_input_tokens", .number(JSONNumber(write))) }
            if let read = usage.cachedInputTokens { object.append("cache_read_input_tokens", .number(JSONNumber(read))) }
        }
        object.append("output_tokens", .number(JSONNumber(usage.outputTokens)))
        return .object(object)
    }
}
