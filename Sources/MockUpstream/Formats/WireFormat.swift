import HTTPCore

/// Options that change an API's event sequence.
struct StreamShape: Sendable {
    /// OpenAI `stream_options.include_usage`: a final usage chunk with empty `choices`.
    var includeUsage = false
    /// Gemini `alt=sse`: SSE `data:` events instead of a streamed JSON array.
    var sse = true
}

/// One provider's wire format as the mock writes it: request reading, bodies, events, errors.
protocol WireFormat: Sendable {
    static var api: MockAPI { get }

    /// The API key as this API's SDK sends it; nil when missing.
    static func apiKey(_ request: HTTPRequest) -> String?
    /// Reads a generation request; `model` is the path's model where the API puts it there.
    static func read(_ object: [String: Any], pathModel: String?) throws(InvalidRequest) -> MockRequest
    /// The model named by a request body that may not be a valid generation request.
    static func model(_ object: [String: Any]?, pathModel: String?) -> String?

    /// The non-streaming reply.
    static func body(_ plan: ReplyPlan) -> String
    /// The streamed reply: each element is one chunk as written to the socket.
    static func events(_ plan: ReplyPlan, shape: StreamShape) -> [String]
    static func streamContentType(_ shape: StreamShape) -> String

    /// The API's error body for `status` (a realistic default message when `message` is nil).
    static func errorBody(status: Int, message: String?, retryDelay: String?) -> String
    /// An error delivered inside an open stream.
    static func errorEvent(status: Int, message: String?, shape: StreamShape) -> String
    /// An event in this API's framing whose data is `payload` verbatim.
    static func frame(_ payload: String, shape: StreamShape) -> String
    /// What ends a stream after an in-stream error or a malformed event (Gemini's `]`).
    static func closing(_ shape: StreamShape) -> String
    /// A framed event rewritten to open the stream (Gemini's array needs its `[`).
    static func opening(_ framed: String, shape: StreamShape) -> String
    /// Checks beyond the key that the real API makes (Anthropic's `anthropic-version`).
    static func headerProblem(_ request: HTTPRequest) -> String?

    /// `count_tokens` / `countTokens` answer.
    static func countTokensBody(_ tokens: Int) -> String
    /// The model list.
    static func modelsBody() -> String
}

extension WireFormat {
    static func closing(_ shape: StreamShape) -> String { "" }
    static func opening(_ framed: String, shape: StreamShape) -> String { framed }
    static func headerProblem(_ request: HTTPRequest) -> String? { nil }
}

/// The HTTP reason-style default message of a status, shared by the formats.
enum StatusText {
    static func message(_ status: Int) -> String {
        switch status {
        case 400: "Bad request"
        case 401: "Invalid authentication credentials"
        case 402: "Payment required: your credit balance is too low"
        case 403: "Permission denied"
        case 404: "The requested model was not found"
        case 408: "Request timed out"
        case 409: "Conflict"
        case 413: "Request too large"
        case 422: "Unprocessable request"
        case 429: "Rate limit exceeded, please retry later"
        case 500: "Internal server error"
        case 502: "Bad gateway"
        case 503: "Service unavailable, please retry later"
        case 504: "Gateway timeout"
        case 529: "Overloaded"
        default: "Mock error \(status)"
        }
    }
}
