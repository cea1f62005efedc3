/// Gemini generateContent non-streaming responses ↔ canonical (a response is one stream chunk).
public enum GeminiResponseCodec {
    /// Decodes an upstream `GenerateContentResponse`; `model` is used when it has no `modelVersion`,
    /// `fallbackID` when it has no `responseId`.
    public static func decode(_ body: [UInt8], model: String = "", fallbackID: String = "") throws -> ChatResponse {
        var decoder = GeminiStreamDecoder(framing: .json, model: model, fallbackID: fallbackID)
        var events = try decoder.decodeChunk(try parseBody(body))
        events += decoder.finishEvents()
        var fold = ResponseAccumulator()
        for event in events { fold.apply(event) }
        if let error = fold.error { throw TranslationError.invalidStream(error.message) }
        return fold.response
    }

    /// Encodes a `GenerateContentResponse` for a Gemini client.
    public static func encode(_ response: ChatResponse) -> [UInt8] {
        var parts: [JSONValue] = []
        for part in response.content {
            if let encoded = encodePart(part) { parts.append(encoded) }
        }
        var candidate: JSONObject = ["content": ["parts": .array(parts), "role": "model"]]
        candidate.append("finishReason", .string(finishReason(response.stopReason ?? .endTurn)))
        candidate.append("index", 0)
        var root: JSONObject = ["candidates": [.object(candidate)]]
        if let usage = response.usage { root.append("usageMetadata", encodeUsage(usage)) }
        root.append("modelVersion", .string(response.model))
        root.append("responseId", .string(response.id))
        return JSONValue.object(root).serialized()
    }

    static func encodePart(_ part: ContentPart) -> JSONValue? {
        switch part {
        case .text(let text):
            var object: JSONObject = ["text": .string(text.text)]
            object.append("thoughtSignature", ifPresent: text.thoughtSignature.map(JSONValue.string))
            return .object(object)
        case .thinking(let thinking):
            var object: JSONObject = ["text": .string(thinking.text), "thought": true]
            if thinking.origin == .gemini { object.append("thoughtSignature", ifPresent: thinking.signature.map(JSONValue.string)) }
            return .object(object)
        case .toolCall(let call):
            var function: JSONObject = ["name": .string(call.name), "args": ToolArguments.object(call.arguments)]
            if !ProviderState.isSynthetic(call.id) { function.append("id", .string(call.id)) }
            var object: JSONObject = ["functionCall": .object(function)]
            object.append("thoughtSignature", ifPresent: call.thoughtSignature.map(JSONValue.string))
            return .object(object)
        default:
            return nil
        }
    }

    /// `finishReason` → canonical (`STOP` after a function call becomes tool use in the decoder).
    public static func stopReason(_ value: String) -> StopReason {
        switch value {
        case "STOP": .endTurn
        case "MAX_TOKENS": .maxTokens
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE": .contentFilter
        default: .other
        }
    }

    /// Canonical → `finishReason`.
    public static func finishReason(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .stopSequence, .toolUse, .pauseTurn: "STOP"
        case .maxTokens: "MAX_TOKENS"
        case .contentFilter, .refusal: "SAFETY"
        case .other: "OTHER"
        }
    }

    /// Gemini `candidatesTokenCount` excludes thoughts; canonical output includes them.
    static func usage(_ usage: Reader) throws -> Usage {
        let thoughts = try usage.int("thoughtsTokenCount")
        return Usage(inputTokens: try usage.int("promptTokenCount") ?? 0,
                     outputTokens: (try usage.int("candidatesTokenCount") ?? 0) + (thoughts ?? 0),
                     cachedInputTokens: try usage.int("cachedContentTokenCount"),
                     reasoningTokens: thoughts)
    }

    static func encodeUsage(_ usage: Usage) -> JSONValue {
        var object: JSONObject = ["promptTokenCount": .number(JSONNumber(usage.inputTokens)),
                                  "candidatesTokenCount": .number(JSONNumber(usage.outputTokens - (usage.reasoningTokens ?? 0))),
                                  "totalTokenCount": .number(JSONNumber(usage.totalTokens))]
        if let cached = usage.cachedInputTokens { object.append("cachedContentTokenCount", .number(JSONNumber(cached))) }
        if let thoughts = usage.reasoningTokens { object.append("thoughtsTokenCount", .number(JSONNumber(thoughts))) }
        return .object(object)
    }
}
