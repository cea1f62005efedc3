/// The OpenAI-format request bodies the fault cases send (the model is served by `mock-openai`).
enum ChatBody {
    static let plain = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hello there"}]}"#
    static let streaming = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hello there"}]}"#
}

extension Stack {
    /// A stack with the three mock providers and two credentials each, in tiers 0 and 1: a fault
    /// scripted on the first credential must be invisible to the client.
    static func withTwoCredentials(_ flags: [String] = []) async throws -> Stack {
        try await Stack(extraFlags: flags) { try MockProviders.provision($0, credentialsPerProvider: 2) }
    }
}
