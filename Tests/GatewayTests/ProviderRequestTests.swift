import HTTPCore
import Store
import Testing
@testable import Router

@Suite struct ProviderRequestTests {
    private func provider(_ type: ProviderType, _ base: String) -> Provider {
        Provider(name: "p", type: type, baseURL: base, headers: ["X-Static": "1", "Authorization": "Bearer stolen"])
    }

    private func credential(_ secret: CredentialSecret) -> Credential {
        Credential(id: "c1", provider: "p", secret: secret)
    }

    @Test(arguments: [
        (ProviderType.openai, "https://api.openai.com/v1/", UpstreamOperation.generate(stream: false), "https://api.openai.com/v1/chat/completions"),
        (.openai, "http://127.0.0.1:9/v1", .generate(stream: true), "http://127.0.0.1:9/v1/chat/completions"),
        (.anthropic, "https://api.anthropic.com", .generate(stream: true), "https://api.anthropic.com/v1/messages"),
        (.anthropic, "https://api.anthropic.com/", .countTokens, "https://api.anthropic.com/v1/messages/count_tokens"),
        (.gemini, "https://generativelanguage.googleapis.com", .generate(stream: false),
         "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5%20pro:generateContent"),
        (.gemini, "https://generativelanguage.googleapis.com", .generate(stream: true),
         "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5%20pro:streamGenerateContent?alt=sse"),
        (.gemini, "https://generativelanguage.googleapis.com", .countTokens,
         "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5%20pro:countTokens"),
    ])
    func urls(_ type: ProviderType, _ base: String, _ operation: UpstreamOperation, _ expected: String) {
        #expect(ProviderRequest.url(provider: provider(type, base), model: "gemini-2.5 pro", operation: operation) == expected)
    }

    @Test func authenticationHeadersPerProviderAndStaticHeadersCannotReplaceThem() {
        let key = CredentialSecret.apiKey(Secret("sk-live-123"))
        let client: HTTPHeaders = ["anthropic-version": "2024-01-01", "anthropic-beta": "tools-1", "Authorization": "Bearer sy-client",
                                   "Cookie": "a=b"]
        func headers(_ type: ProviderType, _ secret: CredentialSecret) -> [String: String] {
            let request = ProviderRequest.make(provider: provider(type, "https://x"), credential: credential(secret), model: "m",
                                               operation: .generate(stream: false), body: [], clientHeaders: client, settings: Settings())
            return Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, b in a + "|" + b })
        }
        let openai = headers(.openai, key)
        #expect(openai["authorization"] == "Bearer sk-live-123")
        #expect(openai["x-static"] == "1")
        #expect(openai["cookie"] == nil)
        let anthropic = headers(.anthropic, key)
        #expect(anthropic["x-api-key"] == "sk-live-123")
        #expect(anthropic["authorization"] == nil)
        #expect(anthropic["anthropic-version"] == "2024-01-01")
        #expect(anthropic["anthropic-beta"] == "tools-1")
        let oauth = headers(.anthropic, .oauth(OAuthToken(accessToken: Secret("oat-1"))))
        #expect(oauth["authorization"] == "Bearer oat-1")
        #expect(oauth["anthropic-beta"]?.contains("oauth-2025-04-20") == true)
        let gemini = headers(.gemini, key)
        #expect(gemini["x-goog-api-key"] == "sk-live-123")
        #expect(gemini["anthropic-version"] == nil)
    }

    @Test func privateNetworkOnlyWhenTheProviderAllowsIt() {
        var open = provider(.openai, "http://127.0.0.1:1/v1")
        let closed = ProviderRequest.make(provider: open, credential: credential(.apiKey(Secret("k"))), model: "m",
                                          operation: .countTokens, body: [], clientHeaders: [:], settings: Settings())
        #expect(closed.addressPolicy == .publicOnly)
        open.allowPrivateNetwork = true
        let allowed = ProviderRequest.make(provider: open, credential: credential(.apiKey(Secret("k"))), model: "m",
                                           operation: .countTokens, body: [], clientHeaders: [:], settings: Settings())
        #expect(allowed.addressPolicy == .allowingPrivate)
    }
}
