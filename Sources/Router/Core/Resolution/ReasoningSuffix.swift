/// A reasoning level requested through a model-name suffix: `name(high)` or `name(8192)` (SPEC §7).
public enum ReasoningSuffix: Sendable, Hashable {
    /// A named effort: `none`, `minimal`, `low`, `medium`, `high`, `xhigh` or `auto`.
    case effort(String)
    /// A thinking budget in tokens.
    case budget(Int)

    /// The effort names accepted in a suffix (lower-case).
    public static let efforts: Set<String> = ["none", "minimal", "low", "medium", "high", "xhigh", "auto"]

    /// The suffix text between the parentheses, or nil when it is neither an effort nor a budget.
    public init?(text: String) {
        let lowered = text.lowercased()
        if Self.efforts.contains(lowered) {
            self = .effort(lowered)
        } else if !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text) {
            self = .budget(n)
        } else {
            return nil
        }
    }

    /// The text that goes between the parentheses.
    public var text: String {
        switch self {
        case .effort(let name): return name
        case .budget(let tokens): return String(tokens)
        }
    }
}

/// A model name as the client sent it, split into the name used for resolution and an optional
/// reasoning suffix. An unrecognised parenthesised tail stays part of the name.
public struct RequestedModel: Sendable, Hashable, CustomStringConvertible {
    /// The model name without the suffix; what resolution matches.
    public let name: String
    /// The reasoning level of the suffix, if there was one.
    public let reasoning: ReasoningSuffix?

    public init(name: String, reasoning: ReasoningSuffix? = nil) {
        self.name = name
        self.reasoning = reasoning
    }

    /// Parses `gpt-5(high)`, `claude-sonnet-4(8192)` or a plain name.
    public init(parsing raw: String) {
        guard raw.hasSuffix(")"), let open = raw.lastIndex(of: "("), open > raw.startIndex else {
            self.init(name: raw)
            return
        }
        let inner = String(raw[raw.index(after: open)..<raw.index(before: raw.endIndex)])
        guard let suffix = ReasoningSuffix(text: inner) else {
            self.init(name: raw)
            return
        }
        self.init(name: String(raw[..<open]), reasoning: suffix)
    }

    /// The name with its suffix, as the client wrote it (effort normalised to lower case).
    public var description: String { reasoning.map { "\(name)(\($0.text))" } ?? name }
}
