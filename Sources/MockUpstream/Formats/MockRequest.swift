/// Which provider's wire format a request speaks.
public enum MockAPI: String, Sendable {
    case openai, anthropic, gemini
}

/// What the mock needs from one generation request, read once from its body.
struct MockRequest: Sendable {
    var model: String
    var stream: Bool
    /// OpenAI `stream_options.include_usage`.
    var includeUsage = false
    /// The text of the last user turn (text parts only, joined).
    var userText = ""
    /// The first tool offered, if any.
    var tool: ToolOffer?
    /// Whether the request asks for reasoning / thinking.
    var reasoning = false
    /// Gemini `includeThoughts`: thought parts are shown only when asked for.
    var showThoughts = false
    var maxTokens: Int?
    var bodyBytes = 0

    init(model: String, stream: Bool) {
        self.model = model
        self.stream = stream
    }
}

/// A tool the client offered, with arguments the mock would call it with.
struct ToolOffer: Sendable {
    let name: String
    /// Compact JSON object: every required property of the schema with a placeholder value.
    let arguments: String

    init(name: String, schema: [String: Any]?) {
        self.name = name
        arguments = Self.placeholderArguments(schema)
    }

    /// `{}` unless the schema names required properties; those get a value of their type.
    static func placeholderArguments(_ schema: [String: Any]?) -> String {
        guard let schema, let required = JSONRead.array(schema["required"]) as? [String], !required.isEmpty else { return "{}" }
        let properties = JSONRead.object(schema["properties"]) ?? [:]
        let fields = required.sorted().map { name -> String in
            let property = JSONRead.object(properties[name]) ?? [:]
            let type = (JSONRead.string(property["type"]) ?? (JSONRead.array(property["type"])?.first as? String) ?? "string").lowercased()
            let value = switch type {
            case "integer", "number": "1"
            case "boolean": "true"
            case "array": "[]"
            case "object": "{}"
            case "null": "null"
            default: (JSONRead.array(property["enum"])?.first as? String).map { JSONText.quote($0) } ?? "\"mock\""
            }
            return JSONText.quote(name) + ":" + value
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// A request body the real API would reject; answered 400 in the API's format.
struct InvalidRequest: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
