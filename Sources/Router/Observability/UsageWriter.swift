import Foundation
import Store
import Synchronization

/// Queues usage records and writes them to the Store in batches from a background task, never
/// on the request path. The writer wakes every interval, and as soon as a batch's worth waits,
/// so the queue's bound is reached only when the Store cannot keep up; then records are
/// dropped (counted) rather than slowing requests.
public final class UsageWriter: Sendable {
    /// The most records waiting at once.
    public let capacity: Int
    /// Queued records that wake the writer before its interval is up.
    public let batchSize: Int
    /// Records per transaction.
    static let transactionSize = 500
    private let store: Store
    private let queue = Mutex<[UsageRecord]>([])
    /// The buffer the last flush emptied, swapped in for the queue so it is not regrown every
    /// flush (and taking the queue is O(1) under the lock the request path shares).
    private let recycled = Mutex<[UsageRecord]>([])
    private let droppedCount = Atomic<Int>(0)
    private let writtenCount = Atomic<Int>(0)
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// Set by the signal that crossed `batchSize` until the flush it starts takes the queue:
    /// requests after the crossing do not yield to the stream again.
    private let signalled = Atomic<Bool>(false)

    /// Records older than this are pruned every hour (nil keeps them forever).
    public let retention: Duration?

    public init(store: Store, capacity: Int = 50_000, batchSize: Int = 1_000, retention: Duration? = nil) {
        self.store = store
        self.capacity = capacity
        self.batchSize = max(1, batchSize)
        self.retention = retention
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a record (cheap; called on the request path).
    public func enqueue(_ record: UsageRecord) {
        let depth = queue.withLock { pending -> Int? in
            guard pending.count < capacity else { return nil }
            pending.append(record)
            return pending.count
        }
        guard let depth else {
            droppedCount.add(1, ordering: .relaxed)
            return
        }
        // Read before the exchange: under load every request sees a full batch, and a failing
        // exchange still takes the cache line from the other loop.
        if depth >= batchSize, !signalled.load(ordering: .relaxed),
           signalled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            continuation.yield(())
        }
    }

    public var depth: Int { queue.withLock { $0.count } }
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
    public var written: Int { writtenCount.load(ordering: .relaxed) }

    /// Writes what is queued now, `transactionSize` records per transaction. A batch the Store
    /// refuses is dropped (counted); the records after it go back to the queue for the next flush.
    public func flush() async {
        signalled.store(false, ordering: .sequentiallyConsistent)
        var records = recycled.withLock { buffer in
            var empty: [UsageRecord] = []
            swap(&empty, &buffer)
            return empty
        }
        queue.withLock { swap(&$0, &records) }
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(start + Self.transactionSize, records.endIndex)
            do {
                try await store.appendUsage(records[start..<end])
                writtenCount.add(end - start, ordering: .relaxed)
            } catch {
                droppedCount.add(end - start, ordering: .relaxed)
                requeue(records[end...])
                break
            }
            start = end
        }
        // A buffer grown by a burst is let go rather than held for good.
        guard records.capacity <= 4 * batchSize else { return }
        records.removeAll(keepingCapacity: true)
        recycled.withLock { swap(&$0, &records) }
    }

    /// Puts unwritten records back ahead of newer ones, within the capacity (the rest are dropped).
    private func requeue(_ records: ArraySlice<UsageRecord>) {
        guard !records.isEmpty else { return }
        let lost = queue.withLock { pending -> Int in
            let kept = records.prefix(max(0, capacity - pending.count))
            pending.insert(contentsOf: kept, at: 0)
            return records.count - kept.count
        }
        droppedCount.add(lost, ordering: .relaxed)
    }

    /// Flushes every `interval` and whenever `batchSize` records wait, and prunes past the
    /// retention every `pruneInterval`, until cancelled; then flushes once more. Run it once.
    public func run(every interval: Duration = .seconds(1), pruneInterval: Duration = .seconds(3600)) async {
        let ticker = Task { [continuation] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(())
            }
        }
        defer { ticker.cancel() }
        var nextPrune = ContinuousClock.now
        for await _ in signals {
            if ContinuousClock.now >= nextPrune {
                await prune(now: Date())
                nextPrune = ContinuousClock.now + pruneInterval
            }
            await flush()
        }
        await flush()
    }

    /// Deletes records older than the retention; returns how many went.
    @discardableResult
    public func prune(now: Date) async -> Int {
        guard let retention else { return 0 }
        let (seconds, _) = retention.components
        return (try? await store.pruneUsage(before: now.addingTimeInterval(-Double(seconds)))) ?? 0
    }
}
