import HTTPCore

/// Gemini `generateContent` as the mock reads and writes it.
enum GeminiFormat: WireFormat {
    static let api = MockAPI.gemini
    static let models = [("gemini-2.5-flash", "Gemini 2.5 Flash"), ("gemini-2.5-pro", "Gemini 2.5 Pro"), ("gemini-2.0-flash", "Gemini 2.0 Flash")]

    /// `x-goog-api-key`, `?key=`, or an OAuth access token as `Authorization: Bearer`.
    static func apiKey(_ request: HTTPRequest) -> String? {
        if let key = request.headers["x-goog-api-key"], !key.isEmpty { return key }
        if let key = request.queryItem("key"), !key.isEmpty { return key }
        return bearerToken(request)
    }

    static func model(_ object: [String: Any]?, pathModel: String?) -> String? { pathModel }

    static func read(_ object: [String: Any], pathModel: String?) throws(InvalidRequest) -> MockRequest {
        guard let model = pathModel, !model.isEmpty else { throw InvalidRequest("model is required") }
        guard let contents = JSONRead.array(object["contents"]), !contents.isEmpty else {
            throw InvalidRequest("* GenerateContentRequest.contents: contents is not specified")
        }
        var request = MockRequest(model: model, stream: false)
        let turns = contents.compactMap(JSONRead.object)
        if let last = turns.last(where: { (JSONRead.string($0["role"]) ?? "user") == "user" }) {
            let parts = JSONRead.array(JSONRead.object(last["content"])?["parts"] ?? last["parts"])?.compactMap(JSONRead.object) ?? []
            request.userText = parts.filter { JSONRead.bool($0["thought"]) != true }.compactMap { JSONRead.string($0["text"]) }.joined(separator: " ")
        }
        for tool in JSONRead.array(object["tools"])?.compactMap(JSONRead.object) ?? [] {
            let declarations = JSONRead.array(tool["functionDeclarations"] ?? tool["function_declarations"])?.compactMap(JSONRead.object) ?? []
            if let first = declarations.first, let name = JSONRead.string(first["name"]) {
                request.tool = ToolOffer(name: name, schema: JSONRead.object(first["parameters"] ?? first["parametersJsonSchema"]))
                break
            }
        }
        let config = JSONRead.object(object["generationConfig"] ?? object["generation_config"])
        request.maxTokens = JSONRead.int(config?["maxOutputTokens"])
        if let thinking = JSONRead.object(config?["thinkingConfig"]) {
            request.showThoughts = JSONRead.bool(thinking["includeThoughts"]) ?? false
            let budget = JSONRead.int(thinking["thinkingBudget"])
            request.reasoning = request.showThoughts || (budget != nil && budget != 0) || thinking["thinkingLevel"] != nil
        }
        return request
    }

    static func finishReason(_ stop: ReplyPlan.Stop) -> String { stop == .maxTokens ? "MAX_TOKENS" : "STOP" }

    /// `usageMetadata`; `final` adds the candidate and thought counts.
    static func usage(_ plan: ReplyPlan, final: Bool) -> String {
        let details = "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":\(plan.inputTokens)}]"
        guard final else { return "{\"promptTokenCount\":\(plan.inputTokens),\"totalTokenCount\":\(plan.inputTokens),\(details)}" }
        let thoughts = plan.thinkingTokens > 0 ? ",\"thoughtsTokenCount\":\(plan.thinkingTokens)" : ""
        let total = plan.inputTokens + plan.answerTokens + plan.thinkingTokens
        return "{\"promptTokenCount\":\(plan.inputTokens),\"candidatesTokenCount\":\(plan.answerTokens),\"totalTokenCount\":\(total)\(thoughts),\(details)}"
    }

    /// One `GenerateContentResponse` with these parts.
    static func response(_ plan: ReplyPlan, parts: [String], finish: Bool) -> String {
        let finishReason = finish ? ",\"finishReason\":\"\(finishReason(plan.stop))\"" : ""
        return "{\"candidates\":[{\"content\":{\"parts\":[\(parts.joined(separator: ","))],\"role\":\"model\"}\(finishReason),\"index\":0}],"
            + "\"usageMetadata\":\(usage(plan, final: finish)),\"modelVersion\":\(JSONText.quote(plan.model)),\"responseId\":\"mock-\(plan.sequence)\"}"
    }

    static func thoughtPart(_ text: String) -> String { "{\"text\":\(JSONText.quote(text)),\"thought\":true}" }

    /// The answer part, carrying the thought signature when the request asked for reasoning.
    static func answerPart(_ plan: ReplyPlan, text: String?, signed: Bool) -> String {
        let signature = signed && !plan.signature.isEmpty ? ",\"thoughtSignature\":\(JSONText.quote(plan.signature))" : ""
        if let tool = plan.tool {
            return "{\"functionCall\":{\"name\":\(JSONText.quote(tool.name)),\"args\":\(tool.arguments)}\(signature)}"
        }
        return "{\"text\":\(JSONText.quote(text ?? ""))\(signature)}"
    }

    static func body(_ plan: ReplyPlan) -> String {
        var parts: [String] = []
        if plan.showThoughts && !plan.thinkingPieces.isEmpty { parts.append(thoughtPart(plan.thinking)) }
        parts.append(answerPart(plan, text: plan.text, signed: true))
        return response(plan, parts: parts, finish: true)
    }

    static func errorStatus(_ status: Int) -> String {
        switch status {
        case 400, 422: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 409: "ABORTED"
        case 429: "RESOURCE_EXHAUSTED"
        case 499: "CANCELLED"
        case 501: "UNIMPLEMENTED"
        case 503: "UNAVAILABLE"
        case 504: "DEADLINE_EXCEEDED"
        default: status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"
        }
    }

    static func errorBody(status: Int, message: String?, retryDelay: String?) -> String {
        var text = message ?? (status == 429 ? "You exceeded your current quota, please check your plan and billing details." : StatusText.message(status))
        var details = ""
        if let retryDelay {
            if message == nil { text += " Please retry in \(retryDelay)." }
            details = ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                + "\"generativelanguage.googleapis.com/generate_content_requests\",\"quotaId\":\"GenerateRequestsPerMinutePerProjectPerModel\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\(JSONText.quote(retryDelay))}]"
        }
        return "{\"error\":{\"code\":\(status),\"message\":\(JSONText.quote(text)),\"status\":\"\(errorStatus(status))\"\(details)}}"
    }

    static func countTokensBody(_ tokens: Int) -> String {
        "{\"totalTokens\":\(tokens),\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":\(tokens)}]}"
    }

    static func modelsBody() -> String {
        let entries = models.map {
            "{\"name\":\"models/\($0.0)\",\"version\":\"001\",\"displayName\":\(JSONText.quote($0.1)),\"description\":\"Mock model\","
                + "\"inputTokenLimit\":1048576,\"outputTokenLimit\":65536,"
                + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\",\"streamGenerateContent\"],"
                + "\"temperature\":1,\"topP\":0.95,\"topK\":64,\"maxTemperature\":2,\"thinking\":true}"
        }
        return "{\"models\":[" + entries.joined(separator: ",") + "]}"
    }
}
