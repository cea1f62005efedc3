import HTTPCore
import Store
import Translators
import UpstreamHTTP

/// An upstream stream that has produced its first payload (the commit point of SPEC §6), ready
/// to be relayed to the client in its own format.
///
/// Before the commit nothing is sent to the client, so an error, a reset or a stream that ends
/// empty is a failure the attempt loop can fail over from. After it, upstream errors become an
/// error event in the client's format and the stream is closed without a fabricated finish.
final class StreamRelay: @unchecked Sendable {
    private let response: UpstreamResponse
    private var iterator: UpstreamBody.Iterator
    private var decoder: StreamDecoder
    private var encoder: StreamEncoder
    /// Same format in and out: upstream bytes are relayed as they are.
    private let passthrough: Bool
    /// The attempt's secrets, removed from upstream error events.
    private let secrets: SecretRedactor
    /// Set when Switchyard asked an OpenAI upstream for usage the client did not ask for.
    private var usageFilter: UsageChunkFilter?
    /// Passthrough relays whole events only (see `SSEEventBoundary`; `usageFilter` has its own).
    private var boundary = SSEEventBoundary()
    /// What arrived up to and including the first payload, not yet sent.
    private var pendingEvents: [StreamEvent] = []
    private var pendingBytes: [UInt8] = []
    /// The read with the first payload went on with bytes that are no stream: after the
    /// events before them, the client gets an error event.
    private var pendingUnreadable = false

    private init(response: UpstreamResponse, decoder: StreamDecoder, encoder: StreamEncoder, passthrough: Bool,
                 secrets: SecretRedactor) {
        self.response = response
        self.secrets = secrets
        iterator = response.body.makeAsyncIterator()
        self.decoder = decoder
        self.encoder = encoder
        self.passthrough = passthrough
    }

    /// Reads the upstream until its first payload; a failure before that is classified for failover.
    static func open(_ response: UpstreamResponse, call: GatewayCall, upstream: Dialect, model: String, responseID: String,
                     created: Int, secrets: SecretRedactor) async -> AttemptResult<StreamRelay> {
        let passthrough = upstream == call.dialect && (upstream != .gemini || call.geminiFraming == .sse)
        let relay = StreamRelay(
            response: response,
            decoder: StreamDecoder(dialect: upstream, geminiFraming: .sse, model: model, fallbackID: responseID),
            encoder: StreamEncoder(dialect: call.dialect, created: created, includeUsage: call.facts.includeUsageInStream,
                                   geminiFraming: call.geminiFraming),
            passthrough: passthrough, secrets: secrets)
        if call.addsUsageRequest(for: upstream) { relay.usageFilter = UsageChunkFilter() }
        // The first bytes, in case they are no stream but an answer with an error object.
        var opening: [UInt8] = []
        do {
            while let chunk = try await relay.iterator.next() {
                if passthrough { relay.pendingBytes += chunk }
                if opening.count < UpstreamExchange.maxErrorBodyBytes { opening += chunk }
                var events: [StreamEvent] = []
                do {
                    try relay.decoder.feed(chunk, into: &events)
                } catch is TranslationError where events.contains(where: \.isPayload) {
                    // Unreadable bytes after content in the same read: past the commit point too.
                    relay.pendingEvents += events
                    relay.pendingUnreadable = true
                    return .success(relay)
                }
                // An error before any payload fails over; one after a payload of the same read
                // is past the commit point: it reaches the client as an event, after that payload.
                if let errorAt = events.firstIndex(where: { $0.error != nil }), !events[..<errorAt].contains(where: \.isPayload),
                   let error = events[errorAt].error {
                    return relay.fail(Self.failure(for: error), secrets.redact(error))
                }
                relay.pendingEvents += events
                if events.contains(where: \.isPayload) { return .success(relay) }
            }
            relay.pendingEvents += try relay.decoder.finish()
            if relay.pendingEvents.contains(where: \.isPayload) { return .success(relay) }
        } catch let error as UpstreamError {
            response.cancel()
            return UpstreamExchange.transportFailure(error)
        } catch {
            return relay.fail(UpstreamFailure(transport: .reset),
                              GatewayError(kind: .api, message: "upstream sent an unreadable stream", status: 502, code: "upstream_bad_stream"))
        }
        // A JSON error object instead of a stream (OpenRouter's, a proxy's) fails like its status.
        if let (failure, error) = UpstreamExchange.errorAnswer(opening) { return relay.fail(failure, secrets.redact(error)) }
        return relay.fail(UpstreamFailure(transport: .emptyStream),
                          GatewayError(kind: .api, message: "upstream stream ended without content", status: 502, code: "upstream_empty_stream"))
    }

    private func fail(_ failure: UpstreamFailure, _ error: GatewayError) -> AttemptResult<StreamRelay> {
        response.cancel()
        return .failure(failure, clientError: error)
    }

    /// An in-stream error before the first payload, classified like an HTTP error of its status.
    private static func failure(for error: GatewayError) -> UpstreamFailure {
        UpstreamFailure(status: error.status, errorType: error.code, message: error.message,
                        retryAfterMilliseconds: error.retryAfterSeconds.map { Int64($0) * 1000 })
    }

    /// Sends the committed prefix and then the rest of the stream, noting time to first byte,
    /// usage and any mid-stream failure in `trace`; returns that failure, classified like one
    /// before the first byte (for the credential's health). Throws when the client is gone, which
    /// cancels the upstream transfer.
    @discardableResult
    func relay(to writer: ResponseBodyWriter, trace: inout RequestTrace) async throws -> UpstreamFailure? {
        defer { response.cancel() }
        note(pendingEvents, in: &trace)
        do {
            if pendingUnreadable {
                // The read's bytes hold the unreadable ones: what was decoded before them is
                // sent re-encoded (also to a client of the upstream's format), then the error.
                try await writer.write(encoder.encode(pendingEvents))
                trace.firstByte = ContinuousClock.now - trace.started
                try await fail("upstream sent an unreadable stream", writer, &trace)
                return UpstreamFailure(transport: .reset)
            }
            // The first read may end with an upstream error after its payload (see `open`).
            let pendingError = pendingEvents.lazy.compactMap(\.error).first
            var first = passthrough ? relayed(pendingBytes)
                : encoder.encode(pendingError == nil ? pendingEvents : pendingEvents.map(secrets.redact))
            if passthrough, pendingError != nil { first = secrets.redact(first) }
            try await writer.write(first)
            trace.firstByte = ContinuousClock.now - trace.started
            if let pendingError { return Self.failure(for: pendingError) }
            pendingBytes = []
            pendingEvents = []
            while let chunk = try await iterator.next() {
                var events: [StreamEvent] = []
                do {
                    try decoder.feed(chunk, into: &events)
                } catch let error as TranslationError {
                    // A translated stream still gets what was decoded before the unreadable bytes.
                    if !passthrough, !events.isEmpty {
                        note(events, in: &trace)
                        try await writer.write(encoder.encode(events))
                    }
                    throw error
                }
                note(events, in: &trace)
                if let error = events.lazy.compactMap(\.error).first {
                    try await writer.write(passthrough ? secrets.redact(relayed(chunk)) : encoder.encode(events.map(secrets.redact)))
                    return Self.failure(for: error)
                }
                try await writer.write(passthrough ? relayed(chunk) : encoder.encode(events))
            }
            let tail = try decoder.finish()
            note(tail, in: &trace)
            if !passthrough { try await writer.write(encoder.encode(tail)) }
            if decoder.isComplete {
                // Whatever the upstream sent after its last blank line, as before the cut.
                try await writer.write(passthrough ? heldBack() + decoder.passthroughEnding : encoder.finish())
                return nil
            }
            try await fail("upstream stream ended before it was complete", writer, &trace)
            return UpstreamFailure(transport: .reset)
        } catch let error as UpstreamError where !Task.isCancelled {
            let message = if case .timeout(let kind) = error { "upstream \(kind) timeout" } else { "upstream connection failed mid-stream" }
            try await fail(message, writer, &trace)
            return UpstreamFailure(transport: UpstreamExchange.transportKind(of: error))
        } catch is TranslationError {
            try await fail("upstream sent an unreadable stream", writer, &trace)
            return UpstreamFailure(transport: .reset)
        } catch {
            // Cancelled with the client still there: the server is shutting down past its drain
            // timeout. The stream ends with an error event rather than a cut connection.
            if Task.isCancelled, (try? await writer.write(errorEvent("server shutting down", status: 503, code: "server_shutting_down"))) != nil {
                trace.errorCode = "server_shutting_down"
                return nil
            }
            trace.errorCode = UsageRecord.clientDisconnected
            throw error
        }
    }

    /// Upstream bytes as the client gets them in passthrough: whole events only (without the
    /// usage chunk Switchyard asked for on the client's behalf).
    private func relayed(_ bytes: [UInt8]) -> [UInt8] {
        guard var filter = usageFilter else { return boundary.complete(bytes) }
        defer { usageFilter = filter }
        return filter.filter(bytes)
    }

    /// What the upstream sent after its last blank line, at the end of a passthrough stream.
    private func heldBack() -> [UInt8] {
        guard var filter = usageFilter else { return boundary.remainder() }
        defer { usageFilter = filter }
        return filter.remainder()
    }

    private func note(_ events: [StreamEvent], in trace: inout RequestTrace) {
        for event in events {
            switch event {
            case .start(_, _, let usage?), .usage(let usage): trace.usage = trace.usage.map { $0.merged(with: usage) } ?? usage
            case .error(let error): trace.errorCode = error.code ?? "upstream_stream_error"
            default: break
            }
        }
    }

    private func fail(_ message: String, _ writer: ResponseBodyWriter, _ trace: inout RequestTrace) async throws {
        trace.errorCode = "upstream_stream_error"
        try await writer.write(errorEvent(message))
    }

    /// An error event in the client's streaming format (never a fabricated normal finish).
    private func errorEvent(_ message: String, status: Int = 502, code: String = "upstream_stream_error") -> [UInt8] {
        encoder.encode(.error(GatewayError(kind: ErrorKind(status: status), message: message, status: status, code: code)))
    }
}

extension SecretRedactor {
    func redact(_ event: StreamEvent) -> StreamEvent {
        if case .error(let error) = event { .error(redact(error)) } else { event }
    }
}

extension StreamEvent {
    /// Content that commits a stream: a delta or a finish. Not `start` or `usage`, and not a
    /// part's start alone either: Anthropic opens an empty text block before any text, and an
    /// upstream failing right after it has given the client nothing yet (another credential can).
    var isPayload: Bool {
        switch self {
        case .delta, .finish: true
        case .start, .partStart, .partStop, .usage, .error: false
        }
    }

    var error: GatewayError? {
        if case .error(let error) = self { error } else { nil }
    }
}
