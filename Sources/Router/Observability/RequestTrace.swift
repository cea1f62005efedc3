import Foundation
import JSON
import Store
import Translators

/// What one gateway request did, filled in as it goes and finished into one usage record and
/// one log line. Holds no secret: credential ids and failure summaries only.
struct RequestTrace: Sendable {
    /// One upstream attempt: which candidate, and how it failed (nil: it served the request).
    struct Attempt: Sendable {
        let credentialID: String
        let provider: String
        let model: String
        var failure: String?
        /// The failure came after the stream's first byte: the client got an error event, and
        /// there was no failing over.
        var failedAfterCommit = false
    }

    let id: String
    let at: Date
    let started: ContinuousClock.Instant
    let endpoint: String
    let dialect: Dialect
    var clientKeyID: String?
    var requestedModel: String?
    var route: String?
    var stream = false
    var attempts: [Attempt] = []
    var status = 0
    var errorCode: String?
    var firstByte: Duration?
    var usage: Usage?

    /// `path` becomes the endpoint with a Gemini model name replaced by `{model}`: the metrics
    /// label it is would otherwise grow a series per name anyone can put in a URL, unauthenticated.
    init(id: String, path: String, dialect: Dialect) {
        self.id = id
        endpoint = Self.endpoint(path)
        self.dialect = dialect
        at = Date()
        started = .now
    }

    /// The attempt that answered (the last one, when it did not fail).
    var served: Attempt? { attempts.last.flatMap { $0.failure == nil ? $0 : nil } }

    var usageRecord: UsageRecord {
        let last = attempts.last
        return UsageRecord(at: at, requestID: id, clientKeyID: clientKeyID, route: route, provider: last?.provider,
                           credentialID: last?.credentialID, requestedModel: requestedModel, upstreamModel: last?.model,
                           clientFormat: dialect.rawValue, stream: stream, status: status, errorCode: errorCode,
                           attempts: attempts.count, latencyMilliseconds: Self.milliseconds(ContinuousClock.now - started),
                           timeToFirstByteMilliseconds: firstByte.map(Self.milliseconds),
                           inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0,
                           cachedTokens: usage?.cachedInputTokens ?? 0, reasoningTokens: usage?.reasoningTokens ?? 0)
    }

    /// The request log line's fields, in a stable order.
    var logFields: [(String, JSONValue)] {
        let record = usageRecord
        var fields: [(String, JSONValue)] = [
            ("request_id", .string(id)), ("endpoint", .string(endpoint)), ("format", .string(dialect.rawValue)),
            ("status", .number(JSONNumber(status))), ("latency_ms", .number(JSONNumber(record.latencyMilliseconds))),
            ("attempts", .number(JSONNumber(attempts.count))), ("stream", .bool(stream)),
        ]
        func add(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
        add("client_key_id", clientKeyID)
        add("model", requestedModel)
        add("route", route)
        add("provider", record.provider)
        add("credential_id", record.credentialID)
        add("upstream_model", record.upstreamModel)
        add("error_code", errorCode)
        if let ttfb = record.timeToFirstByteMilliseconds { fields.append(("ttfb_ms", .number(JSONNumber(ttfb)))) }
        let failures = attempts.compactMap { attempt in
            attempt.failure.map { JSONValue.string("\(attempt.credentialID)@\(attempt.provider): \($0)") }
        }
        if !failures.isEmpty { fields.append(("failures", .array(failures))) }
        if let usage {
            fields.append(("input_tokens", .number(JSONNumber(usage.inputTokens))))
            fields.append(("output_tokens", .number(JSONNumber(usage.outputTokens))))
        }
        return fields
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension RequestTrace {
    /// `/v1beta/models/gemini-pro:generateContent` → `/v1beta/models/{model}:generateContent`.
    static func endpoint(_ path: String) -> String {
        guard let models = path.range(of: "/models/") else { return path }
        let action = path[models.upperBound...].lastIndex(of: ":").map { path[$0...] } ?? ""
        return path[..<models.upperBound] + "{model}" + action
    }
}
