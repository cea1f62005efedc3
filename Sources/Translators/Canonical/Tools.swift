/// A tool the model may call.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// JSON Schema of the arguments object.
    public var parameters: JSONValue
    /// OpenAI `strict`.
    public var strict: Bool?
    public var cacheControl: JSONValue?
    /// A provider built-in tool (web search, code execution…), kept verbatim for its own dialect.
    public var builtin: BuiltinTool?

    public init(name: String, description: String? = nil, parameters: JSONValue = ["type": "object"], strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }
}

/// A provider-native tool definition that only its own dialect can express.
public struct BuiltinTool: Sendable, Equatable {
    public var dialect: Dialect
    public var raw: JSONValue

    public init(dialect: Dialect, raw: JSONValue) {
        self.dialect = dialect
        self.raw = raw
    }
}

/// How the model must use tools.
public enum ToolChoice: Sendable, Equatable {
    case auto
    case none
    /// Must call some tool (OpenAI `required`, Anthropic `any`, Gemini `ANY`).
    case required
    /// Must call this tool.
    case tool(String)
}

/// A call the model made.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Arguments object.
    public var arguments: JSONValue
    /// Gemini `thoughtSignature` of the functionCall part; replayed only to Gemini.
    public var thoughtSignature: String?

    public init(id: String, name: String, arguments: JSONValue = [:], thoughtSignature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.thoughtSignature = thoughtSignature
    }
}

/// The result of a tool call, sent back by the client.
public struct ToolResult: Sendable, Equatable {
    public var callID: String
    /// The tool name, when the dialect says it (Gemini needs it; encoders look it up otherwise).
    public var name: String?
    /// Text and image parts.
    public var content: [ContentPart]
    public var isError: Bool
    public var cacheControl: JSONValue?

    public init(callID: String, name: String? = nil, content: [ContentPart], isError: Bool = false) {
        self.callID = callID
        self.name = name
        self.content = content
        self.isError = isError
    }

    /// All text parts joined by newlines.
    public var text: String {
        content.compactMap(\.textValue).joined(separator: "\n")
    }
}
