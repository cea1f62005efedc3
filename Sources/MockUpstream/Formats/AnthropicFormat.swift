import HTTPCore

/// Anthropic Messages as the mock reads and writes it.
enum AnthropicFormat: WireFormat {
    static let api = MockAPI.anthropic
    static let models = [("claude-sonnet-4-5", "Claude Sonnet 4.5"), ("claude-haiku-4-5", "Claude Haiku 4.5"), ("claude-opus-4-1", "Claude Opus 4.1")]

    /// `x-api-key`, or an OAuth access token as `Authorization: Bearer`.
    static func apiKey(_ request: HTTPRequest) -> String? {
        if let key = request.headers["x-api-key"], !key.isEmpty { return key }
        return bearerToken(request)
    }

    static func headerProblem(_ request: HTTPRequest) -> String? {
        request.headers["anthropic-version"] == nil ? "anthropic-version: header is required" : nil
    }

    static func model(_ object: [String: Any]?, pathModel: String?) -> String? { JSONRead.string(object?["model"]) }

    static func read(_ object: [String: Any], pathModel: String?) throws(InvalidRequest) -> MockRequest {
        let (model, messages) = try modelAndMessages(object)
        guard let maxTokens = JSONRead.int(object["max_tokens"]) else { throw InvalidRequest("max_tokens: Field required") }
        var request = MockRequest(model: model, stream: JSONRead.bool(object["stream"]) ?? false)
        request.maxTokens = maxTokens
        if let last = messages.reversed().compactMap(JSONRead.object).first(where: { JSONRead.string($0["role"]) == "user" }) {
            request.userText = text(of: last["content"])
        }
        if let first = JSONRead.array(object["tools"])?.first.flatMap(JSONRead.object), let name = JSONRead.string(first["name"]) {
            request.tool = ToolOffer(name: name, schema: JSONRead.object(first["input_schema"]))
        }
        let thinking = JSONRead.string(JSONRead.object(object["thinking"])?["type"])
        request.reasoning = thinking == "enabled" || thinking == "adaptive"
        return request
    }

    /// The two fields every Messages and count_tokens request must have.
    static func modelAndMessages(_ object: [String: Any]) throws(InvalidRequest) -> (String, [Any]) {
        guard let model = JSONRead.string(object["model"]), !model.isEmpty else { throw InvalidRequest("model: Field required") }
        guard let messages = JSONRead.array(object["messages"]) else { throw InvalidRequest("messages: Field required") }
        return (model, messages)
    }

    /// A string, or the `text` blocks of a content array (tool results and images skipped).
    private static func text(of content: Any?) -> String {
        if let text = JSONRead.string(content) { return text }
        let blocks = JSONRead.array(content)?.compactMap(JSONRead.object) ?? []
        return blocks.filter { JSONRead.string($0["type"]) == "text" }.compactMap { JSONRead.string($0["text"]) }.joined(separator: " ")
    }

    static func stopReason(_ stop: ReplyPlan.Stop) -> String {
        switch stop {
        case .endTurn: "end_turn"
        case .maxTokens: "max_tokens"
        case .toolUse: "tool_use"
        }
    }

    static func outputTokens(_ plan: ReplyPlan) -> Int { plan.answerTokens + plan.thinkingTokens }

    static func usage(_ plan: ReplyPlan, output: Int) -> String {
        "{\"input_tokens\":\(plan.inputTokens),\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
            + "\"output_tokens\":\(output),\"service_tier\":\"standard\"}"
    }

    static func body(_ plan: ReplyPlan) -> String {
        var blocks: [String] = []
        if !plan.thinkingPieces.isEmpty {
            blocks.append("{\"type\":\"thinking\",\"thinking\":\(JSONText.quote(plan.thinking)),\"signature\":\(JSONText.quote(plan.signature))}")
        }
        if let tool = plan.tool {
            blocks.append("{\"type\":\"tool_use\",\"id\":\"toolu_mock_\(plan.sequence)\",\"name\":\(JSONText.quote(tool.name)),\"input\":\(tool.arguments)}")
        } else {
            blocks.append("{\"type\":\"text\",\"text\":\(JSONText.quote(plan.text))}")
        }
        return "{\"id\":\"msg_mock_\(plan.sequence)\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\(JSONText.quote(plan.model)),"
            + "\"content\":[\(blocks.joined(separator: ","))],\"stop_reason\":\"\(stopReason(plan.stop))\",\"stop_sequence\":null,"
            + "\"usage\":\(usage(plan, output: outputTokens(plan)))}"
    }

    static func errorType(_ status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 504: "timeout_error"
        case 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }

    static func errorBody(status: Int, message: String?, retryDelay: String?) -> String {
        "{\"type\":\"error\",\"error\":{\"type\":\"\(errorType(status))\",\"message\":\(JSONText.quote(message ?? StatusText.message(status)))}}"
    }

    static func countTokensBody(_ tokens: Int) -> String { "{\"input_tokens\":\(tokens)}" }

    static func modelsBody() -> String {
        let data = models.map {
            "{\"type\":\"model\",\"id\":\(JSONText.quote($0.0)),\"display_name\":\(JSONText.quote($0.1)),\"created_at\":\"2025-09-29T00:00:00Z\"}"
        }
        return "{\"data\":[" + data.joined(separator: ",") + "],\"has_more\":false,"
            + "\"first_id\":\(JSONText.quote(models.first!.0)),\"last_id\":\(JSONText.quote(models.last!.0))}"
    }
}
