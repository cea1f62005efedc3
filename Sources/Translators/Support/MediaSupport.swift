/// The media each target's API takes. Gemini takes any MIME type; OpenAI and Anthropic take
/// JPEG, PNG, GIF and WebP images and PDF documents (OpenAI WAV and MP3 audio too, Anthropic
/// URLs only over http(s)). What a target does not take is dropped as `media` rather than sent
/// to be refused (a message of nothing else is refused: 422), and a base64 plain-text document
/// becomes a text document for both.
enum MediaSupport {
    static let imageTypes: Set<String> = ["image/jpeg", "image/jpg", "image/png", "image/gif", "image/webp"]

    /// The `input_audio.format` OpenAI takes for an audio MIME type.
    static func openAIAudioFormat(_ mediaType: String) -> String? {
        switch mediaType.lowercased() {
        case "audio/wav", "audio/x-wav", "audio/wave": "wav"
        case "audio/mpeg", "audio/mp3": "mp3"
        default: nil
        }
    }

    /// `request` with every image and document (tool results' too) as `target` takes it.
    static func adapt(_ request: ChatRequest, for target: Dialect, log: inout DropLog) throws -> ChatRequest {
        guard target != .gemini, request.messages.contains(where: { $0.content.contains(where: \.holdsMedia) }) else { return request }
        var adapted = request
        for index in adapted.messages.indices where adapted.messages[index].content.contains(where: \.holdsMedia) {
            adapted.messages[index].content = try adapt(adapted.messages[index].content, for: target, log: &log)
            // A message of nothing but such media would vanish, and the conversation with it
            // (no message, or an assistant turn last): refused rather than answered beside the point.
            if adapted.messages[index].content.isEmpty { throw TranslationError.unsupported(feature: "media", dialect: target) }
        }
        return adapted
    }

    private static func adapt(_ parts: [ContentPart], for target: Dialect, log: inout DropLog) throws -> [ContentPart] {
        var kept: [ContentPart] = []
        for part in parts {
            switch part {
            case .image(let media):
                if takesImage(media.source, target: target) { kept.append(part) } else { try log.drop("media") }
            case .document(let media):
                if let document = document(media, target: target) { kept.append(.document(document)) } else { try log.drop("media") }
            case .toolResult(var result):
                result.content = try adapt(result.content, for: target, log: &log)
                kept.append(.toolResult(result))
            default:
                kept.append(part)
            }
        }
        return kept
    }

    private static func takesImage(_ source: MediaSource, target: Dialect) -> Bool {
        switch source {
        case .base64(let type, _): imageTypes.contains(type.lowercased())
        case .url(let url, let type): (type.map { imageTypes.contains($0.lowercased()) } ?? true) && (target != .anthropic || isHTTP(url))
        case .text: true
        }
    }

    private static func document(_ media: MediaPart, target: Dialect) -> MediaPart? {
        switch media.source {
        case .base64(let type, let data):
            switch type.lowercased() {
            case "application/pdf": return media
            case "text/plain":
                guard let text = Base64.decodeUTF8(data) else { return nil }
                var document = media
                document.source = .text(text)
                return document
            default:
                return target == .openai && openAIAudioFormat(type) != nil ? media : nil
            }
        case .url(let url, _):
            // OpenAI takes no document URL at all: its encoder drops it under its own name.
            return target != .anthropic || isHTTP(url) ? media : nil
        case .text:
            return media
        }
    }

    private static func isHTTP(_ url: String) -> Bool {
        let lowered = url.prefix(8).lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
    }
}

private extension ContentPart {
    var holdsMedia: Bool {
        switch self {
        case .image, .document: true
        case .toolResult(let result): result.content.contains(where: \.holdsMedia)
        default: false
        }
    }
}
