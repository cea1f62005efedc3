/// Writes a streamed response body; each write is sent at once, and a slow reader
/// suspends the writer (bounded buffering per connection).
public final class ResponseBodyWriter: Sendable {
    private let connection: Connection
    private let chunked: Bool
    private let discard: Bool

    init(connection: Connection, chunked: Bool, discard: Bool) {
        self.connection = connection
        self.chunked = chunked
        self.discard = discard
    }

    /// Sends `bytes` as the next piece of the body. Throws `ClientDisconnected` once the client is gone.
    public func write(_ bytes: [UInt8]) async throws {
        await connection.loop.enter()
        if discard {
            if connection.isClosed { throw ClientDisconnected() }
            return
        }
        try connection.writeBodyPiece(bytes, chunked: chunked)
        try await connection.waitForWritable()
    }

    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}
