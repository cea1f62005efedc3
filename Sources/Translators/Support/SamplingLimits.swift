/// Sampling values a target's API refuses although the client's format allows them: they are
/// brought into the target's range rather than sent to be refused, and reported as dropped.
extension Sampling {
    /// Anthropic's temperature range is 0–1 (OpenAI's and Gemini's 0–2): above it, 1.
    func anthropicTemperature(log: inout DropLog) throws -> Double? {
        guard let temperature, temperature > 1 else { return temperature }
        try log.drop("temperature")
        return 1
    }

    /// The stop sequences a target takes: at most `limit` (OpenAI 4, Gemini 5) and, for
    /// Anthropic, none without a non-whitespace character; the others are dropped as `stop`.
    func stopSequences(limit: Int = .max, nonBlank: Bool = false, log: inout DropLog) throws -> [String] {
        var kept = nonBlank ? stop.filter { !$0.allSatisfy(\.isWhitespace) } : stop
        if kept.count > limit { kept.removeLast(kept.count - limit) }
        if kept.count < stop.count { try log.drop("stop") }
        return kept
    }
}
