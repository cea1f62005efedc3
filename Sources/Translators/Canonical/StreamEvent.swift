/// One canonical streaming event; every dialect's stream decodes to and encodes from these.
public enum StreamEvent: Sendable, Equatable {
    /// The response began.
    case start(id: String, model: String, usage: Usage?)
    /// A content part opened at `index` (indexes count up from 0 in order of appearance).
    case partStart(index: Int, PartHeader)
    /// More content for the open part at `index`.
    case delta(index: Int, PartDelta)
    /// The part at `index` is complete.
    case partStop(index: Int)
    /// Usage so far (later reports supersede earlier ones).
    case usage(Usage)
    /// Generation finished for this reason.
    case finish(StopReason, stopSequence: String?)
    /// The upstream failed after the stream began.
    case error(GatewayError)
}

/// What kind of part opened.
public enum PartHeader: Sendable, Equatable {
    case text
    case thinking(origin: Dialect?)
    case redactedThinking(data: String)
    case toolCall(id: String, name: String, thoughtSignature: String?)
}

/// A piece of part content.
public enum PartDelta: Sendable, Equatable {
    case text(String)
    case thinking(String)
    /// A signature for the open thinking (or Gemini text) part.
    case signature(String)
    /// A fragment of the tool call's JSON arguments text.
    case toolArguments(String)
}
