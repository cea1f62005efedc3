import HTTPCore

/// The route table: the three APIs on one port, plus the `/_mock` control endpoints.
enum MockRoutes {
    static func make(_ mock: MockUpstream) -> HTTPRoutes {
        var routes = HTTPRoutes()
        func add<F: WireFormat>(_ method: String, _ pattern: String, _ format: F.Type, _ operation: @escaping @Sendable (HTTPRequest) -> Operation) {
            routes.add(method, pattern) { request in
                await APIExchange<F>(mock: mock, request: request, operation: operation(request)).respond()
            }
        }
        add("POST", "/v1/chat/completions", OpenAIFormat.self) { _ in .generate(stream: nil, shape: StreamShape()) }
        add("POST", "/v1/messages", AnthropicFormat.self) { _ in .generate(stream: nil, shape: StreamShape()) }
        add("POST", "/v1/messages/count_tokens", AnthropicFormat.self) { _ in .countTokens }
        routes.add("GET", "/v1/models") { request in
            // One path, two APIs: Anthropic's SDK identifies itself with `anthropic-version`.
            if request.headers.contains("anthropic-version") || request.headers.contains("x-api-key") {
                return await APIExchange<AnthropicFormat>(mock: mock, request: request, operation: .models).respond()
            }
            return await APIExchange<OpenAIFormat>(mock: mock, request: request, operation: .models).respond()
        }
        for version in ["v1beta", "v1"] {
            add("POST", "/\(version)/models/{model}:generateContent", GeminiFormat.self) { _ in .generate(stream: false, shape: StreamShape()) }
            add("POST", "/\(version)/models/{model}:streamGenerateContent", GeminiFormat.self) { request in
                .generate(stream: true, shape: StreamShape(sse: request.queryItem("alt") == "sse"))
            }
            add("POST", "/\(version)/models/{model}:countTokens", GeminiFormat.self) { _ in .countTokens }
        }
        add("GET", "/v1beta/models", GeminiFormat.self) { _ in .models }
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        ControlAPI(mock: mock).register(&routes)
        return routes
    }

    /// Unknown paths and methods, in the format the path suggests.
    @Sendable static func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        let status = (error as? HTTPRouteError)?.status ?? 500
        let message = (error as? HTTPRouteError)?.message ?? "internal error: \(error)"
        let body = if request.path.hasPrefix("/v1beta/") {
            GeminiFormat.errorBody(status: status, message: message, retryDelay: nil)
        } else if request.headers.contains("anthropic-version") {
            AnthropicFormat.errorBody(status: status, message: message, retryDelay: nil)
        } else {
            OpenAIFormat.errorBody(status: status, message: message, retryDelay: nil)
        }
        return .json(status, Array(body.utf8))
    }
}
