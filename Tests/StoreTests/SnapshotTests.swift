import Foundation
import Testing
@testable import Store

@Suite struct SnapshotTests {
    @Test func snapshotIsSwappedAfterEachCommittedChange() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let initial = store.snapshot
        try await store.createProvider(Sample.openAI())
        let afterProvider = store.snapshot
        #expect(afterProvider.version == initial.version + 1)
        #expect(afterProvider.providersByName["openai"] == Sample.openAI())
        #expect(initial.providers.isEmpty)  // an old snapshot never changes under its reader
        try await store.createCredential(Sample.credential("c1"))
        let afterCredential = store.snapshot
        #expect(afterCredential.version == afterProvider.version + 1)
        #expect(afterCredential.credentialsByProvider["openai"]?.map(\.id) == ["c1"])
        #expect(afterProvider.credentials.isEmpty)
        // A failed write leaves the snapshot alone.
        _ = await storeError { () throws(StoreError) in try await store.deleteProvider(named: "openai") }
        #expect(store.snapshot.version == afterCredential.version)
    }

    @Test func concurrentReadsDuringWritesSeeConsistentSnapshots() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        // A second Store on the same file: another connection pair, as another process would have.
        let second = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        let rounds = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 1...rounds {
                    // Each change relabels both credentials in one transaction.
                    var config = store.snapshot.configuration
                    config.credentials = [Sample.credential("a", label: "gen\(round)"), Sample.credential("b", label: "gen\(round)")]
                    try await store.replaceConfiguration(config)
                }
            }
            for reader in 0..<4 {
                group.addTask {
                    var lastVersion: UInt64 = 0
                    for _ in 0..<(rounds * 2) {
                        let snapshot = store.snapshot
                        #expect(snapshot.version >= lastVersion)
                        lastVersion = snapshot.version
                        #expect(Set(snapshot.credentials.map(\.label)).count <= 1, "half-applied change visible")
                        let fromDatabase = try await (reader.isMultiple(of: 2) ? store : second).credentials()
                        #expect(Set(fromDatabase.map(\.label)).count <= 1, "half-applied change read from the database")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(store.snapshot.credentials.map(\.label) == ["gen\(rounds)", "gen\(rounds)"])
        #expect(try await second.credentials().map(\.label) == ["gen\(rounds)", "gen\(rounds)"])
    }

    @Test func holderNeverGoesBackwards() {
        let holder = ConfigHolder()
        holder.install(ConfigSnapshot(version: 5, configuration: Configuration(), adminTokenHash: nil))
        holder.install(ConfigSnapshot(version: 4, configuration: Configuration(providers: [Sample.openAI()]), adminTokenHash: nil))
        #expect(holder.current.version == 5)
        #expect(holder.current.providers.isEmpty)
    }
}
