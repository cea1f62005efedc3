import Foundation
import JSON
import Router
import Store
import Testing

@Suite struct StatusViewTests {
    @Test func listsCredentialsAndEveryCoolingState() async throws {
        try await withRuntime { f in
            f.provision()
            f.registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: 120, level: 2),
                                        f.cooling("c2", "", "unauthorized", seconds: 1800, probeAfter: 900)], bindings: [])
            let reply = f.admin.send("GET", "/v1/status")
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["now"]?.string == "2027-01-15T08:00:00.000Z")
            let credentials = try #require(json["credentials"]?.array)
            #expect(credentials.compactMap { $0["id"]?.string } == ["c1", "c2", "c3"])
            #expect(credentials[0]["label"]?.string == "c1 label")
            #expect(credentials[0]["priority"]?.int == 5)
            #expect(credentials[0]["enabled"]?.bool == true)
            #expect(credentials[0]["available"]?.bool == true)  // only one model cools
            #expect(credentials[1]["available"]?.bool == false)  // cooling as a whole
            #expect(credentials[2]["tier"]?.int == 1)

            let health = try #require(json["health"]?.array)
            #expect(health.count == 2)
            #expect(health[0]["credential_id"]?.string == "c1")
            #expect(health[0]["model"]?.string == "gpt-4o")
            #expect(health[0]["state"]?.string == "cooling")
            #expect(health[0]["reason"]?.string == "quota")
            #expect(health[0]["until"]?.string == "2027-01-15T08:02:00.000Z")
            #expect(health[0]["seconds_remaining"]?.int == 120)
            #expect(health[0]["backoff_level"]?.int == 2)
            #expect(health[0]["probe"]?.string == "none")
            #expect(health[0]["last_status"]?.int == 429)
            #expect(health[1]["model"]?.isNull == true)
            #expect(health[1]["probe"]?.string == "scheduled")
            #expect(health[1]["probe_at"]?.string == "2027-01-15T08:15:00.000Z")
            #expect(json["oauth_refresh_failures"]?.array?.isEmpty == true)

            f.advance(121)
            let later = try #require(f.admin.send("GET", "/v1/status").json?["health"]?.array)
            #expect(later[0]["state"]?.string == "half_open")
            #expect(later[0]["probe"]?.string == "due")
            #expect(later[0]["seconds_remaining"]?.int == 0)
            #expect(later[1]["seconds_remaining"]?.int == 1679)
        }
    }

    @Test func filtersByCredential() async throws {
        try await withRuntime { f in
            f.provision()
            f.registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: 60),
                                        f.cooling("c2", "", "payment", seconds: 60)], bindings: [])
            let one = try #require(f.admin.send("GET", "/v1/status?credential=c2").json)
            #expect(one["credentials"]?.array?.compactMap { $0["id"]?.string } == ["c2"])
            #expect(one["health"]?.array?.compactMap { $0["reason"]?.string } == ["payment"])
            let missing = f.admin.send("GET", "/v1/status?credential=nope")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
            let empty = f.admin.send("GET", "/v1/status?credential=")
            #expect(empty.status == 422)
            #expect(empty.errorFields == ["credential"])
            #expect(f.admin.send("GET", "/v1/status?credential=%zz").status == 400)
        }
    }

    @Test func resetShowsInTheLiveStatus() async throws {
        try await withRuntime { f in
            f.provision()
            let registry = f.registry
            f.admin.api.hooks.onCredentialReset { id in registry.reset(credentialID: id) }
            registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: 60)], bindings: [])
            #expect(f.admin.send("GET", "/v1/status").json?["health"]?.array?.count == 1)
            #expect(f.admin.send("POST", "/v1/credentials/c1/reset").status == 200)
            #expect(f.admin.send("GET", "/v1/status").json?["health"]?.array?.isEmpty == true)
        }
    }
}
