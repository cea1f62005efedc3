import Foundation

/// The deterministic reply to one request, independent of wire format: every renderer turns
/// the same plan into its API's body or event sequence.
struct ReplyPlan: Sendable {
    /// Why generation stopped.
    enum Stop: Sendable {
        case endTurn, maxTokens, toolUse
    }

    /// A tool call, with its arguments split into stream deltas.
    struct ToolCall: Sendable {
        let name: String
        let arguments: String
        let argumentPieces: [String]
    }

    /// Per-process sequence number: ids are `chatcmpl-mock-N`, `msg_mock_N`, ...
    let sequence: Int
    let model: String
    let created: Int
    /// Reasoning text split into deltas (empty when reasoning was not asked for).
    var thinkingPieces: [String] = []
    /// Reply text split into deltas, one word each (empty for a tool-only reply).
    var textPieces: [String] = []
    var tool: ToolCall?
    var stop: Stop = .endTurn
    var inputTokens = 1
    var thinkingTokens = 0
    /// Output tokens, reasoning excluded.
    var answerTokens = 0
    /// Opaque signature of the reasoning (Anthropic `signature`, Gemini `thoughtSignature`).
    var signature = ""
    /// Gemini: show the thought parts (`includeThoughts`), not only count them.
    var showThoughts = false

    var text: String { textPieces.joined() }
    var thinking: String { thinkingPieces.joined() }

    private static let filler = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]

    init(request: MockRequest, sequence: Int, created: Int, chunks: Int? = nil) {
        self.sequence = sequence
        self.created = created
        model = request.model
        inputTokens = max(1, request.bodyBytes / 4)
        let snippet = String(request.userText.prefix(40))
        if request.reasoning {
            thinkingPieces = Self.pieces(of: Self.words("Thinking about: " + snippet))
            thinkingTokens = thinkingPieces.count
            let seed = Array("mock-signature:\(sequence):\(snippet)".utf8)
            signature = Data(SHA256.digest(seed)).base64EncodedString()
            showThoughts = request.showThoughts
        }
        if let offer = request.tool, request.userText.lowercased().contains("use tool") {
            let arguments = offer.arguments
            tool = ToolCall(name: offer.name, arguments: arguments, argumentPieces: Self.thirds(of: arguments))
            stop = .toolUse
            answerTokens = 3 + tool!.argumentPieces.count
            return
        }
        var words = Self.words("mock reply to: " + snippet)
        if let chunks {
            var index = 0
            while words.count < chunks {
                words.append(Self.filler[index % Self.filler.count])
                index += 1
            }
            words.removeLast(words.count - chunks)
        }
        if let limit = request.maxTokens, limit >= 1, limit < words.count {
            words.removeLast(words.count - limit)
            stop = .maxTokens
        }
        textPieces = Self.pieces(of: words)
        answerTokens = textPieces.count
    }

    /// Appends reply text of `bytes` ASCII bytes, in deltas of at most 16 KiB.
    mutating func pad(bytes: Int) {
        var left = bytes
        while left > 0 {
            let size = min(left, 16 * 1024)
            textPieces.append(String(repeating: "a", count: size))
            left -= size
        }
    }

    /// Space-separated words (split on bytes: cheaper than by grapheme).
    private static func words(_ text: String) -> [String] {
        text.utf8.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Words with the separating space kept at the end of each but the last.
    private static func pieces(of words: [String]) -> [String] {
        words.enumerated().map { $0.offset < words.count - 1 ? $0.element + " " : $0.element }
    }

    /// `text` cut into up to three consecutive parts.
    private static func thirds(of text: String) -> [String] {
        let characters = Array(text)
        guard characters.count >= 3 else { return [text] }
        let a = characters.count / 3, b = 2 * characters.count / 3
        return [String(characters[..<a]), String(characters[a..<b]), String(characters[b...])]
    }
}
