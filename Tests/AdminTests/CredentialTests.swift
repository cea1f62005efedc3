import Foundation
import JSON
import Store
import Testing

@Suite struct CredentialTests {
    @Test func crudMasksTheKeyEverywhere() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let created = admin.send("POST", "/v1/credentials", Body.credential())
            #expect(created.status == 201)
            let id = try #require(created.json?["id"]?.string)
            #expect(id.hasPrefix("cred_"))
            #expect(created.json?["api_key"]?.string == "sk-proj-…9f2c")
            #expect(created.json?["kind"]?.string == "api_key")
            #expect(created.json?["tier"]?.int == 1)
            #expect(created.json?["priority"]?.int == 5)
            #expect(created.json?["aliases"]?.array?.count == 2)
            #expect(created.json?["state"]?["available"]?.bool == true)

            let patched = admin.send("PATCH", "/v1/credentials/\(id)", #"{"tier":0,"prefix":"team-a","enabled":false}"#)
            #expect(patched.status == 200)
            #expect(patched.json?["prefix"]?.string == "team-a")
            #expect(patched.json?["state"]?["available"]?.bool == false)
            #expect(admin.send("PATCH", "/v1/credentials/\(id)", #"{"prefix":null}"#).json?["prefix"]?.isNull == true)
            // The key is unchanged by a PATCH that does not name it.
            if case .apiKey(let key) = admin.store.snapshot.credentialsByID[id]?.secret { #expect(key.reveal() == Body.rawKey) }

            let bodies = [created.body, patched.body, admin.send("GET", "/v1/credentials").body,
                          admin.send("GET", "/v1/credentials/\(id)").body, admin.send("GET", "/v1/config").body]
            for body in bodies { #expect(!body.contains("SECRET")) }

            #expect(admin.send("DELETE", "/v1/credentials/\(id)").status == 204)
            #expect(admin.send("GET", "/v1/credentials/\(id)").status == 404)
        }
    }

    @Test func putIsIdempotentAndAMaskedKeyKeepsTheStoredOne() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let first = admin.send("PUT", "/v1/credentials/main", Body.credential())
            let second = admin.send("PUT", "/v1/credentials/main", Body.credential())
            #expect(first.status == 201)
            #expect(second.status == 200)
            #expect(first.body == second.body)
            #expect(admin.send("GET", "/v1/credentials").json?["data"]?.array?.count == 1)
            // GET → PUT round trip keeps the key.
            let read = try #require(admin.send("GET", "/v1/credentials/main").json)
            #expect(admin.send("PUT", "/v1/credentials/main", read.description).status == 200)
            if case .apiKey(let key) = admin.store.snapshot.credentialsByID["main"]?.secret { #expect(key.reveal() == Body.rawKey) }
            // A hint that matches nothing stored is refused.
            #expect(admin.send("PUT", "/v1/credentials/other", Body.credential(key: "sk-…0000")).status == 422)
        }
    }

    @Test func oauthCredentialsAreWriteOnly() async throws {
        try await withAdmin { admin in
            _ = admin.send("PUT", "/v1/providers/anthropic", #"{"type":"anthropic","base_url":"https://api.anthropic.com"}"#)
            let body = #"{"provider":"anthropic","oauth":{"access_token":"sk-ant-oat01-ACCESSSECRETxxxxxxxxx1234","refresh_token":"sk-ant-ort01-REFRESHSECRETyyyyyyyy5678","expires_at":"2030-01-02T03:04:05Z","token_url":"https://console.anthropic.com/v1/oauth/token","client_id":"client-1"}}"#
            let created = admin.send("PUT", "/v1/credentials/oauth1", body)
            #expect(created.status == 201)
            #expect(created.json?["kind"]?.string == "oauth")
            #expect(created.json?["oauth"]?["access_token"]?.string == "sk-ant-…1234")
            #expect(created.json?["oauth"]?["expires_at"]?.string == "2030-01-02T03:04:05.000Z")
            #expect(created.json?["api_key"] == nil)
            for reply in [created, admin.send("GET", "/v1/credentials/oauth1"), admin.send("GET", "/v1/config")] {
                #expect(!reply.body.contains("SECRET"))
            }
            let expiry = admin.send("PATCH", "/v1/credentials/oauth1", #"{"oauth":{"access_token":"sk-ant-…1234","expires_at":"2031-01-01T00:00:00Z"}}"#)
            #expect(expiry.status == 200, "\(expiry.body)")
            guard case .oauth(let token) = admin.store.snapshot.credentialsByID["oauth1"]?.secret else {
                Issue.record("not oauth")
                return
            }
            #expect(token.accessToken.reveal().contains("ACCESSSECRET"))
            #expect(token.refreshToken?.reveal().contains("REFRESHSECRET") == true)
            #expect(token.clientID == "client-1")
            let both = admin.send("PUT", "/v1/credentials/x", #"{"provider":"anthropic","api_key":"sk-abcdefghijklmnop","oauth":{"access_token":"abc"}}"#)
            #expect(both.status == 422)
            let neither = admin.send("PUT", "/v1/credentials/x", #"{"provider":"anthropic"}"#)
            #expect(neither.status == 422)
            #expect(neither.errorFields.contains("api_key"))
        }
    }

    @Test func validationListsEveryIssue() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let reply = admin.send("POST", "/v1/credentials",
                                   #"{"provider":"nope","api_key":"has space","tier":-1,"priority":"high","prefix":"Bad/Prefix","aliases":[{"alias":"a"}],"modles":[]}"#)
            #expect(reply.status == 422)
            let fields = Set(reply.errorFields)
            #expect(fields.isSuperset(of: ["provider", "api_key", "tier", "priority", "prefix", "aliases[0].model", "modles"]), "\(fields)")
            #expect(admin.send("GET", "/v1/credentials").json?["data"]?.array?.isEmpty == true)
        }
    }

    @Test func resetClearsStoredStateAndCallsTheHook() async throws {
        try await withAdmin { admin in
            let resets = ResetLog()
            admin.api.hooks.onCredentialReset { id in resets.append(id) }
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            _ = admin.send("PUT", "/v1/credentials/c1", Body.credential())
            let until = admin.clock.now.addingTimeInterval(600)
            try await admin.store.saveHealth([
                ModelHealthRecord(credentialID: "c1", model: "gpt-4o", reason: "quota", cooldownUntil: until, updatedAt: admin.clock.now),
                ModelHealthRecord(credentialID: "c1", model: "", reason: "unauthorized", cooldownUntil: until, updatedAt: admin.clock.now),
            ])
            let before = admin.send("GET", "/v1/credentials/c1")
            #expect(before.json?["state"]?["available"]?.bool == false)
            #expect(before.json?["state"]?["cooling"]?.array?.count == 2)
            #expect(before.json?["state"]?["cooling"]?[1]?["model"]?.string == "gpt-4o")
            let reset = admin.send("POST", "/v1/credentials/c1/reset")
            #expect(reset.status == 200)
            #expect(reset.json?["state"]?["cooling"]?.array?.isEmpty == true)
            #expect(reset.json?["state"]?["available"]?.bool == true)
            #expect(resets.all == ["c1"])
            #expect(try await admin.store.loadHealth().isEmpty)
            #expect(admin.send("POST", "/v1/credentials/missing/reset").status == 404)
        }
    }
}

/// Records reset callbacks.
final class ResetLog: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func append(_ id: String) { lock.withLock { ids.append(id) } }
    var all: [String] { lock.withLock { ids } }
}
