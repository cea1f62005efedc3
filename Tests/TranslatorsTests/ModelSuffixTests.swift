import Testing
@testable import Translators

@Suite struct ModelSuffixTests {
    static let cases: [(String, String, Reasoning?)] = [
        ("gpt-5(high)", "gpt-5", Reasoning(effort: .high)),
        ("claude-sonnet-4-5(8192)", "claude-sonnet-4-5", Reasoning(budgetTokens: 8192)),
        ("gemini-2.5-pro(0)", "gemini-2.5-pro", Reasoning(budgetTokens: 0)),
        ("gemini-2.5-pro(-1)", "gemini-2.5-pro", Reasoning(budgetTokens: -1)),
        ("m(NONE)", "m", Reasoning(effort: ReasoningEffort.none)),
        ("m(turbo)", "m(turbo)", nil),
        ("(high)", "(high)", nil),
        ("plain", "plain", nil),
    ]

    @Test(arguments: cases)
    func splits(_ testCase: (String, String, Reasoning?)) {
        let (base, reasoning) = ModelSuffix.split(testCase.0)
        #expect(base == testCase.1)
        #expect(reasoning == testCase.2)
    }

    @Test func effortBudgetTable() {
        #expect(ReasoningEffort(budgetTokens: 0) == ReasoningEffort.none)
        #expect(ReasoningEffort(budgetTokens: 512) == .minimal)
        #expect(ReasoningEffort(budgetTokens: 1024) == .low)
        #expect(ReasoningEffort(budgetTokens: 8192) == .medium)
        #expect(ReasoningEffort(budgetTokens: 20000) == .high)
        #expect(ReasoningEffort(budgetTokens: 64000) == .xhigh)
        for effort in ReasoningEffort.allCases where effort != .auto {
            #expect(ReasoningEffort(budgetTokens: effort.budgetTokens) == effort)
        }
    }

    @Test func suffixOverridesBody() throws {
        let body = "{\"model\":\"o3(high)\",\"messages\":[],\"reasoning_effort\":\"low\"}"
        let request = try Translator.decodeRequest(Array(body.utf8), from: .openai)
        #expect(request.model == "o3")
        #expect(request.requestedModel == "o3(high)")
        #expect(request.reasoning?.effort == .high)
    }
}
