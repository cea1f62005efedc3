import Foundation
import JSON
import Router
import Store
import Testing

@Suite struct SessionViewTests {
    /// Bindings s1 (openai, two models) and s2 (openai), live in the registry and persisted.
    func seed(_ f: RuntimeFixture) async throws {
        _ = f.admin.send("PUT", "/v1/providers/other", #"{"type":"openai","base_url":"https://example.com/v1","models":["gpt-*"]}"#)
        _ = f.admin.send("PUT", "/v1/credentials/o1", #"{"provider":"other","api_key":"sk-other-0123456789"}"#)
        let now = f.admin.clock.now
        let records = [
            SessionBindingRecord(provider: "openai", session: "sid:s1", model: "gpt-4o", credentialID: "c1",
                                 expiresAt: now.addingTimeInterval(3600), updatedAt: now),
            SessionBindingRecord(provider: "openai", session: "sid:s1", model: "gpt-4.1", credentialID: "c2",
                                 expiresAt: now.addingTimeInterval(1800), updatedAt: now),
            SessionBindingRecord(provider: "openai", session: "sid:s2", model: "gpt-4o", credentialID: "c2",
                                 expiresAt: now.addingTimeInterval(600), updatedAt: now),
            SessionBindingRecord(provider: "other", session: "sid:s1", model: "gpt-4o", credentialID: "o1",
                                 expiresAt: now.addingTimeInterval(600), updatedAt: now),
        ]
        f.registry.restore(health: [], bindings: records)
        try await f.store.saveSessionBindings(records, now: now)
    }

    @Test func listsBindingsWithFilters() async throws {
        try await withRuntime { f in
            f.provision()
            try await seed(f)
            let all = f.admin.send("GET", "/v1/sessions")
            #expect(all.status == 200)
            let data = try #require(all.json?["data"]?.array)
            #expect(data.count == 4)
            #expect(data[0]["provider"]?.string == "openai")
            #expect(data[0]["session"]?.string == "sid:s1")
            #expect(data[0]["model"]?.string == "gpt-4.1")
            #expect(data[0]["credential_id"]?.string == "c2")
            #expect(data[0]["expires_at"]?.string == "2027-01-15T08:30:00.000Z")
            #expect(f.admin.send("GET", "/v1/sessions?provider=other").json?["data"]?.array?.count == 1)
            #expect(f.admin.send("GET", "/v1/sessions?session=sid%3As1").json?["data"]?.array?.count == 3)
            #expect(f.admin.send("GET", "/v1/sessions?provider=openai&session=sid:s2").json?["data"]?.array?.count == 1)
            #expect(f.admin.send("GET", "/v1/sessions?provider=").status == 422)
            // Expired bindings are not listed.
            f.advance(1000)
            #expect(f.admin.send("GET", "/v1/sessions").json?["data"]?.array?.count == 2)
        }
    }

    @Test func deleteRemovesFromTheRegistryAndTheStore() async throws {
        try await withRuntime { f in
            f.provision()
            try await seed(f)
            let now = f.admin.clock.now
            let deleted = f.admin.send("DELETE", "/v1/sessions?provider=openai&session=sid:s1")
            #expect(deleted.status == 200)
            #expect(deleted.json?["deleted"]?.int == 2)
            #expect(f.registry.sessions().map(\.key.session).sorted() == ["sid:s1", "sid:s2"])
            #expect(f.registry.sessions().allSatisfy { !($0.key.provider == "openai" && $0.key.session == "sid:s1") })
            let stored = try await f.store.loadSessionBindings(now: now)
            #expect(stored.map { "\($0.provider)/\($0.session)/\($0.model)" }.sorted() == ["openai/sid:s2/gpt-4o", "other/sid:s1/gpt-4o"])

            let rest = f.admin.send("DELETE", "/v1/sessions")
            #expect(rest.json?["deleted"]?.int == 2)
            #expect(f.registry.sessions().isEmpty)
            #expect(try await f.store.loadSessionBindings(now: now).isEmpty)
            #expect(f.admin.send("DELETE", "/v1/sessions").json?["deleted"]?.int == 0)
            #expect(f.admin.send("DELETE", "/v1/sessions?session=").status == 422)
        }
    }
}
