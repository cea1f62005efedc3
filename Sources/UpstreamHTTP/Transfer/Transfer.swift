import Reactor

/// The side of a transfer that moves its bytes (libcurl or the native HTTP/1.1 driver); every
/// method may be called from any thread and applies on the driver's loop.
protocol TransferDriver: AnyObject, Sendable {
    /// Begins the exchange; false when the driver cannot take work any more (shut down).
    /// `target` is set when the request may go over the native transport.
    func start(_ transfer: Transfer, _ request: UpstreamRequest, _ target: NativeTarget?) -> Bool
    /// Stops the transfer now and closes its connection.
    func abort(_ transfer: Transfer)
    /// The reader drained the buffer: resume receiving.
    func unpause(_ transfer: Transfer)
}

/// One upstream exchange as seen from both sides: the async caller and the driver moving bytes.
///
/// All shared state lives in `TransferState` under a lock; effects run after unlocking.
final class Transfer: Sendable {
    private let state: Locked<TransferState>
    private let driver: any TransferDriver

    init(driver: any TransferDriver, bufferCapacity: Int) {
        self.driver = driver
        self.state = Locked(TransferState(capacity: bufferCapacity))
    }

    // MARK: caller side

    /// Submits the request and waits for the response head (or a failure before it).
    func start(_ request: UpstreamRequest, target: NativeTarget?) async -> Result<ResponseHead, UpstreamError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: TransferState.HeadWaiter) in
                perform(state.withLock { $0.waitForHead(waiter) })
                if !driver.start(self, request, target) {
                    perform(state.withLock { $0.finished(.shutdown) })
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The next body chunk, `nil` at the end; throws the transfer's failure once.
    func nextChunk() async throws(UpstreamError) -> [UInt8]? {
        if Task.isCancelled { cancel() }
        let (ready, effects) = state.withLock { $0.pollChunk() }
        perform(effects)
        if let ready { return try ready.get() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: TransferState.BodyWaiter) in
                perform(state.withLock { $0.waitForChunk(waiter) })
            }
        } onCancel: {
            cancel()
        }
        return try result.get()
    }

    /// Aborts the transfer (no-op once it ended).
    func cancel() {
        perform(state.withLock { $0.cancel() })
    }

    /// Bytes queued for the reader now, and the most ever queued (backpressure checks).
    var buffered: (now: Int, highWater: Int) {
        state.withLock { ($0.bufferedBytes, $0.highWater) }
    }

    // MARK: driver side

    func headArrived(_ head: ResponseHead) {
        perform(state.withLock { $0.headArrived(head) })
    }

    func chunkArrived(_ chunk: [UInt8]) -> TransferState.WriteDecision {
        let (decision, effects) = state.withLock { $0.chunkArrived(chunk) }
        perform(effects)
        return decision
    }

    func unpausing() {
        state.withLock { $0.unpausing() }
    }

    func finished(_ error: UpstreamError?) {
        perform(state.withLock { $0.finished(error) })
    }

    var isEnded: Bool {
        state.withLock { $0.isEnded }
    }

    // MARK: effects

    private func perform(_ effects: TransferState.Effects) {
        if let (waiter, result) = effects.resumeHead { waiter.resume(returning: result) }
        if let (waiter, result) = effects.resumeBody { waiter.resume(returning: result) }
        if effects.abort { driver.abort(self) }
        if effects.unpause { driver.unpause(self) }
    }
}
