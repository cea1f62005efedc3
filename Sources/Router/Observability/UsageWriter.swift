import Foundation
import Store
import Synchronization

/// Queues usage records and writes them to the Store in batches from a background task, never
/// on the request path. A full queue drops records (counted) rather than slowing requests.
public final class UsageWriter: Sendable {
    /// The most records waiting at once.
    public let capacity: Int
    private let store: Store
    private let queue = Mutex<[UsageRecord]>([])
    private let droppedCount = Atomic<Int>(0)
    private let writtenCount = Atomic<Int>(0)

    /// Records older than this are pruned every hour (nil keeps them forever).
    public let retention: Duration?

    public init(store: Store, capacity: Int = 10_000, retention: Duration? = nil) {
        self.store = store
        self.capacity = capacity
        self.retention = retention
    }

    /// Queues a record (cheap; called on the request path).
    public func enqueue(_ record: UsageRecord) {
        let accepted = queue.withLock { pending -> Bool in
            guard pending.count < capacity else { return false }
            pending.append(record)
            return true
        }
        if !accepted { droppedCount.add(1, ordering: .relaxed) }
    }

    public var depth: Int { queue.withLock { $0.count } }
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
    public var written: Int { writtenCount.load(ordering: .relaxed) }

    /// Writes what is queued now, in batches of at most 500 records per transaction.
    public func flush() async {
        while true {
            let batch = queue.withLock { pending -> [UsageRecord] in
                let batch = Array(pending.prefix(500))
                pending.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await store.appendUsage(batch)
                writtenCount.add(batch.count, ordering: .relaxed)
            } catch {
                droppedCount.add(batch.count, ordering: .relaxed)
                return
            }
        }
    }

    /// Flushes every `interval` and prunes past the retention every `pruneInterval`, until
    /// cancelled; then flushes once more.
    public func run(every interval: Duration = .seconds(1), pruneInterval: Duration = .seconds(3600)) async {
        var nextPrune = ContinuousClock.now
        while !Task.isCancelled {
            if ContinuousClock.now >= nextPrune {
                await prune(now: Date())
                nextPrune = ContinuousClock.now + pruneInterval
            }
            try? await Task.sleep(for: interval)
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
