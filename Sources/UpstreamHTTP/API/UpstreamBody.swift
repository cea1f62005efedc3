/// The body of an upstream response: byte chunks in arrival order, ending or failing with an `UpstreamError`.
///
/// Iterate it once. Cancelling the iterating task, calling `cancel()`, or dropping every copy of
/// the body (and its response) aborts the transfer at once.
public struct UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = UpstreamError

    let owner: TransferOwner

    public func makeAsyncIterator() -> Iterator {
        Iterator(owner: owner)
    }

    /// Aborts the transfer now.
    public func cancel() {
        owner.transfer.cancel()
    }

    /// Bytes buffered for the reader now and the most ever buffered; bounded by the client's
    /// `bufferCapacity` plus one transport read (16 KiB), however slow the reader.
    public var bufferedBytes: (current: Int, peak: Int) {
        let buffered = owner.transfer.buffered
        return (buffered.now, buffered.highWater)
    }

    /// Collects the whole body, failing if the transfer fails.
    public func collect() async throws(UpstreamError) -> [UInt8] {
        var all: [UInt8] = []
        var iterator = makeAsyncIterator()
        while let chunk = try await iterator.next() {
            if all.isEmpty { all = chunk } else { all.append(contentsOf: chunk) }  // one chunk: no copy
        }
        return all
    }

    /// Reads the body chunk by chunk; a chunk reaches `next()` as soon as the transport received it.
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let owner: TransferOwner

        public mutating func next() async throws(UpstreamError) -> [UInt8]? {
            try await owner.transfer.nextChunk()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(UpstreamError) -> [UInt8]? {
            try await owner.transfer.nextChunk()
        }
    }
}

/// Holds the transfer for the response and its body; when the last holder goes, the transfer is cancelled.
final class TransferOwner: Sendable {
    let transfer: Transfer

    init(_ transfer: Transfer) {
        self.transfer = transfer
    }

    deinit {
        transfer.cancel()
    }
}
