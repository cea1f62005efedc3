import HTTPCore
import Store
import Translators
import UpstreamHTTP

/// What one attempt asks of an upstream.
enum UpstreamOperation: Sendable, Equatable {
    case generate(stream: Bool)
    case countTokens
}

/// Builds the HTTP request for one provider, credential and model: URL, authentication,
/// the provider's static headers and the few client headers that may pass (SPEC §9).
enum ProviderRequest {
    /// The Anthropic API version sent when the client did not choose one.
    static let defaultAnthropicVersion = "2023-06-01"

    static func make(provider: Provider, credential: Credential, model: String, operation: UpstreamOperation,
                     body: [UInt8], clientHeaders: HTTPHeaders, settings: Settings) -> UpstreamRequest {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(provider.headers.count + 5)
        if !provider.headers.isEmpty {
            for (name, value) in provider.headers.sorted(by: { $0.key < $1.key }) where !isAuthentication(name) {
                headers.append((name, value))
            }
        }
        headers.append(("Content-Type", "application/json"))
        if operation == .generate(stream: true) { headers.append(("Accept", "text/event-stream")) }
        let token = credential.secret.bearerValue
        switch provider.type {
        case .openai:
            headers.append(("Authorization", "Bearer \(token)"))
        case .anthropic:
            if case .oauth = credential.secret {
                headers.append(("Authorization", "Bearer \(token)"))
            } else {
                headers.append(("x-api-key", token))
            }
            headers.append(("anthropic-version", clientHeaders["anthropic-version"] ?? defaultAnthropicVersion))
            var betas = clientHeaders.values("anthropic-beta")
            if case .oauth = credential.secret { betas.append("oauth-2025-04-20") }
            if !betas.isEmpty { headers.append(("anthropic-beta", betas.joined(separator: ","))) }
        case .gemini:
            if case .oauth = credential.secret {
                headers.append(("Authorization", "Bearer \(token)"))
            } else {
                headers.append(("x-goog-api-key", token))
            }
        }
        return UpstreamRequest(method: "POST", url: url(provider: provider, model: model, operation: operation),
                               headers: headers, body: body, timeouts: timeouts(settings.timeoutSeconds),
                               addressPolicy: provider.allowPrivateNetwork ? .allowingPrivate : .publicOnly)
    }

    /// The endpoint URL; `base_url` is as each provider's own SDK takes it (SPEC §4).
    static func url(provider: Provider, model: String, operation: UpstreamOperation) -> String {
        var base = provider.baseURL
        while base.utf8.last == UInt8(ascii: "/") { base.removeLast() }
        switch (provider.type, operation) {
        case (.openai, _): return base + "/chat/completions"
        case (.anthropic, .countTokens): return base + "/v1/messages/count_tokens"
        case (.anthropic, .generate): return base + "/v1/messages"
        case (.gemini, .countTokens): return base + "/v1beta/models/\(PercentEncoding.unreserved(model)):countTokens"
        case (.gemini, .generate(let stream)):
            return base + "/v1beta/models/\(PercentEncoding.unreserved(model))" + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent")
        }
    }

    /// The wire dialect of a provider type.
    static func dialect(_ type: ProviderType) -> Dialect {
        switch type {
        case .openai: .openai
        case .anthropic: .anthropic
        case .gemini: .gemini
        }
    }

    static func timeouts(_ seconds: TimeoutSeconds) -> UpstreamHTTP.UpstreamTimeouts {
        UpstreamHTTP.UpstreamTimeouts(connect: .seconds(seconds.connect), firstByte: .seconds(seconds.firstByte),
                                      idle: .seconds(seconds.idle), total: .seconds(seconds.total))
    }

    /// Static provider headers may not replace the credential's authentication.
    private static func isAuthentication(_ name: String) -> Bool {
        ["authorization", "x-api-key", "x-goog-api-key", "host", "content-length", "transfer-encoding"].contains(name.lowercased())
    }
}

extension CredentialSecret {
    /// The key or access token to present upstream.
    var bearerValue: String {
        switch self {
        case .apiKey(let key): key.reveal()
        case .oauth(let token): token.accessToken.reveal()
        }
    }
}

