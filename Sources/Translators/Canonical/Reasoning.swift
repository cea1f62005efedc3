/// Reasoning effort levels, OpenAI `reasoning_effort` style.
public enum ReasoningEffort: String, Sendable, Hashable, CaseIterable {
    case none, minimal, low, medium, high, xhigh
    /// Let the provider decide (Gemini budget `-1`, suffix `(auto)`).
    case auto

    /// The thinking budget this effort maps to (see docs/translation.md).
    public var budgetTokens: Int {
        switch self {
        case .none: 0
        case .minimal: 512
        case .low: 1024
        case .medium: 8192
        case .high: 24576
        case .xhigh: 32768
        case .auto: -1
        }
    }

    /// The effort a token budget maps to: 0 none, < 1024 minimal, ≤ 1024 low, ≤ 8192 medium,
    /// ≤ 24576 high, above that xhigh, negative auto.
    public init(budgetTokens budget: Int) {
        switch budget {
        case ..<0: self = .auto
        case 0: self = .none
        case ..<1024: self = .minimal
        case 1024: self = .low
        case ...8192: self = .medium
        case ...24576: self = .high
        default: self = .xhigh
        }
    }
}

/// Reasoning / thinking controls: an effort level, a token budget, or both.
public struct Reasoning: Sendable, Equatable {
    public var effort: ReasoningEffort?
    public var budgetTokens: Int?
    /// Whether the client wants thinking text returned (Anthropic thinking, Gemini includeThoughts).
    public var includeThoughts: Bool?

    public init(effort: ReasoningEffort? = nil, budgetTokens: Int? = nil, includeThoughts: Bool? = nil) {
        self.effort = effort
        self.budgetTokens = budgetTokens
        self.includeThoughts = includeThoughts
    }

    /// Whether reasoning is explicitly switched off.
    public var isDisabled: Bool { effort == ReasoningEffort.none || budgetTokens == 0 }

    /// The budget to send to budget-based providers.
    public var resolvedBudget: Int { budgetTokens ?? effort?.budgetTokens ?? -1 }

    /// The effort to send to effort-based providers.
    public var resolvedEffort: ReasoningEffort {
        effort ?? budgetTokens.map { ReasoningEffort(budgetTokens: $0) } ?? .medium
    }
}

/// Parses the `name(high)` / `name(8192)` model-name suffix.
public enum ModelSuffix {
    /// Splits `model` into its base name and the reasoning its suffix asks for, if any.
    /// Accepted: an effort name (`none`, `minimal`, `low`, `medium`, `high`, `xhigh`, `auto`)
    /// or an integer budget (`0` disables, `-1` is auto). Anything else is not a suffix.
    public static func split(_ model: String) -> (base: String, reasoning: Reasoning?) {
        guard model.hasSuffix(")"), let open = model.lastIndex(of: "("), open > model.startIndex else {
            return (model, nil)
        }
        let inner = model[model.index(after: open)..<model.index(before: model.endIndex)].lowercased()
        let base = String(model[..<open])
        if let effort = ReasoningEffort(rawValue: inner) {
            return (base, Reasoning(effort: effort))
        }
        if let budget = Int(inner), budget >= -1 {
            return (base, Reasoning(budgetTokens: budget))
        }
        return (model, nil)
    }
}
