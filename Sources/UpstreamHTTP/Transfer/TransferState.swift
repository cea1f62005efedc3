/// The shared side of one transfer: head hand-off, bounded body buffer, pause and end.
///
/// A value-type state machine changed under the transfer's lock. Each event returns the
/// effects to perform after unlocking (resume a waiter, ask the driver to abort or
/// unpause). No I/O, no `await`.
struct TransferState {
    // Checked continuations, though each costs an allocation: with unsafe ones ThreadSanitizer
    // cannot see the ordering between a resume on a loop thread and the resumed task (the
    // runtime's atomics are not instrumented) and reports a race in CI.
    typealias HeadWaiter = CheckedContinuation<Result<ResponseHead, UpstreamError>, Never>
    typealias BodyWaiter = CheckedContinuation<Result<[UInt8]?, UpstreamError>, Never>

    /// Effects for the caller to perform once the lock is released.
    struct Effects {
        var resumeHead: (HeadWaiter, Result<ResponseHead, UpstreamError>)?
        var resumeBody: (BodyWaiter, Result<[UInt8]?, UpstreamError>)?
        /// Ask the driver to remove the transfer now.
        var abort = false
        /// Ask the driver to unpause the transfer.
        var unpause = false
    }

    /// What the driver should do with a chunk it offered.
    enum WriteDecision: Equatable {
        /// Consumed (queued or handed to the waiting reader).
        case accept
        /// Buffer full, chunk not taken: stop receiving and offer the same bytes again on unpause.
        case pause
        /// The consumer is gone: abort the transfer.
        case abort
    }

    private enum Head {
        case pending(HeadWaiter?)
        case arrived(ResponseHead)
        case taken
    }

    private enum End {
        case complete
        case failed(UpstreamError)
    }

    /// Pause when this many bytes are queued; unpause when at most `lowWater` remain.
    let capacity: Int
    let lowWater: Int

    private var head = Head.pending(nil)
    private var queue = ChunkQueue()
    private var bodyWaiter: BodyWaiter?
    private var end: End?
    private var endDelivered = false
    private(set) var paused = false
    private var unpauseRequested = false
    /// Most bytes ever queued at once (for tests and metrics).
    private(set) var highWater = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.lowWater = self.capacity / 2
    }

    var bufferedBytes: Int { queue.byteCount }
    var isEnded: Bool { end != nil }

    // MARK: consumer events

    /// `send` waits for the head.
    mutating func waitForHead(_ waiter: HeadWaiter) -> Effects {
        var effects = Effects()
        switch head {
        case .arrived(let value):
            head = .taken
            effects.resumeHead = (waiter, .success(value))
        case .pending:
            if case .failed(let error) = end {
                effects.resumeHead = (waiter, .failure(error))
            } else if case .complete = end {
                effects.resumeHead = (waiter, .failure(Self.noHead))
            } else {
                head = .pending(waiter)
            }
        case .taken:
            effects.resumeHead = (waiter, .failure(.invalidRequest("head awaited twice")))
        }
        return effects
    }

    /// The reader asks for the next chunk without suspending: a chunk, the end (nil), an error, or
    /// `.none` meaning "nothing yet" (then it calls `waitForChunk`).
    mutating func pollChunk() -> (Result<[UInt8]?, UpstreamError>?, Effects) {
        var effects = Effects()
        if let chunk = queue.pop() {
            effects.unpause = takeUnpauseIfDrained()
            return (.success(chunk), effects)
        }
        if let end {
            if endDelivered { return (.success(nil), effects) }
            endDelivered = true
            switch end {
            case .complete: return (.success(nil), effects)
            case .failed(let error): return (.failure(error), effects)
            }
        }
        effects.unpause = takeUnpauseIfDrained()
        return (nil, effects)
    }

    /// The reader suspends for the next chunk (only after `pollChunk` returned nothing).
    mutating func waitForChunk(_ waiter: BodyWaiter) -> Effects {
        let (ready, effects) = pollChunk()
        if let ready {
            var immediate = effects
            immediate.resumeBody = (waiter, ready)
            return immediate
        }
        bodyWaiter = waiter
        return effects
    }

    /// Cancel from any side: fail waiters with `.cancelled`, drop buffered data, abort the driver.
    mutating func cancel() -> Effects {
        var effects = Effects()
        if case .complete = end, !queue.isEmpty {
            end = .failed(.cancelled)  // unread data dropped: the reader must not see a clean end
        }
        queue.removeAll()
        guard end == nil else { return effects }
        end = .failed(.cancelled)
        effects.abort = true
        resumeWaiters(with: .cancelled, into: &effects)
        return effects
    }

    // MARK: driver events

    /// The final response head arrived.
    mutating func headArrived(_ value: ResponseHead) -> Effects {
        var effects = Effects()
        guard end == nil, case .pending(let waiter) = head else { return effects }
        if let waiter {
            head = .taken
            effects.resumeHead = (waiter, .success(value))
        } else {
            head = .arrived(value)
        }
        return effects
    }

    /// A body chunk arrived.
    mutating func chunkArrived(_ chunk: [UInt8]) -> (WriteDecision, Effects) {
        var effects = Effects()
        if end != nil { return (.abort, effects) }
        if let waiter = bodyWaiter {
            bodyWaiter = nil
            effects.resumeBody = (waiter, .success(chunk))
            return (.accept, effects)
        }
        if queue.byteCount >= capacity {
            paused = true
            return (.pause, effects)
        }
        queue.push(chunk)
        highWater = max(highWater, queue.byteCount)
        return (.accept, effects)
    }

    /// The driver is about to resume receiving.
    mutating func unpausing() {
        paused = false
        unpauseRequested = false
    }

    /// The transfer ended: `nil` for a complete body, else the error.
    mutating func finished(_ error: UpstreamError?) -> Effects {
        var effects = Effects()
        guard end == nil else { return effects }
        if case .pending(let waiter) = head {
            let failure = error ?? Self.noHead
            end = .failed(failure)
            if let waiter {
                head = .pending(nil)
                endDelivered = true
                effects.resumeHead = (waiter, .failure(failure))
            }
            return effects
        }
        end = error.map { .failed($0) } ?? .complete
        if let waiter = bodyWaiter {
            bodyWaiter = nil
            endDelivered = true
            effects.resumeBody = (waiter, error.map { .failure($0) } ?? .success(nil))
        }
        return effects
    }

    // MARK: helpers

    private static let noHead = UpstreamError.transport(code: 0, message: "transfer ended without a response head")

    private mutating func takeUnpauseIfDrained() -> Bool {
        guard paused, !unpauseRequested, queue.byteCount <= lowWater else { return false }
        unpauseRequested = true
        return true
    }

    private mutating func resumeWaiters(with error: UpstreamError, into effects: inout Effects) {
        if case .pending(let waiter?) = head {
            head = .pending(nil)
            endDelivered = true
            effects.resumeHead = (waiter, .failure(error))
        }
        if let waiter = bodyWaiter {
            bodyWaiter = nil
            endDelivered = true
            effects.resumeBody = (waiter, .failure(error))
        }
    }
}
