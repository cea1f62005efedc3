/// How the mock misbehaves (or shapes its reply) for one request; every field is optional.
///
/// JSON shape (`X-Mock-Fault` header or the `fault` of `POST /_mock/faults`):
/// `{"status": 429, "body": "...", "headers": {"Retry-After": "3"}, "retry_delay": "3s",
///   "delay_ms": N, "chunk_delay_ms": N, "hang": true, "hang_after_chunks": N,
///   "reset_after_chunks": N, "empty_stream": true, "malformed": "json"|"sse",
///   "malformed_after_chunks": N, "huge_bytes": N, "error_after_chunks": N, "error_status": 529, "error_message": "...", "chunks": N}`
public struct FaultSpec: Sendable, Equatable {
    /// The HTTP status to answer with instead of a reply (default body: the API's own error format).
    public var status: Int?
    /// A body sent verbatim with `status`.
    public var body: String?
    /// Extra response headers (`Retry-After`, `retry-after-ms`, ...), on any response.
    public var headers: [String: String] = [:]
    /// Gemini `RetryInfo.retryDelay` in the default error body (`"3s"`; a number means seconds).
    public var retryDelay: String?
    /// Wait before the response head.
    public var delayMs: Int?
    /// Wait between stream chunks.
    public var chunkDelayMs: Int?
    /// Never answer; the request ends only when the client goes away.
    public var hang = false
    /// Send this many stream chunks, then fall silent until the client goes away (a non-streaming
    /// body is then sent chunked, in two halves, so it can be cut or stalled in the middle).
    public var hangAfterChunks: Int?
    /// Send this many stream chunks, then close the connection without ending the body.
    public var resetAfterChunks: Int?
    /// Answer 200 with stream headers and no events at all.
    public var emptyStream = false
    /// `json`: a truncated JSON body (or an event whose data is not JSON); `sse`: broken event framing.
    public var malformed: Malformation?
    /// How many good chunks precede the malformed one (default 1).
    public var malformedAfterChunks: Int?
    /// Pad the reply so the body (non-streaming) or the reply text (streaming) is this many bytes.
    public var hugeBytes: Int?
    /// Send this many stream chunks, then an error event in the API's streaming format.
    public var errorAfterChunks: Int?
    /// The status named in that error event (default 529 for Anthropic, 500 otherwise).
    public var errorStatus: Int?
    /// The message of that in-stream error (the API's usual text when absent).
    public var errorMessage: String?
    /// Make the reply text exactly this many words, one stream delta each.
    public var chunks: Int?

    /// The two kinds of broken payloads.
    public enum Malformation: String, Sendable {
        case json, sse
    }

    public init() {}

    /// Whether the reply is replaced by a status/body answer.
    var answersWithStatus: Bool { (status ?? 200) >= 400 || body != nil }

    /// Parses a spec object; the message names the offending field.
    public static func parse(_ object: [String: Any]) throws(FaultSpecError) -> FaultSpec {
        var spec = FaultSpec()
        for (key, value) in object {
            func int() throws(FaultSpecError) -> Int {
                guard let number = JSONRead.int(value), number >= 0 else { throw FaultSpecError("\(key) must be a non-negative integer") }
                return number
            }
            func flag() throws(FaultSpecError) -> Bool {
                guard let flag = JSONRead.bool(value) else { throw FaultSpecError("\(key) must be true or false") }
                return flag
            }
            switch key {
            case "status":
                let status = try int()
                guard (100...599).contains(status) else { throw FaultSpecError("status must be 100...599") }
                spec.status = status
            case "body":
                guard let text = JSONRead.string(value) else { throw FaultSpecError("body must be a string") }
                spec.body = text
            case "headers":
                guard let headers = JSONRead.object(value) else { throw FaultSpecError("headers must be an object of strings") }
                for (name, raw) in headers {
                    if let text = raw as? String { spec.headers[name] = text }
                    else if let number = JSONRead.int(raw) { spec.headers[name] = String(number) }
                    else { throw FaultSpecError("headers.\(name) must be a string") }
                }
            case "retry_delay":
                if let text = JSONRead.string(value) { spec.retryDelay = text }
                else if let seconds = JSONRead.int(value) { spec.retryDelay = "\(seconds)s" }
                else { throw FaultSpecError("retry_delay must be a string such as \"3s\" or a number of seconds") }
            case "delay_ms": spec.delayMs = try int()
            case "chunk_delay_ms": spec.chunkDelayMs = try int()
            case "hang": spec.hang = try flag()
            case "hang_after_chunks": spec.hangAfterChunks = try int()
            case "reset_after_chunks": spec.resetAfterChunks = try int()
            case "empty_stream": spec.emptyStream = try flag()
            case "malformed":
                guard let kind = JSONRead.string(value).flatMap(Malformation.init(rawValue:)) else {
                    throw FaultSpecError("malformed must be \"json\" or \"sse\"")
                }
                spec.malformed = kind
            case "huge_bytes":
                let bytes = try int()
                guard bytes <= 256 << 20 else { throw FaultSpecError("huge_bytes must be at most 268435456 (256 MiB)") }
                spec.hugeBytes = bytes
            case "error_after_chunks": spec.errorAfterChunks = try int()
            case "malformed_after_chunks": spec.malformedAfterChunks = try int()
            case "error_status": spec.errorStatus = try int()
            case "error_message":
                guard let text = JSONRead.string(value) else { throw FaultSpecError("error_message must be a string") }
                spec.errorMessage = text
            case "chunks":
                let count = try int()
                guard count >= 1 && count <= 100_000 else { throw FaultSpecError("chunks must be 1...100000") }
                spec.chunks = count
            default:
                throw FaultSpecError("unknown fault field \"\(key)\"")
            }
        }
        return spec
    }

    /// Parses the JSON text of a spec (the `X-Mock-Fault` header).
    public static func parse(json text: String) throws(FaultSpecError) -> FaultSpec {
        guard let object = JSONText.object(text) else { throw FaultSpecError("fault spec must be a JSON object") }
        return try parse(object)
    }
}

/// A fault spec that could not be read.
public struct FaultSpecError: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}
