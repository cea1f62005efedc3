import JSON

/// The canonical chat request every dialect decodes to and encodes from.
public struct ChatRequest: Sendable, Equatable {
    /// Model name with any reasoning suffix removed (what routing resolves).
    public var model: String
    /// The model name exactly as the client sent it (suffix included).
    public var requestedModel: String
    /// System prompt blocks, in order (text parts only).
    public var system: [ContentPart]
    /// The conversation.
    public var messages: [Message]
    /// Tools the model may call.
    public var tools: [ToolDefinition]
    /// How the model must use the tools.
    public var toolChoice: ToolChoice?
    /// Whether several tool calls may be made in one turn (`nil`: provider default).
    public var parallelToolCalls: Bool?
    /// Sampling controls.
    public var sampling: Sampling
    /// Structured output mode.
    public var responseFormat: ResponseFormat?
    /// Reasoning / thinking controls (the model suffix wins over the body).
    public var reasoning: Reasoning?
    /// Caller identity and session hints.
    public var metadata: RequestMetadata
    /// Whether the client asked for a stream.
    public var stream: Bool
    /// OpenAI `stream_options.include_usage`.
    public var includeUsageInStream: Bool
    /// Body fields of the client's dialect that the canonical model cannot carry (e.g.
    /// `logit_bias`, `safetySettings`); every encoder reports them as dropped.
    public var unsupportedFields: [String]

    /// Creates a request; everything but the model and messages defaults to empty.
    public init(model: String, messages: [Message] = [], system: [ContentPart] = []) {
        self.model = model
        self.requestedModel = model
        self.system = system
        self.messages = messages
        self.tools = []
        self.toolChoice = nil
        self.parallelToolCalls = nil
        self.sampling = Sampling()
        self.responseFormat = nil
        self.reasoning = nil
        self.metadata = RequestMetadata()
        self.stream = false
        self.includeUsageInStream = false
        self.unsupportedFields = []
    }

    /// Strips a reasoning suffix such as `name(high)` from `model`, letting it override `reasoning`.
    public mutating func applyModelSuffix() {
        requestedModel = model
        let (base, suffix) = ModelSuffix.split(model)
        model = base
        if let suffix { reasoning = suffix }
    }
}

/// Sampling and length controls.
public struct Sampling: Sendable, Equatable {
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    /// Maximum output tokens.
    public var maxTokens: Int?
    /// Stop sequences.
    public var stop: [String] = []
    public var seed: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    /// Number of candidates (OpenAI `n`, Gemini `candidateCount`).
    public var candidateCount: Int?

    public init() {}
}

/// Structured output requested from the model.
public enum ResponseFormat: Sendable, Equatable {
    /// Plain text (explicitly requested).
    case text
    /// Any JSON object.
    case jsonObject
    /// JSON matching a schema.
    case jsonSchema(name: String?, schema: JSONValue, strict: Bool?)
}

/// Caller identity and session hints carried for routing and for the upstream.
public struct RequestMetadata: Sendable, Equatable {
    /// OpenAI `user` / Anthropic `metadata.user_id`.
    public var userID: String?
    /// A `conversation_id` body field, if any.
    public var conversationID: String?
    /// OpenAI `metadata` key/value pairs.
    public var tags: JSONObject?

    public init(userID: String? = nil, conversationID: String? = nil, tags: JSONObject? = nil) {
        self.userID = userID
        self.conversationID = conversationID
        self.tags = tags
    }
}

extension ChatRequest {
    /// For an answer that will be translated: a translated answer carries one choice, so more
    /// (`n`, `candidateCount`) are not asked for and not paid for; reported as dropped `n`.
    public mutating func limitToOneChoice() {
        guard let count = sampling.candidateCount, count > 1 else { return }
        sampling.candidateCount = nil
        if !unsupportedFields.contains("n") { unsupportedFields.append("n") }
    }
}
