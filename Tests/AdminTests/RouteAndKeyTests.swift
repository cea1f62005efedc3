import JSON
import Store
import Testing

@Suite struct RouteTests {
    @Test func crudAndValidation() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let body = #"{"targets":[{"provider":"openai","model":"gpt-4o"},{"provider":"openai","model":"gpt-4o-mini"}],"strategy":"round-robin"}"#
            let first = admin.send("PUT", "/v1/routes/smart", body)
            #expect(first.status == 201)
            #expect(first.json?.object?.keys == ["name", "targets", "strategy"])
            let second = admin.send("PUT", "/v1/routes/smart", body)
            #expect(second.status == 200)
            #expect(second.body == first.body)
            #expect(admin.send("POST", "/v1/routes", #"{"name":"smart","targets":[{"provider":"openai","model":"x"}]}"#).status == 409)
            let posted = admin.send("POST", "/v1/routes", #"{"name":"team/fast","targets":[{"provider":"openai","model":"x"}]}"#)
            #expect(posted.status == 201)
            #expect(posted.json?["strategy"]?.string == "fallback")
            #expect(posted.header("Location") == "/v1/routes/team%2Ffast")
            #expect(admin.send("GET", "/v1/routes/team%2Ffast").status == 200)
            #expect(admin.send("GET", "/v1/routes").json?["data"]?.array?.count == 2)

            let bad = admin.send("PUT", "/v1/routes/bad", #"{"targets":[{"provider":"ghost","model":"m"},{"model":""}],"strategy":"random"}"#)
            #expect(bad.status == 422)
            #expect(Set(bad.errorFields).isSuperset(of: ["targets[0].provider", "targets[1].provider", "strategy"]), "\(bad.errorFields)")
            #expect(admin.send("PUT", "/v1/routes/empty", #"{"targets":[]}"#).status == 422)

            #expect(admin.send("DELETE", "/v1/routes/smart").status == 204)
            #expect(admin.send("GET", "/v1/routes/smart").status == 404)
            #expect(admin.send("DELETE", "/v1/routes/smart").status == 404)
        }
    }
}

@Suite struct ClientKeyTests {
    @Test func theKeyIsShownOnceAndWorksAsAHashOnly() async throws {
        try await withAdmin { admin in
            let created = admin.send("POST", "/v1/client-keys", #"{"name":"ci","models":["gpt-*"]}"#)
            #expect(created.status == 201)
            let key = try #require(created.json?["key"]?.string)
            let id = try #require(created.json?["id"]?.string)
            #expect(key.hasPrefix("sy-"))
            #expect(created.json?["key_hint"]?.string == "sy-…" + key.suffix(4))
            #expect(admin.store.snapshot.clientKey(presented: key)?.id == id)
            for reply in [admin.send("GET", "/v1/client-keys"), admin.send("GET", "/v1/client-keys/\(id)"),
                          admin.send("GET", "/v1/config"),
                          admin.send("PATCH", "/v1/client-keys/\(id)", #"{"enabled":false}"#)] {
                #expect(reply.status == 200)
                #expect(!reply.body.contains(key))
                #expect(reply.json?["key"] == nil)
            }
            #expect(admin.send("PATCH", "/v1/client-keys/\(id)", #"{"key":"sy-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#).status == 422)
            #expect(admin.send("PATCH", "/v1/client-keys/\(id)", #"{"name":""}"#).status == 422)
            #expect(admin.send("DELETE", "/v1/client-keys/\(id)").status == 204)
            #expect(admin.store.snapshot.clientKey(presented: key) == nil)
            #expect(admin.send("GET", "/v1/client-keys/\(id)").status == 404)
        }
    }

    @Test func putIsIdempotentAndKeepsTheKey() async throws {
        try await withAdmin { admin in
            let first = admin.send("PUT", "/v1/client-keys/ci", #"{"name":"CI","models":["gpt-*"]}"#)
            #expect(first.status == 201)
            let key = try #require(first.json?["key"]?.string)
            let second = admin.send("PUT", "/v1/client-keys/ci", #"{"name":"CI","models":["gpt-*"]}"#)
            #expect(second.status == 200)
            #expect(second.json?["key"] == nil)
            #expect(admin.store.snapshot.clientKey(presented: key)?.id == "ci")
            #expect(admin.send("GET", "/v1/client-keys").json?["data"]?.array?.count == 1)
            // A supplied key is taken (hashed) and never echoed.
            let supplied = "sy-supplied-key-0123456789abcdefXYZ"
            let own = admin.send("PUT", "/v1/client-keys/own", #"{"name":"own","key":"\#(supplied)"}"#)
            #expect(own.status == 201)
            #expect(!own.body.contains(supplied))
            #expect(admin.store.snapshot.clientKey(presented: supplied)?.id == "own")
            #expect(admin.send("PUT", "/v1/client-keys/weak", #"{"name":"w","key":"short"}"#).status == 422)
            #expect(admin.send("PUT", "/v1/client-keys/dup", #"{"name":"d","key":"\#(supplied)"}"#).status == 409)
        }
    }
}

@Suite struct SettingsTests {
    @Test func defaultsAndPatch() async throws {
        try await withAdmin { admin in
            let settings = try #require(admin.send("GET", "/v1/settings").json)
            #expect(settings["strategy"]?.string == "round-robin")
            #expect(settings["upstream_timeouts"]?["connect_seconds"]?.int == 10)
            #expect(settings["upstream_timeouts"]?["first_byte_seconds"]?.int == 300)
            #expect(settings["upstream_timeouts"]?["idle_seconds"]?.int == 120)
            #expect(settings["upstream_timeouts"]?["total_seconds"]?.int == 1800)
            #expect(settings["cooldowns"]?["unauthorized_seconds"]?.int == 1800)
            #expect(settings["session_affinity"]?["ttl_seconds"]?.int == 3600)
            #expect(settings["failover_on_server_error"]?.bool == true)

            let patched = admin.send("PATCH", "/v1/settings", #"{"strategy":"fill-first","retry":{"max_attempts":5}}"#)
            #expect(patched.status == 200)
            #expect(patched.json?["strategy"]?.string == "fill-first")
            #expect(patched.json?["retry"]?["max_attempts"]?.int == 5)
            #expect(patched.json?["retry"]?["max_credentials"]?.int == 5)
            #expect(admin.store.snapshot.settings.strategy == .fillFirst)

            let bad = admin.send("PATCH", "/v1/settings",
                                 #"{"strategy":"random","retry":{"max_attempts":0,"max_atempts":1},"cooldowns":5,"sticky_limit":1.5,"nope":true}"#)
            #expect(bad.status == 422)
            #expect(Set(bad.errorFields) == ["strategy", "retry.max_attempts", "retry.max_atempts", "cooldowns", "sticky_limit", "nope"])
            #expect(admin.store.snapshot.settings.retry.maxAttempts == 5)
        }
    }
}
