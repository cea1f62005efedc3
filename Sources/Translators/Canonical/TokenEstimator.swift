/// A local input-token estimate for upstreams without a counting endpoint (OpenAI).
///
/// Rule (documented in docs/translation.md): one token per 4 UTF-8 bytes of every text, tool
/// name, description, schema and argument (rounded up per item), plus 4 per message, 3 for the
/// reply primer, 85 per image and 1,000 per document. Typically within ±15% for English text.
public enum TokenEstimator {
    public static func estimate(_ request: ChatRequest) -> Int {
        var total = 3
        for part in request.system { total += estimate(part) }
        if !request.system.isEmpty { total += 4 }
        for message in request.messages {
            total += 4
            for part in message.content { total += estimate(part) }
        }
        for tool in request.tools {
            total += bytes(tool.name) + bytes(tool.description ?? "") + bytes(tool.parameters.serializedString) + 8
        }
        return total
    }

    static func estimate(_ part: ContentPart) -> Int {
        switch part {
        case .text(let text): bytes(text.text)
        case .image: 85
        case .document(let media): if case .text(let text) = media.source { bytes(text) } else { 1_000 }
        case .toolCall(let call): bytes(call.name) + bytes(ToolArguments.text(call.arguments)) + 3
        case .toolResult(let result): result.content.reduce(3) { $0 + estimate($1) }
        case .thinking(let thinking): bytes(thinking.text)
        case .redactedThinking(let data): bytes(data)
        }
    }

    static func bytes(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}
