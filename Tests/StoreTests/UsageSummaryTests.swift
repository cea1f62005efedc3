import Foundation
import Testing
@testable import Store

@Suite struct UsageSummaryTests {
    /// Ten records over three minutes: provider `a` (latencies 10…80 ms, one 429), provider `b`
    /// (100 and 1000 ms, one 502), one without provider outside the window, and one at `to`.
    func seeded(_ dir: TempDirectory) async throws -> Store {
        let store = try await openStore(dir)
        var records: [UsageRecord] = []
        for i in 0..<8 {
            records.append(UsageRecord(at: t0.addingTimeInterval(Double(i * 10)), requestID: "a\(i)", clientKeyID: "k1",
                                       provider: "a", credentialID: "c1", requestedModel: "m1", status: i == 3 ? 429 : 200,
                                       attempts: i == 3 ? 2 : 1, latencyMilliseconds: (i + 1) * 10, inputTokens: 10,
                                       outputTokens: 5, cachedTokens: 2, reasoningTokens: 1))
        }
        records.append(UsageRecord(at: t0.addingTimeInterval(65), requestID: "b0", provider: "b", requestedModel: "m2",
                                   status: 502, attempts: 3, latencyMilliseconds: 1000))
        records.append(UsageRecord(at: t0.addingTimeInterval(130), requestID: "b1", provider: "b", requestedModel: "m2",
                                   status: 200, latencyMilliseconds: 100, inputTokens: 7))
        records.append(UsageRecord(at: t0.addingTimeInterval(-1), requestID: "early", status: 200, latencyMilliseconds: 1))
        records.append(UsageRecord(at: t0.addingTimeInterval(180), requestID: "at-to", status: 200, latencyMilliseconds: 1))
        try await store.appendUsage(records)
        return store
    }

    @Test func totalsGroupsAndBucketsAreAggregatedInTheWindow() async throws {
        let dir = TempDirectory()
        let store = try await seeded(dir)
        let summary = try await store.usageSummary(from: t0, to: t0.addingTimeInterval(180), groupBy: .provider, bucket: .minute)
        #expect(summary.totals.requests == 10)
        #expect(summary.totals.errors == 2)
        #expect(summary.totals.attempts == 13)
        #expect(summary.totals.inputTokens == 87)
        #expect(summary.totals.outputTokens == 40)
        #expect(summary.totals.cachedTokens == 16)
        #expect(summary.totals.reasoningTokens == 8)
        #expect(summary.totals.latencyAverageMilliseconds == 1460.0 / 10)
        #expect(summary.totals.latencyP95Milliseconds == 1000)

        #expect(summary.groups.map(\.key) == ["a", "b"])
        let a = summary.groups[0].totals
        #expect(a.requests == 8 && a.errors == 1 && a.attempts == 9)
        #expect(a.latencyAverageMilliseconds == 45)
        #expect(a.latencyP95Milliseconds == 80)  // nearest rank: the 8th of 8
        let b = summary.groups[1].totals
        #expect(b.requests == 2 && b.errors == 1 && b.latencyP95Milliseconds == 1000)

        // t0 is a multiple of 60 s: buckets at +0 (6 records), +60 (2 of a, b0), +120 (b1).
        #expect(summary.buckets.map { $0.start.timeIntervalSince(t0) } == [0, 60, 120])
        #expect(summary.buckets.map(\.totals.requests) == [6, 3, 1])
        #expect(summary.buckets[1].totals.errors == 1)
    }

    @Test func groupsKeepRecordsWithoutAValueAndEmptyWindowsAreZero() async throws {
        let dir = TempDirectory()
        let store = try await seeded(dir)
        let wide = try await store.usageSummary(from: t0.addingTimeInterval(-10), to: t0.addingTimeInterval(200), groupBy: .clientKey)
        #expect(wide.groups.map(\.key) == ["k1", nil])  // most requests first: 8 with a client key, 4 without
        #expect(wide.groups.map(\.totals.requests) == [8, 4])
        #expect(wide.buckets.isEmpty)

        let empty = try await store.usageSummary(from: t0.addingTimeInterval(1000), to: t0.addingTimeInterval(2000),
                                                 groupBy: .model, bucket: .day)
        #expect(empty.totals == UsageTotals())
        #expect(empty.totals.latencyAverageMilliseconds == nil)
        #expect(empty.groups.isEmpty && empty.buckets.isEmpty)
    }

    @Test func everyGroupingAndBucketWidthRuns() async throws {
        let dir = TempDirectory()
        let store = try await seeded(dir)
        for grouping in UsageGrouping.allCases {
            for bucket in UsageBucket.allCases {
                let summary = try await store.usageSummary(from: t0, to: t0.addingTimeInterval(180), groupBy: grouping, bucket: bucket)
                #expect(summary.groups.map(\.totals.requests).reduce(0, +) == 10)
                #expect(summary.buckets.map(\.totals.requests).reduce(0, +) == 10)
            }
        }
        let byModel = try await store.usageSummary(from: t0, to: t0.addingTimeInterval(180), groupBy: .model)
        #expect(byModel.groups.map(\.key) == ["m1", "m2"])
    }

    /// A stream that ended in an error event after it began (the upstream broke off, the server
    /// shut down) is answered 200 with an error code: it counts as an error; a client that left
    /// mid-stream does not.
    @Test func streamsBrokenOffByTheUpstreamCountAsErrors() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.appendUsage([
            UsageRecord(at: t0, requestID: "ok", stream: true, status: 200, latencyMilliseconds: 1),
            UsageRecord(at: t0, requestID: "cut", stream: true, status: 200, errorCode: "upstream_stream_error", latencyMilliseconds: 1),
            UsageRecord(at: t0, requestID: "left", stream: true, status: 200, errorCode: UsageRecord.clientDisconnected, latencyMilliseconds: 1),
            UsageRecord(at: t0, requestID: "shut", stream: true, status: 200, errorCode: "server_shutting_down", latencyMilliseconds: 1),
            UsageRecord(at: t0, requestID: "429", status: 429, errorCode: "all_credentials_cooling", latencyMilliseconds: 1),
        ])
        let summary = try await store.usageSummary(from: t0, to: t0.addingTimeInterval(1), groupBy: nil, bucket: nil)
        #expect(summary.totals.requests == 5)
        #expect(summary.totals.errors == 3)
    }
}
