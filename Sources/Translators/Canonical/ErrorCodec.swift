/// Renders the canonical error in each dialect's error format and decodes upstream error bodies.
public enum ErrorCodec {
    /// The error body for a client of `dialect`:
    /// OpenAI `{"error":{"message","type","code"}}`, Anthropic `{"type":"error","error":{"type","message"}}`,
    /// Gemini `{"error":{"code","message","status"}}`.
    public static func body(_ error: GatewayError, dialect: Dialect) -> [UInt8] {
        json(error, dialect: dialect).serialized()
    }

    static func json(_ error: GatewayError, dialect: Dialect) -> JSONValue {
        switch dialect {
        case .openai:
            return ["error": ["message": .string(error.message), "type": .string(openAIType(error.kind)),
                              "param": nil, "code": error.code.map(JSONValue.string) ?? .null]]
        case .anthropic:
            return ["type": "error", "error": ["type": .string(anthropicType(error.kind)), "message": .string(error.message)]]
        case .gemini:
            return ["error": ["code": .number(JSONNumber(error.status)), "message": .string(error.message),
                              "status": .string(geminiStatus(error.kind))]]
        }
    }

    /// Decodes an upstream error body (any dialect's shape is recognised) into the canonical error.
    /// Bodies that are not JSON keep their text, trimmed, as the message. A `nil` status (an
    /// error event inside a stream) takes the recognised kind's usual status.
    public static func decode(_ body: [UInt8], status: Int?, dialect: Dialect) -> GatewayError {
        let value = try? JSONValue.parse(body)
        guard let error = value?["error"] else {
            let kind = ErrorKind(status: status ?? 500)
            // vLLM's `{"message": …}`, FastAPI's `{"detail": …}` (a text or a list of problems),
            // else the body's text.
            if let message = value?["message"]?.string ?? value?["detail"].flatMap(detailText) {
                return GatewayError(kind: kind, message: message, status: status)
            }
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            return GatewayError(kind: kind, message: text.isEmpty ? "upstream returned HTTP \(status ?? 500)" : text, status: status)
        }
        let message = error["message"]?.string ?? error.string ?? "upstream error"
        // Without an HTTP status (an error event, an error in a 200 body), a numeric `code`
        // (OpenRouter's, also as a string) says which status the error stands for.
        let codeStatus = (error["code"]?.int ?? error["code"]?.string.flatMap { Int($0) }).flatMap { (400...599).contains($0) ? $0 : nil }
        let known = status ?? codeStatus
        var kind = ErrorKind(status: known ?? 500)
        var code = codeStatus == nil ? error["code"]?.string : nil
        if let type = error["type"]?.string {
            // A status says what went wrong; the type only refines a generic server error (Ollama
            // calls a 404 an `api_error`), or says it all when no status is known.
            if known == nil || kind == .api { kind = kindFromType(type) ?? kind }
            if code == nil && dialect == .openai { code = type }
        }
        if let statusName = error["status"]?.string {
            kind = kindFromGeminiStatus(statusName) ?? kind
            code = code ?? statusName
        }
        return GatewayError(kind: kind, message: message, status: known, code: code)
    }

    /// FastAPI's `detail`: a text, or a list of `{"loc": […], "msg": …}` problems.
    private static func detailText(_ detail: JSONValue) -> String? {
        if let text = detail.string { return text }
        let problems = detail.array?.compactMap { problem -> String? in
            guard let text = problem["msg"]?.string else { return nil }
            let location = problem["loc"]?.array?.map { $0.string ?? $0.serializedString }.joined(separator: ".") ?? ""
            return location.isEmpty ? text : "\(location): \(text)"
        } ?? []
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    static func openAIType(_ kind: ErrorKind) -> String {
        switch kind {
        case .invalidRequest, .requestTooLarge, .unprocessable, .notFound: "invalid_request_error"
        case .authentication: "authentication_error"
        case .permission: "permission_error"
        case .rateLimited: "rate_limit_error"
        case .timeout, .overloaded, .unavailable, .api: "server_error"
        }
    }

    static func anthropicType(_ kind: ErrorKind) -> String {
        switch kind {
        case .invalidRequest, .unprocessable: "invalid_request_error"
        case .authentication: "authentication_error"
        case .permission: "permission_error"
        case .notFound: "not_found_error"
        case .requestTooLarge: "request_too_large"
        case .rateLimited: "rate_limit_error"
        case .timeout: "timeout_error"
        case .overloaded, .unavailable: "overloaded_error"
        case .api: "api_error"
        }
    }

    static func geminiStatus(_ kind: ErrorKind) -> String {
        switch kind {
        case .invalidRequest, .requestTooLarge, .unprocessable: "INVALID_ARGUMENT"
        case .authentication: "UNAUTHENTICATED"
        case .permission: "PERMISSION_DENIED"
        case .notFound: "NOT_FOUND"
        case .rateLimited: "RESOURCE_EXHAUSTED"
        case .timeout: "DEADLINE_EXCEEDED"
        case .overloaded, .unavailable: "UNAVAILABLE"
        case .api: "INTERNAL"
        }
    }

    static func kindFromType(_ type: String) -> ErrorKind? {
        switch type {
        case "invalid_request_error": .invalidRequest
        case "authentication_error": .authentication
        case "permission_error": .permission
        case "not_found_error": .notFound
        case "request_too_large": .requestTooLarge
        case "rate_limit_error", "insufficient_quota": .rateLimited
        case "timeout_error": .timeout
        case "overloaded_error": .overloaded
        case "api_error", "server_error": .api
        default: nil
        }
    }

    static func kindFromGeminiStatus(_ status: String) -> ErrorKind? {
        switch status {
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE": .invalidRequest
        case "UNAUTHENTICATED": .authentication
        case "PERMISSION_DENIED": .permission
        case "NOT_FOUND": .notFound
        case "RESOURCE_EXHAUSTED": .rateLimited
        case "DEADLINE_EXCEEDED": .timeout
        case "UNAVAILABLE": .unavailable
        case "INTERNAL", "UNKNOWN": .api
        default: nil
        }
    }
}
