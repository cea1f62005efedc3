import Foundation
import Testing
@testable import Store

@Suite struct ConfigurationTests {
    static func document(label: String = "") -> Configuration {
        var settings = Settings()
        settings.stickyLimit = 7
        let key = ClientKey(id: "k1", name: "ci", keyHash: KeyHash(of: "sy-fixed-test-key-0001"), hint: "sy-…0001", createdAt: t0)
        return Configuration(
            providers: [Sample.anthropic(), Sample.openAI()],
            credentials: [Sample.credential("c2", label: label), Sample.credential("c1", label: label),
                          Sample.credential("a1", provider: "anthropic", key: "sk-ant-abcdefghijklmnop")],
            routes: [Sample.route("smart", providers: ["openai", "anthropic"])],
            clientKeys: [key], settings: settings)
    }

    @Test func replaceAppliesTheDocumentInOrderAndReimportsToTheSameState() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI("old"))
        try await store.createCredential(Sample.credential("gone", provider: "old"))
        let doc = Self.document()
        let snapshot = try await store.replaceConfiguration(doc)
        #expect(snapshot.configuration == doc)
        #expect(snapshot.credentials.map(\.id) == ["c2", "c1", "a1"])
        let (exported, version) = store.exportConfiguration()
        #expect(exported == doc)
        // Re-importing the export changes nothing, not even the version.
        #expect(try await store.replaceConfiguration(exported, expectedVersion: version).version == version)
        store.close()
        let reopened = try await openStore(dir)
        #expect(reopened.snapshot.configuration == doc)
        #expect(reopened.snapshot.version == version)
    }

    @Test func invalidDocumentChangesNothing() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.replaceConfiguration(Self.document())
        let before = store.snapshot
        var bad = Self.document(label: "new")
        bad.credentials.append(Sample.credential("orphan", provider: "ghost"))
        bad.routes.append(Route(name: "empty", targets: []))
        bad.settings.retry.maxCredentials = 0
        let error = await storeError { () throws(StoreError) in try await store.replaceConfiguration(bad) }
        guard case .invalid(let issues) = error else {
            Issue.record("expected invalid, got \(String(describing: error))")
            return
        }
        #expect(Set(issues.map(\.field)) == ["credentials[3].provider", "routes[1].targets", "settings.retry.max_credentials"])
        #expect(store.snapshot.version == before.version)
        #expect(try await store.credentials() == before.credentials)
    }

    @Test func failureHalfWayRollsEverythingBack() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.replaceConfiguration(Self.document())
        let before = store.snapshot
        // Make the database itself fail late in the transaction, after providers and credentials were written.
        try await store.writer.run { db throws(StoreError) in
            try db.executeScript("""
                CREATE TEMP TRIGGER fail_route BEFORE INSERT ON route_targets WHEN NEW.model = 'explode'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
                """)
        }
        var doc = Self.document(label: "changed")
        doc.providers.append(Provider(name: "gemini", type: .gemini, baseURL: "https://generativelanguage.googleapis.com"))
        doc.routes = [Route(name: "smart", targets: [RouteTarget(provider: "openai", model: "explode")])]
        let error = await storeError { () throws(StoreError) in try await store.replaceConfiguration(doc) }
        #expect(error != nil)
        #expect(store.snapshot.version == before.version)
        #expect(store.snapshot.configuration == before.configuration)
        #expect(try await store.providers() == before.providers)
        #expect(try await store.credentials() == before.credentials)
        #expect(try await store.routes() == before.routes)
    }

    @Test func expectedVersionGuardsAgainstLostUpdates() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let (_, version) = store.exportConfiguration()
        try await store.createProvider(Sample.openAI())
        let error = await storeError { () throws(StoreError) in
            try await store.replaceConfiguration(Self.document(), expectedVersion: version)
        }
        #expect(error == .versionMismatch(current: version + 1))
        #expect(store.snapshot.providers == [Sample.openAI()])
    }

    @Test func replaceKeepsRuntimeStateOfCredentialsThatRemain() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.replaceConfiguration(Self.document())
        try await store.writer.run { db throws(StoreError) in
            for id in ["c1", "c2"] {
                try db.execute("""
                    INSERT INTO credential_model_state (credential_id, model, reason, cooldown_until, updated_at)
                    VALUES (?, 'gpt-4o', 'quota', 1, 1)
                    """, [.text(id)])
            }
        }
        var doc = Self.document(label: "relabelled")
        doc.credentials.removeAll { $0.id == "c2" }
        try await store.replaceConfiguration(doc)
        let states = try await store.writer.run { db throws(StoreError) in
            try db.query("SELECT credential_id FROM credential_model_state ORDER BY 1").map { $0.string(0) }
        }
        #expect(states == ["c1"])
    }

    @Test func diffListsWhatWouldChange() {
        let old = Self.document()
        var new = Self.document()
        new.credentials[0].label = "relabelled"
        new.credentials.removeLast()
        new.credentials.append(Sample.credential("c3"))
        new.routes = []
        new.settings.cooldowns.transientSeconds = 5
        let diff = ConfigurationDiff(from: old, to: new)
        #expect(diff.credentials.created == ["c3"])
        #expect(diff.credentials.updated == ["c2"])
        #expect(diff.credentials.deleted == ["a1"])
        #expect(diff.routes.deleted == ["smart"])
        #expect(diff.providers.isEmpty && diff.clientKeys.isEmpty)
        #expect(diff.settings == ["cooldowns.transient_seconds"])
        #expect(!diff.reordered)
        #expect(ConfigurationDiff(from: old, to: old).isEmpty)
        var swapped = old
        swapped.providers.reverse()
        #expect(ConfigurationDiff(from: old, to: swapped).reordered)
    }
}
