/// The three wire formats Switchyard speaks, to clients and to upstreams.
public enum Dialect: String, Sendable, Hashable, CaseIterable {
    /// OpenAI Chat Completions (`/v1/chat/completions`) and compatible servers.
    case openai
    /// Anthropic Messages (`/v1/messages`).
    case anthropic
    /// Google Gemini (`/v1beta/models/{model}:generateContent`).
    case gemini
}
