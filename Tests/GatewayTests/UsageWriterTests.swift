import Foundation
import Store
import Testing
import TestSupport
@testable import Router

@Suite struct UsageWriterTests {
    private static func record(_ index: Int, at date: Date = Date()) -> UsageRecord {
        UsageRecord(at: date, requestID: "r\(index)", status: 200, latencyMilliseconds: 1)
    }

    @Test func recordsPastTheRetentionArePrunedAndNewerOnesKept() async throws {
        let (store, directory) = try await temporaryStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        let now = Date()
        let writer = UsageWriter(store: store, retention: .seconds(86_400))
        for age in [3 * 86_400.0, 2 * 86_400.0, 3600, 60] {
            writer.enqueue(UsageRecord(at: now.addingTimeInterval(-age), requestID: "r\(Int(age))", status: 200, latencyMilliseconds: 1))
        }
        await writer.flush()
        #expect(writer.written == 4)
        #expect(await writer.prune(now: now) == 2)
        let left = try await store.usageRecords(from: now.addingTimeInterval(-10 * 86_400), to: now)
        #expect(Set(left.map(\.requestID)) == ["r3600", "r60"])
        #expect(await UsageWriter(store: store).prune(now: now) == 0)
    }

    @Test func aFullQueueDropsAndCounts() async throws {
        let (store, directory) = try await temporaryStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        let writer = UsageWriter(store: store, capacity: 3)
        for index in 0..<5 { writer.enqueue(Self.record(index)) }
        #expect(writer.depth == 3)
        #expect(writer.dropped == 2)
    }

    /// More records per interval than the queue holds are all written: a batch's worth wakes the
    /// writer (the interval here never ends). Before, a 10,000-record queue flushed once a second
    /// dropped a third of the records at 15,000 requests/s.
    @Test func aBatchWakesTheWriterSoAFastStreamOfRecordsIsNotDropped() async throws {
        let (store, directory) = try await temporaryStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        let writer = UsageWriter(store: store, capacity: 1_000, batchSize: 200)
        let running = Task { await writer.run(every: .seconds(3600)) }
        for round in 0..<20 {
            for index in 0..<300 { writer.enqueue(Self.record(round * 300 + index)) }
            guard await eventually(within: 10, { writer.depth < 200 }) else {
                Issue.record("round \(round): the writer did not wake")
                break
            }
        }
        running.cancel()
        await running.value
        #expect(writer.dropped == 0)
        #expect(writer.written == 6_000)
        let stored = try await store.usageRecords(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60))
        #expect(stored.count == 6_000)
    }

    /// A transaction the Store refuses loses its own records only: the rest wait for the next flush.
    @Test func aRefusedBatchIsDroppedAndTheRestRequeued() async throws {
        let (store, directory) = try await temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = UsageWriter(store: store)
        for index in 0..<(UsageWriter.transactionSize * 2 + 100) { writer.enqueue(Self.record(index)) }
        store.close()
        await writer.flush()
        #expect(writer.dropped == UsageWriter.transactionSize)
        #expect(writer.written == 0)
        #expect(writer.depth == UsageWriter.transactionSize + 100)
    }

    /// Cancelling the writer's run writes what is still queued.
    @Test func cancellingTheRunFlushesWhatIsQueued() async throws {
        let (store, directory) = try await temporaryStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        let writer = UsageWriter(store: store)
        let running = Task { await writer.run(every: .seconds(3600)) }
        for index in 0..<10 { writer.enqueue(Self.record(index)) }
        running.cancel()
        await running.value
        #expect(writer.written == 10)
    }
}
