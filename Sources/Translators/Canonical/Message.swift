/// Who authored a message. Tool results travel as parts of user messages.
public enum Role: String, Sendable, Hashable {
    case user
    case assistant
}

/// One conversation turn.
public struct Message: Sendable, Equatable {
    public var role: Role
    public var content: [ContentPart]
    /// OpenAI participant name.
    public var name: String?

    public init(role: Role, content: [ContentPart], name: String? = nil) {
        self.role = role
        self.content = content
        self.name = name
    }
}

/// One piece of message content.
public enum ContentPart: Sendable, Equatable {
    case text(TextPart)
    case image(MediaPart)
    /// A document such as a PDF.
    case document(MediaPart)
    case toolCall(ToolCall)
    case toolResult(ToolResult)
    case thinking(ThinkingPart)
    /// Anthropic encrypted thinking, opaque to everyone else.
    case redactedThinking(data: String)

    /// Convenience for a plain text part.
    public static func text(_ text: String) -> ContentPart { .text(TextPart(text: text)) }

    /// The text when this is a text part.
    public var textValue: String? {
        if case .text(let part) = self { return part.text }
        return nil
    }

    public var isToolCall: Bool {
        if case .toolCall = self { return true }
        return false
    }
}

/// Text with optional provider annotations.
public struct TextPart: Sendable, Equatable {
    public var text: String
    /// Anthropic `cache_control`, kept verbatim.
    public var cacheControl: JSONValue?
    /// Gemini `thoughtSignature` attached to this text part.
    public var thoughtSignature: String?

    public init(text: String, cacheControl: JSONValue? = nil, thoughtSignature: String? = nil) {
        self.text = text
        self.cacheControl = cacheControl
        self.thoughtSignature = thoughtSignature
    }

    /// Empty or only whitespace: Anthropic refuses such a text block, Gemini an empty part.
    public var isBlank: Bool { text.allSatisfy(\.isWhitespace) }
}

/// Where image or document bytes come from.
public enum MediaSource: Sendable, Equatable {
    /// Inline base64 data (validated on decode).
    case base64(mediaType: String, data: String)
    /// A URL the upstream fetches (`mediaType` when known).
    case url(String, mediaType: String?)
    /// Plain text document content (Anthropic `text` source).
    case text(String)
}

/// An image or a document.
public struct MediaPart: Sendable, Equatable {
    public var source: MediaSource
    /// OpenAI image `detail`.
    public var detail: String?
    /// Document title or file name.
    public var title: String?
    public var cacheControl: JSONValue?

    public init(source: MediaSource, detail: String? = nil, title: String? = nil, cacheControl: JSONValue? = nil) {
        self.source = source
        self.detail = detail
        self.title = title
        self.cacheControl = cacheControl
    }
}

/// Model reasoning shown to the client, with the signature that authenticates it.
public struct ThinkingPart: Sendable, Equatable {
    public var text: String
    /// Provider signature (Anthropic `signature`, Gemini `thoughtSignature`).
    public var signature: String?
    /// The provider that minted `signature`; a signature is only replayed to its own provider.
    public var origin: Dialect?

    public init(text: String, signature: String? = nil, origin: Dialect? = nil) {
        self.text = text
        self.signature = signature
        self.origin = origin
    }
}
