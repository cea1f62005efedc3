import Reactor

/// One upstream exchange as seen from both sides: the async caller and the curl driver.
///
/// All shared state lives in `TransferState` under a lock; effects run after unlocking.
final class Transfer: Sendable {
    private let state: Locked<TransferState>
    private let driver: CurlDriver

    init(driver: CurlDriver, bufferCapacity: Int) {
        self.driver = driver
        self.state = Locked(TransferState(capacity: bufferCapacity))
    }

    // MARK: caller side

    /// Submits the request and waits for the response head (or a failure before it).
    func start(_ request: UpstreamRequest) async -> Result<ResponseHead, UpstreamError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: TransferState.HeadWaiter) in
                perform(state.withLock { $0.waitForHead(waiter) })
                if !driver.submit(.start(self, request)) {
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
        if effects.abort { driver.submit(.abort(self)) }
        if effects.unpause { driver.submit(.unpause(self)) }
    }
}
