import HTTPCore

/// OpenAI Chat Completions as the mock reads and writes it.
enum OpenAIFormat: WireFormat {
    static let api = MockAPI.openai
    static let models = ["gpt-4o", "gpt-4o-mini", "o3-mini"]

    static func apiKey(_ request: HTTPRequest) -> String? { bearerToken(request) }

    static func model(_ object: [String: Any]?, pathModel: String?) -> String? { JSONRead.string(object?["model"]) }

    static func read(_ object: [String: Any], pathModel: String?) throws(InvalidRequest) -> MockRequest {
        guard let model = JSONRead.string(object["model"]), !model.isEmpty else {
            throw InvalidRequest("you must provide a model parameter")
        }
        guard let messages = JSONRead.array(object["messages"]), !messages.isEmpty else {
            throw InvalidRequest("'messages' is a required property and must be a non-empty array")
        }
        var request = MockRequest(model: model, stream: JSONRead.bool(object["stream"]) ?? false)
        request.includeUsage = JSONRead.bool(JSONRead.object(object["stream_options"])?["include_usage"]) ?? false
        if let last = messages.reversed().compactMap(JSONRead.object).first(where: { JSONRead.string($0["role"]) == "user" }) {
            request.userText = text(of: last["content"])
        }
        if let first = JSONRead.array(object["tools"])?.first.flatMap(JSONRead.object),
           let function = JSONRead.object(first["function"]), let name = JSONRead.string(function["name"]) {
            request.tool = ToolOffer(name: name, schema: JSONRead.object(function["parameters"]))
        }
        let effort = JSONRead.string(object["reasoning_effort"]) ?? JSONRead.string(JSONRead.object(object["reasoning"])?["effort"])
        request.reasoning = effort.map { $0 != "none" } ?? false
        request.maxTokens = JSONRead.int(object["max_completion_tokens"]) ?? JSONRead.int(object["max_tokens"])
        return request
    }

    /// A string, or the text parts of a content array.
    private static func text(of content: Any?) -> String {
        if let text = JSONRead.string(content) { return text }
        let parts = JSONRead.array(content)?.compactMap(JSONRead.object) ?? []
        return parts.filter { JSONRead.string($0["type"]) == "text" }.compactMap { JSONRead.string($0["text"]) }.joined(separator: " ")
    }

    static func finishReason(_ stop: ReplyPlan.Stop) -> String {
        switch stop {
        case .endTurn: "stop"
        case .maxTokens: "length"
        case .toolUse: "tool_calls"
        }
    }

    static func usage(_ plan: ReplyPlan) -> String {
        let completion = plan.answerTokens + plan.thinkingTokens
        return "{\"prompt_tokens\":\(plan.inputTokens),\"completion_tokens\":\(completion),\"total_tokens\":\(plan.inputTokens + completion),"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":\(plan.thinkingTokens),\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}"
    }

    static func body(_ plan: ReplyPlan) -> String {
        var message = "{\"role\":\"assistant\""
        if let tool = plan.tool {
            message += ",\"content\":null,\"tool_calls\":[{\"id\":\"call_mock_\(plan.sequence)\",\"type\":\"function\","
                + "\"function\":{\"name\":\(JSONText.quote(tool.name)),\"arguments\":\(JSONText.quote(tool.arguments))}}]"
        } else {
            message += ",\"content\":\(JSONText.quote(plan.text))"
        }
        message += ",\"refusal\":null,\"annotations\":[]}"
        return "{\"id\":\"chatcmpl-mock-\(plan.sequence)\",\"object\":\"chat.completion\",\"created\":\(plan.created),"
            + "\"model\":\(JSONText.quote(plan.model)),\"choices\":[{\"index\":0,\"message\":\(message),\"logprobs\":null,"
            + "\"finish_reason\":\"\(finishReason(plan.stop))\"}],\"usage\":\(usage(plan)),"
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_mock\"}"
    }

    static func errorBody(status: Int, message: String?, retryDelay: String?) -> String {
        let (type, code): (String, String?) = switch status {
        case 401: ("invalid_request_error", "invalid_api_key")
        case 402: ("insufficient_quota", "insufficient_quota")
        case 403: ("invalid_request_error", "unsupported_country_region_territory")
        case 404: ("invalid_request_error", "model_not_found")
        case 429: ("requests", "rate_limit_exceeded")
        case 500...: ("server_error", nil)
        default: ("invalid_request_error", nil)
        }
        return "{\"error\":{\"message\":\(JSONText.quote(message ?? StatusText.message(status))),\"type\":\"\(type)\","
            + "\"param\":null,\"code\":\(JSONText.quote(code))}}"
    }

    static func countTokensBody(_ tokens: Int) -> String { "{\"input_tokens\":\(tokens)}" }

    static func modelsBody() -> String {
        let data = models.map { "{\"id\":\(JSONText.quote($0)),\"object\":\"model\",\"created\":1715367049,\"owned_by\":\"system\"}" }
        return "{\"object\":\"list\",\"data\":[" + data.joined(separator: ",") + "]}"
    }
}

/// The token of `Authorization: Bearer <token>`, if any.
func bearerToken(_ request: HTTPRequest) -> String? {
    guard let value = request.headers["authorization"] else { return nil }
    let bytes = value.utf8
    guard bytes.count > 7, String(decoding: bytes.prefix(7), as: UTF8.self).lowercased() == "bearer " else { return nil }
    let token = bytes.dropFirst(7).drop { $0 == 0x20 || $0 == 0x09 }
    guard let end = token.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
    return String(decoding: token[...end], as: UTF8.self)
}
