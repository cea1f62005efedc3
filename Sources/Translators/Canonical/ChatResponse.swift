/// The canonical non-streaming response (also the fold of a stream of `StreamEvent`s).
public struct ChatResponse: Sendable, Equatable {
    public var id: String
    public var model: String
    /// Assistant content in order: thinking, text, tool calls.
    public var content: [ContentPart]
    public var stopReason: StopReason?
    /// The stop sequence that ended generation, when known.
    public var stopSequence: String?
    public var usage: Usage?

    public init(id: String, model: String, content: [ContentPart] = [], stopReason: StopReason? = nil,
                stopSequence: String? = nil, usage: Usage? = nil) {
        self.id = id
        self.model = model
        self.content = content
        self.stopReason = stopReason
        self.stopSequence = stopSequence
        self.usage = usage
    }
}

/// Why generation stopped.
public enum StopReason: String, Sendable, Hashable {
    case endTurn = "end_turn"
    case maxTokens = "max_tokens"
    case stopSequence = "stop_sequence"
    case toolUse = "tool_use"
    case contentFilter = "content_filter"
    /// Anthropic `pause_turn` (server tool loop paused).
    case pauseTurn = "pause_turn"
    /// Anthropic `refusal`.
    case refusal
    /// Anything else (Gemini `OTHER`, `MALFORMED_FUNCTION_CALL`…).
    case other
}

/// Token usage. `inputTokens` includes cached input and `outputTokens` includes reasoning,
/// whatever the dialect reports.
public struct Usage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// Input tokens read from a prompt cache.
    public var cachedInputTokens: Int?
    /// Input tokens written to a prompt cache (Anthropic).
    public var cacheCreationInputTokens: Int?
    /// Output tokens spent on reasoning.
    public var reasoningTokens: Int?

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int? = nil,
                cacheCreationInputTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.reasoningTokens = reasoningTokens
    }

    public var totalTokens: Int { inputTokens + outputTokens }

    /// Merges a later report into this one: non-zero / non-nil later values win.
    public func merged(with later: Usage) -> Usage {
        Usage(inputTokens: later.inputTokens != 0 ? later.inputTokens : inputTokens,
              outputTokens: later.outputTokens != 0 ? later.outputTokens : outputTokens,
              cachedInputTokens: later.cachedInputTokens ?? cachedInputTokens,
              cacheCreationInputTokens: later.cacheCreationInputTokens ?? cacheCreationInputTokens,
              reasoningTokens: later.reasoningTokens ?? reasoningTokens)
    }
}
