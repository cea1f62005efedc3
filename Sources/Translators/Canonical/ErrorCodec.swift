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
        var kind = ErrorKind(status: status ?? 500)
        let value = try? JSONValue.parse(body)
        guard let error = value?["error"] else {
            // vLLM's and FastAPI's `{"message": …}` / `{"detail": …}`, else the body's text.
            if let message = value?["message"]?.string ?? value?["detail"]?.string {
                return GatewayError(kind: kind, message: message, status: status)
            }
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            return GatewayError(kind: kind, message: text.isEmpty ? "upstream returned HTTP \(status ?? 500)" : text, status: status)
        }
        let message = error["message"]?.string ?? error.string ?? "upstream error"
        var code = error["code"]?.string
        if let type = error["type"]?.string {
            // An HTTP status says what went wrong; the type only refines a generic server error
            // (Ollama calls a 404 an `api_error`), or says it all for an in-stream error.
            if status == nil || kind == .api { kind = kindFromType(type) ?? kind }
            if code == nil && dialect == .openai { code = type }
        }
        if let statusName = error["status"]?.string {
            kind = kindFromGeminiStatus(statusName) ?? kind
            code = code ?? statusName
        }
        return GatewayError(kind: kind, message: message, status: status ?? error["code"]?.int, code: code)
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
