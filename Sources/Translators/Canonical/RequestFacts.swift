import JSON

/// What the gateway needs of a request before it knows where it goes: the model as named,
/// streaming, and the session hints (SPEC §6). Read straight from the bytes for OpenAI and
/// Anthropic bodies, so a request passed through to a provider of its own format is never
/// decoded into the canonical form (and fields Switchyard does not know cannot fail it).
public struct RequestFacts: Sendable, Equatable {
    /// The model exactly as the body names it, reasoning suffix included.
    public var model: String
    public var stream: Bool
    /// OpenAI `stream_options.include_usage`.
    public var includeUsageInStream: Bool
    /// OpenAI `user` / Anthropic `metadata.user_id`.
    public var userID: String?
    public var conversationID: String?
    /// The first text of the system prompt, of the first user turn and of the first assistant turn.
    public var firstSystemText: String?
    public var firstUserText: String?
    public var firstAssistantText: String?
    /// The body names `model` once, as a string written without escapes (or, a Gemini body, not
    /// at all). Known only from a scan, and left out of equality: it describes the bytes, not the
    /// request.
    public internal(set) var modelIsVerbatim = false
    /// The body names its model (a Gemini body has it in the URL instead).
    public internal(set) var bodyNamesModel = true

    /// Whether a provider of the body's own format calling `model` can take the scanned (so
    /// validated) body byte for byte: it names that very model verbatim, or names none.
    public func bodyFits(model: String) -> Bool {
        modelIsVerbatim && (!bodyNamesModel || model == self.model)
    }

    public init(model: String, stream: Bool = false, includeUsageInStream: Bool = false, userID: String? = nil,
                conversationID: String? = nil, firstSystemText: String? = nil, firstUserText: String? = nil,
                firstAssistantText: String? = nil) {
        self.model = model
        self.stream = stream
        self.includeUsageInStream = includeUsageInStream
        self.userID = userID
        self.conversationID = conversationID
        self.firstSystemText = firstSystemText
        self.firstUserText = firstUserText
        self.firstAssistantText = firstAssistantText
    }

    /// The facts of a decoded request; `model` is the name as requested (suffix included).
    public init(_ request: ChatRequest) {
        func firstText(_ role: Role) -> String? {
            request.messages.first { $0.role == role }?.content.lazy.compactMap(\.textValue).first
        }
        self.init(model: request.requestedModel, stream: request.stream,
                  includeUsageInStream: request.includeUsageInStream, userID: request.metadata.userID,
                  conversationID: request.metadata.conversationID,
                  firstSystemText: request.system.lazy.compactMap(\.textValue).first,
                  firstUserText: firstText(.user), firstAssistantText: firstText(.assistant))
    }

    public static func == (lhs: RequestFacts, rhs: RequestFacts) -> Bool {
        lhs.model == rhs.model && lhs.stream == rhs.stream && lhs.includeUsageInStream == rhs.includeUsageInStream
            && lhs.userID == rhs.userID && lhs.conversationID == rhs.conversationID
            && lhs.firstSystemText == rhs.firstSystemText && lhs.firstUserText == rhs.firstUserText
            && lhs.firstAssistantText == rhs.firstAssistantText
    }

    /// Reads the facts of a generate request body without decoding it (a Gemini body's model
    /// and streaming come from its URL: `pathModel`, `stream`); nil whenever the body is not
    /// shaped as the canonical decoder expects (a missing or mistyped field the facts depend
    /// on): the caller decodes it then, which gives the precise error. Where both succeed they
    /// agree with `init(_:)` on the decoded request.
    public static func scan(_ body: [UInt8], dialect: Dialect, pathModel: String? = nil, stream: Bool = false) -> RequestFacts? {
        try? JSONView.read(body) { view in
            switch dialect {
            case .openai: return try OpenAIFactScanner(view: view).facts()
            case .anthropic: return try AnthropicFactScanner(view: view).facts()
            case .gemini:
                guard let pathModel else { return nil }
                let model = pathModel.hasPrefix("models/") ? String(pathModel.dropFirst(7)) : pathModel
                return try GeminiFactScanner(view: view).facts(model: model, stream: stream)
            }
        }
    }
}

/// The shape checks both scanners share: a value is absent, or of the expected kind, or the scan gives up.
private struct FactReader {
    let view: JSONView

    /// The top-level members the facts come from (the last one winning, as in `JSONObject`;
    /// null counting as absent, as the canonical decoder reads it).
    struct TopLevel {
        var model, messages, stream, streamOptions, user, conversationID, metadata, system: Range<Int>?
        var modelCount = 0
    }

    func topLevel() -> TopLevel {
        var top = TopLevel()
        view.forEachMember(view.root) { key, value in
            let present = view.kind(value) == .null ? nil : value
            switch key {
            case "model": top.model = present; top.modelCount += 1
            case "messages": top.messages = present
            case "stream": top.stream = present
            case "stream_options": top.streamOptions = present
            case "user": top.user = present
            case "conversation_id": top.conversationID = present
            case "metadata": top.metadata = present
            case "system": top.system = present
            default: break
            }
            return true
        }
        return top
    }

    /// What both formats keep at the top level: the model (required), `stream` and
    /// `conversation_id`; with the top-level members and the (required) messages array.
    func common() throws(Unshaped) -> (TopLevel, Range<Int>, RequestFacts) {
        guard view.kind(view.root) == .object else { throw Unshaped() }
        let top = topLevel()
        guard let modelValue = top.model, let model = view.string(modelValue), let messages = top.messages,
              view.kind(messages) == .array else { throw Unshaped() }
        var facts = RequestFacts(model: model)
        facts.modelIsVerbatim = top.modelCount == 1 && !view.hasEscapes(string: modelValue)
        facts.stream = try optionalBool(top.stream).get() ?? false
        facts.conversationID = try optionalString(top.conversationID).get()
        return (top, messages, facts)
    }

    /// Two members of `object` in one pass; each nil when absent or null.
    func members(_ first: String, _ second: String, of object: Range<Int>) -> (Range<Int>?, Range<Int>?) {
        var found: (Range<Int>?, Range<Int>?) = (nil, nil)
        view.forEachMember(object) { key, value in
            let present = view.kind(value) == .null ? nil : value
            if key == first { found.0 = present } else if key == second { found.1 = present }
            return true
        }
        return found
    }

    /// One member of `object`; nil when absent or null.
    func member(_ key: String, of object: Range<Int>) -> Range<Int>? {
        view.member(key, of: object).flatMap { view.kind($0) == .null ? nil : $0 }
    }

    /// A string when present; `.failure` when present with another kind.
    func optionalString(_ value: Range<Int>?) -> Result<String?, Unshaped> {
        guard let value else { return .success(nil) }
        guard let string = view.string(value) else { return .failure(Unshaped()) }
        return .success(string)
    }

    func optionalBool(_ value: Range<Int>?) -> Result<Bool?, Unshaped> {
        guard let value else { return .success(nil) }
        guard let bool = view.bool(value) else { return .failure(Unshaped()) }
        return .success(bool)
    }

    /// The first text of a content value that is a string or an array of parts whose text
    /// parts have `textTypes` and carry their text under the member named like the type's
    /// entry; nil when there is none. Fails on any other shape.
    func firstText(ofContent content: Range<Int>, textTypes: [String: String]) -> Result<String?, Unshaped> {
        switch view.kind(content) {
        case .string:
            return .success(view.string(content))
        case .array:
            var outcome: Result<String?, Unshaped> = .success(nil)
            view.forEachElement(content) { part in
                guard view.kind(part) == .object else {
                    outcome = .failure(Unshaped())
                    return false
                }
                // Text parts keep their text under "text", except OpenAI's refusal parts.
                let (typeValue, textValue) = members("type", "text", of: part)
                guard let type = typeValue.flatMap(view.string) else {
                    outcome = .failure(Unshaped())
                    return false
                }
                guard let field = textTypes[type] else { return true }
                guard let text = (field == "text" ? textValue : member(field, of: part)).flatMap(view.string) else {
                    outcome = .failure(Unshaped())
                    return false
                }
                outcome = .success(text)
                return false
            }
            return outcome
        default:
            return .failure(Unshaped())
        }
    }
}

/// The scan met a shape it does not vouch for.
private struct Unshaped: Error {}

/// OpenAI Chat Completions: system and developer messages make the system prompt; tool
/// messages are user turns (tool results, without text); an assistant's text comes from its
/// content, else its refusal.
private struct OpenAIFactScanner {
    let view: JSONView
    static let textTypes = ["text": "text", "input_text": "text", "refusal": "refusal"]

    func facts() throws(Unshaped) -> RequestFacts {
        let reader = FactReader(view: view)
        var (top, messages, facts) = try reader.common()
        if let options = top.streamOptions {
            guard view.kind(options) == .object else { throw Unshaped() }
            facts.includeUsageInStream = try reader.optionalBool(reader.member("include_usage", of: options)).get() ?? false
        }
        facts.userID = try reader.optionalString(top.user).get()

        var failed = false
        var userSeen = false, assistantSeen = false
        view.forEachElement(messages) { message in
            guard view.kind(message) == .object else {
                failed = true
                return false
            }
            let (roleValue, content) = reader.members("role", "content", of: message)
            guard let role = roleValue.flatMap(view.string) else {
                failed = true
                return false
            }
            switch role {
            case "system", "developer":
                guard facts.firstSystemText == nil, let content else { return true }
                guard case .success(let text) = reader.firstText(ofContent: content, textTypes: Self.textTypes) else {
                    failed = true
                    return false
                }
                facts.firstSystemText = text
            case "user":
                guard !userSeen else { return true }
                userSeen = true
                guard let content else { return true }
                guard case .success(let text) = reader.firstText(ofContent: content, textTypes: Self.textTypes) else {
                    failed = true
                    return false
                }
                facts.firstUserText = text
            case "tool":
                userSeen = true  // a user turn of tool results: no text
            case "assistant":
                guard !assistantSeen else { return true }
                assistantSeen = true
                var text: String?
                if let content {
                    guard case .success(let found) = reader.firstText(ofContent: content, textTypes: Self.textTypes) else {
                        failed = true
                        return false
                    }
                    text = found
                }
                if text == nil {
                    guard case .success(let refusal) = reader.optionalString(reader.member("refusal", of: message)) else {
                        failed = true
                        return false
                    }
                    text = refusal
                }
                facts.firstAssistantText = text
            default:
                failed = true
                return false
            }
            return true
        }
        if failed { throw Unshaped() }
        return facts
    }
}

/// Anthropic Messages: the system prompt is a string or text blocks; turns are user or assistant.
private struct AnthropicFactScanner {
    let view: JSONView
    static let textTypes = ["text": "text"]

    func facts() throws(Unshaped) -> RequestFacts {
        let reader = FactReader(view: view)
        var (top, messages, facts) = try reader.common()
        if let metadata = top.metadata {
            guard view.kind(metadata) == .object else { throw Unshaped() }
            facts.userID = try reader.optionalString(reader.member("user_id", of: metadata)).get()
        }
        if let system = top.system {
            facts.firstSystemText = try reader.firstText(ofContent: system, textTypes: Self.textTypes).get()
        }

        var failed = false
        var userSeen = false, assistantSeen = false
        view.forEachElement(messages) { message in
            let (roleValue, contentValue) = view.kind(message) == .object ? reader.members("role", "content", of: message) : (nil, nil)
            guard let role = roleValue.flatMap(view.string), role == "user" || role == "assistant", let content = contentValue else {
                failed = true
                return false
            }
            let isUser = role == "user"
            guard isUser ? !userSeen : !assistantSeen else { return true }
            if isUser { userSeen = true } else { assistantSeen = true }
            guard case .success(let text) = reader.firstText(ofContent: content, textTypes: Self.textTypes) else {
                failed = true
                return false
            }
            if isUser { facts.firstUserText = text } else { facts.firstAssistantText = text }
            return !(userSeen && assistantSeen)
        }
        if failed { throw Unshaped() }
        return facts
    }
}

/// Gemini generateContent: the system prompt is `systemInstruction.parts`; turns are `user`
/// (also `function`, or no role) and `model`; thought parts are no text of a turn.
private struct GeminiFactScanner {
    let view: JSONView

    func facts(model: String, stream: Bool) throws(Unshaped) -> RequestFacts {
        guard view.kind(view.root) == .object else { throw Unshaped() }
        let reader = FactReader(view: view)
        var camelSystem: Range<Int>?, snakeSystem: Range<Int>?, contents: Range<Int>?
        var camelPresent = false
        view.forEachMember(view.root) { key, value in
            let present = view.kind(value) == .null ? nil : value
            switch key {
            case "systemInstruction": camelSystem = present; camelPresent = true
            case "system_instruction": snakeSystem = present
            case "contents": contents = present
            default: break
            }
            return true
        }
        guard let contents, view.kind(contents) == .array else { throw Unshaped() }
        var facts = RequestFacts(model: model, stream: stream)
        facts.modelIsVerbatim = true
        facts.bodyNamesModel = false
        // The decoder reads the camelCase spelling whenever it is present, as `Reader.either` does.
        if let instruction = camelPresent ? camelSystem : snakeSystem {
            guard view.kind(instruction) == .object else { throw Unshaped() }
            if let parts = reader.member("parts", of: instruction) {
                facts.firstSystemText = try firstText(parts, reader).get()
            }
        }
        var failed = false
        var userSeen = false, modelSeen = false
        view.forEachElement(contents) { content in
            guard view.kind(content) == .object else {
                failed = true
                return false
            }
            let (roleValue, parts) = reader.members("role", "parts", of: content)
            let role = roleValue.map { view.string($0) } ?? "user"  // nil: a role that is no string
            let isUser: Bool
            switch role {
            case "user", "function": isUser = true
            case "model": isUser = false
            default:
                failed = true
                return false
            }
            guard isUser ? !userSeen : !modelSeen else { return true }
            if isUser { userSeen = true } else { modelSeen = true }
            if let parts {
                guard case .success(let text) = firstText(parts, reader) else {
                    failed = true
                    return false
                }
                if isUser { facts.firstUserText = text } else { facts.firstAssistantText = text }
            }
            return !(userSeen && modelSeen)
        }
        if failed { throw Unshaped() }
        return facts
    }

    /// The text of the first part that has one, thoughts excepted; fails on a part that is not
    /// an object or whose `text` or `thought` has another kind.
    private func firstText(_ parts: Range<Int>, _ reader: FactReader) -> Result<String?, Unshaped> {
        guard view.kind(parts) == .array else { return .failure(Unshaped()) }
        var outcome: Result<String?, Unshaped> = .success(nil)
        view.forEachElement(parts) { part in
            guard view.kind(part) == .object else {
                outcome = .failure(Unshaped())
                return false
            }
            let (textValue, thoughtValue) = reader.members("text", "thought", of: part)
            guard let textValue else { return true }
            guard let text = view.string(textValue), case .success(let thought) = reader.optionalBool(thoughtValue) else {
                outcome = .failure(Unshaped())
                return false
            }
            if thought == true { return true }
            outcome = .success(text)
            return false
        }
        return outcome
    }
}
