import Foundation
import Testing
@testable import Store

@Suite struct RuntimeStateTests {
    func storeWithCredentials(_ dir: TempDirectory) async throws -> Store {
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        try await store.createCredential(Sample.credential("c1"))
        try await store.createCredential(Sample.credential("c2"))
        return store
    }

    @Test func healthSurvivesRestartAndIsCleared() async throws {
        let dir = TempDirectory()
        let record = ModelHealthRecord(credentialID: "c1", model: "gpt-4o", reason: "quota",
                                       cooldownUntil: t0.addingTimeInterval(30), backoffLevel: 2, lastStatus: 429,
                                       lastError: "rate limited", probeAt: nil, updatedAt: t0)
        let whole = ModelHealthRecord(credentialID: "c2", model: "", reason: "unauthorized", cooldownUntil: t0,
                                      updatedAt: t0)
        do {
            let store = try await storeWithCredentials(dir)
            let version = store.snapshot.version
            try await store.saveHealth([record, whole, ModelHealthRecord(credentialID: "ghost", model: "m", reason: "x",
                                                                         cooldownUntil: nil, updatedAt: t0)])
            #expect(store.snapshot.version == version)  // runtime state is not configuration
            store.close()
        }
        let store = try await openStore(dir)
        #expect(try await store.loadHealth() == [record, whole])  // the unknown credential was skipped
        try await store.saveHealth([], removing: [("c1", "gpt-4o")])
        #expect(try await store.loadHealth() == [whole])
        try await store.clearHealth(credentialID: "c2")
        #expect(try await store.loadHealth().isEmpty)
    }

    @Test func sessionBindingsExpireAndCascade() async throws {
        let dir = TempDirectory()
        let store = try await storeWithCredentials(dir)
        let live = SessionBindingRecord(provider: "openai", session: "s1", model: "gpt-4o", credentialID: "c1",
                                        expiresAt: t0.addingTimeInterval(3600), updatedAt: t0)
        let stale = SessionBindingRecord(provider: "openai", session: "s2", model: "gpt-4o", credentialID: "c2",
                                         expiresAt: t0.addingTimeInterval(-1), updatedAt: t0)
        try await store.saveSessionBindings([live, stale], now: t0)
        #expect(try await store.loadSessionBindings(now: t0) == [live])
        try await store.deleteCredential(id: "c1")
        #expect(try await store.loadSessionBindings(now: t0).isEmpty)
        try await store.saveSessionBindings([SessionBindingRecord(provider: "p", session: "s", model: "m", credentialID: "c2",
                                                                  expiresAt: t0.addingTimeInterval(9), updatedAt: t0)], now: t0)
        try await store.deleteSessionBindings(session: "s")
        #expect(try await store.loadSessionBindings(now: t0).isEmpty)
    }

    @Test func usageBatchesAndWindows() async throws {
        let dir = TempDirectory()
        let store = try await storeWithCredentials(dir)
        let records = (0..<100).map { i in
            UsageRecord(at: t0.addingTimeInterval(Double(i)), requestID: "r\(i)", clientKeyID: "k1", provider: "openai",
                        credentialID: "c1", requestedModel: "gpt-4o", upstreamModel: "gpt-4o", clientFormat: "openai",
                        stream: i.isMultiple(of: 2), status: 200, latencyMilliseconds: 120, timeToFirstByteMilliseconds: 40,
                        inputTokens: 10, outputTokens: 20)
        }
        try await store.appendUsage(records)
        #expect(try await store.usageRecords(from: t0, to: t0.addingTimeInterval(100)) == records)
        #expect(try await store.usageRecords(from: t0.addingTimeInterval(10), to: t0.addingTimeInterval(20)).count == 10)
        #expect(try await store.pruneUsage(before: t0.addingTimeInterval(50)) == 50)
        #expect(try await store.usageRecords(from: .distantPast, to: .distantFuture).first?.requestID == "r50")
    }

    /// Text parameters are bound in place from one buffer per statement: rows with long, empty,
    /// non-ASCII and absent texts next to each other come back exactly.
    @Test func textParametersOfEverySizeRoundTrip() async throws {
        let dir = TempDirectory()
        let store = try await storeWithCredentials(dir)
        let texts = ["", "é✓ 日本", String(repeating: "x", count: 5000), String(repeating: "long ", count: 900)]
        let records = texts.enumerated().map { i, text in
            UsageRecord(at: t0.addingTimeInterval(Double(i)), requestID: "r\(i)-" + text, clientKeyID: nil, provider: text,
                        credentialID: "c1", requestedModel: text.isEmpty ? nil : text + "!", upstreamModel: "m",
                        clientFormat: "openai", stream: false, status: 200, errorCode: text, latencyMilliseconds: 1,
                        timeToFirstByteMilliseconds: nil, inputTokens: 0, outputTokens: 0)
        }
        try await store.appendUsage(records)
        #expect(try await store.usageRecords(from: .distantPast, to: .distantFuture) == records)
    }

    /// Records go in 32 per statement and the rest one by one: every column of every row comes
    /// back in its place whatever the count.
    @Test(arguments: [1, 31, 32, 33, 70])
    func usageBatchesOfEverySizeKeepTheirColumns(count: Int) async throws {
        let dir = TempDirectory()
        let store = try await storeWithCredentials(dir)
        let records = (0..<count).map { i in
            UsageRecord(at: t0.addingTimeInterval(Double(i)), requestID: "r\(i)", clientKeyID: i.isMultiple(of: 3) ? nil : "k\(i)",
                        route: "route\(i)", provider: "p\(i)", credentialID: "c\(i)", requestedModel: "req\(i)",
                        upstreamModel: "up\(i)", clientFormat: ["openai", "anthropic", "gemini"][i % 3], stream: i.isMultiple(of: 2),
                        status: 200 + i, errorCode: i.isMultiple(of: 5) ? "e\(i)" : nil, attempts: 1 + i % 4,
                        latencyMilliseconds: 1000 + i, timeToFirstByteMilliseconds: i.isMultiple(of: 2) ? 500 + i : nil,
                        inputTokens: 10 * i, outputTokens: 20 * i, cachedTokens: 3 * i, reasoningTokens: 7 * i)
        }
        try await store.appendUsage(records)
        #expect(try await store.usageRecords(from: .distantPast, to: .distantFuture) == records)
    }
}
