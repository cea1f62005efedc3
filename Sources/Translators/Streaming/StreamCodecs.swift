/// An incremental stream decoder (upstream bytes → canonical events).
public protocol IncrementalStreamDecoder: Sendable {
    /// Consumes upstream bytes (any split), appending the events they complete; on unreadable
    /// input it throws with the events decoded before it appended.
    mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [StreamEvent]) throws
}

extension IncrementalStreamDecoder {
    /// Consumes upstream bytes (any split) and returns the events they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [StreamEvent] {
        var events: [StreamEvent] = []
        try feed(bytes, into: &events)
        return events
    }
}

/// Any dialect's incremental stream decoder.
public struct StreamDecoder: IncrementalStreamDecoder {
    private enum Inner: Sendable {
        case openai(OpenAIStreamDecoder)
        case anthropic(AnthropicStreamDecoder)
        case gemini(GeminiStreamDecoder)
    }

    private var inner: Inner

    /// A decoder for an upstream of `dialect`. Gemini needs its framing (`.sse` with `alt=sse`,
    /// `.jsonArray` without), the requested model for chunks without `modelVersion` and an id
    /// for streams without `responseId`.
    public init(dialect: Dialect, geminiFraming: GeminiStreamDecoder.Framing = .sse, model: String = "", fallbackID: String = "") {
        switch dialect {
        case .openai: inner = .openai(OpenAIStreamDecoder())
        case .anthropic: inner = .anthropic(AnthropicStreamDecoder())
        case .gemini: inner = .gemini(GeminiStreamDecoder(framing: geminiFraming, model: model, fallbackID: fallbackID))
        }
    }

    /// Consumes upstream bytes (any split), appending the events they complete; on unreadable
    /// input it throws with the events decoded before it appended.
    public mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [StreamEvent]) throws {
        switch inner {
        case .openai(var decoder): defer { inner = .openai(decoder) }; try decoder.feed(bytes, into: &events)
        case .anthropic(var decoder): defer { inner = .anthropic(decoder) }; try decoder.feed(bytes, into: &events)
        case .gemini(var decoder): defer { inner = .gemini(decoder) }; try decoder.feed(bytes, into: &events)
        }
    }

    /// Signals the upstream closed; returns any final events.
    public mutating func finish() throws -> [StreamEvent] {
        switch inner {
        case .openai(var decoder): defer { inner = .openai(decoder) }; return try decoder.finish()
        case .anthropic(var decoder): defer { inner = .anthropic(decoder) }; return try decoder.finish()
        case .gemini(var decoder): defer { inner = .gemini(decoder) }; return try decoder.finish()
        }
    }

    /// Whether the upstream signalled a normal end (`[DONE]` or an OpenAI finish reason,
    /// `message_stop`, `]` or a Gemini finish reason). A stream that closes without it was cut
    /// off: send an error event, not a finish.
    public var isComplete: Bool {
        switch inner {
        case .openai(let decoder): decoder.isComplete
        case .anthropic(let decoder): decoder.isComplete
        case .gemini(let decoder): decoder.isComplete
        }
    }
}

extension StreamDecoder {
    /// What a client of the upstream's own format still needs after a complete stream passed
    /// through: `data: [DONE]` when an OpenAI-compatible upstream ended without it.
    public var passthroughEnding: [UInt8] {
        if case .openai(let decoder) = inner, decoder.endedWithoutDone { return Array("data: [DONE]\n\n".utf8) }
        return []
    }
}

/// Any dialect's incremental stream encoder (canonical events → client bytes).
public struct StreamEncoder: Sendable {
    private enum Inner: Sendable {
        case openai(OpenAIStreamEncoder)
        case anthropic(AnthropicStreamEncoder)
        case gemini(GeminiStreamEncoder)
    }

    private var inner: Inner

    /// An encoder for a client of `dialect`. `created` and `includeUsage` are for OpenAI;
    /// `geminiFraming` is `.sse` for `alt=sse`, `.jsonArray` otherwise.
    public init(dialect: Dialect, created: Int = 0, includeUsage: Bool = false,
                geminiFraming: GeminiStreamEncoder.Framing = .sse) {
        switch dialect {
        case .openai: inner = .openai(OpenAIStreamEncoder(created: created, includeUsage: includeUsage))
        case .anthropic: inner = .anthropic(AnthropicStreamEncoder())
        case .gemini: inner = .gemini(GeminiStreamEncoder(framing: geminiFraming))
        }
    }

    /// The bytes to send for `event` (possibly none).
    public mutating func encode(_ event: StreamEvent) -> [UInt8] {
        switch inner {
        case .openai(var encoder): defer { inner = .openai(encoder) }; return encoder.encode(event)
        case .anthropic(var encoder): defer { inner = .anthropic(encoder) }; return encoder.encode(event)
        case .gemini(var encoder): defer { inner = .gemini(encoder) }; return encoder.encode(event)
        }
    }

    /// The bytes for several events.
    public mutating func encode(_ events: [StreamEvent]) -> [UInt8] {
        var out: [UInt8] = []
        for event in events { out += encode(event) }
        return out
    }

    /// The closing bytes when the upstream closed: the dialect's normal ending after a `.finish`
    /// event, an error event when none arrived (a cut-off stream is never made to look
    /// complete), nothing after an error event.
    public mutating func finish() -> [UInt8] {
        switch inner {
        case .openai(var encoder): defer { inner = .openai(encoder) }; return encoder.finish()
        case .anthropic(var encoder): defer { inner = .anthropic(encoder) }; return encoder.finish()
        case .gemini(var encoder): defer { inner = .gemini(encoder) }; return encoder.finish()
        }
    }

    /// The response `Content-Type` for this encoder's output.
    public static func contentType(for dialect: Dialect, geminiFraming: GeminiStreamEncoder.Framing = .sse) -> String {
        dialect == .gemini && geminiFraming == .jsonArray ? "application/json" : "text/event-stream"
    }
}
