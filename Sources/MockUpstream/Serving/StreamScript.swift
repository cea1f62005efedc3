import HTTPCore

/// The chunks of one streamed reply after the fault spec has bent them, and their playback
/// with the spec's timing, silence and connection reset.
struct StreamScript<Format: WireFormat> {
    let chunks: [[UInt8]]

    /// Applies the content faults (`empty_stream`, `malformed`, `error_after_chunks`) to `events`.
    init(events: [String], shape: StreamShape, spec: FaultSpec) {
        var framed = events
        if spec.emptyStream {
            framed = []
        } else if let malformed = spec.malformed {
            let broken = switch malformed {
            case .json: Format.frame("{\"truncated\": [tru", shape: shape) + Format.closing(shape)
            case .sse: shape.sse ? "data: {\"unterminated\":\nthis line is not a field\r" : ",\r\n}{ not an element"
            }
            framed = Array(framed.prefix(spec.malformedAfterChunks ?? 1)) + [broken]
        } else if let after = spec.errorAfterChunks {
            let status = spec.errorStatus ?? (Format.api == .anthropic ? 529 : 500)
            framed = Array(framed.prefix(after))
            let event = Format.errorEvent(status: status, message: spec.errorMessage, shape: shape)
            framed.append((framed.isEmpty ? Format.opening(event, shape: shape) : event) + Format.closing(shape))
        }
        chunks = framed.map { Array($0.utf8) }
    }

    /// Writes the chunks, one write each, honouring `chunk_delay_ms`, `hang_after_chunks` and
    /// `reset_after_chunks` (a throw: the connection closes without the final empty chunk).
    static func play(_ chunks: [[UInt8]], spec: FaultSpec, into writer: ResponseBodyWriter) async throws {
        for (index, chunk) in chunks.enumerated() {
            if index == spec.hangAfterChunks {
                await MockClock.sleepUntilCancelled()
                throw CancellationError()
            }
            if index == spec.resetAfterChunks { throw MockReset() }
            if index > 0, let delay = spec.chunkDelayMs, delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            try await writer.write(chunk)
        }
        if let after = spec.hangAfterChunks, after >= chunks.count {
            await MockClock.sleepUntilCancelled()
            throw CancellationError()
        }
        if spec.resetAfterChunks != nil { throw MockReset() }
    }
}

/// Thrown by a stream producer to cut the connection mid-body.
struct MockReset: Error {}

/// Waiting helpers.
enum MockClock {
    /// Suspends until the task is cancelled (the client went away or the server shut down).
    static func sleepUntilCancelled() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
