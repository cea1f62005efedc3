import JSON
import Store
import Testing

@Suite struct ConfigTests {
    /// Provisions a bit of everything.
    static func provision(_ admin: AdminHarness) {
        _ = admin.send("POST", "/v1/providers", Body.openAI)
        _ = admin.send("POST", "/v1/providers", Body.anthropic)
        _ = admin.send("PUT", "/v1/credentials/c1", Body.credential())
        _ = admin.send("PUT", "/v1/credentials/c2", #"{"provider":"anthropic","oauth":{"access_token":"sk-ant-oat-SECRETaaaaaaaaaaaa1111","refresh_token":"sk-ant-ort-SECRETbbbbbbbbbbbb2222"}}"#)
        _ = admin.send("PUT", "/v1/routes/smart", #"{"targets":[{"provider":"anthropic","model":"claude-sonnet-4"},{"provider":"openai","model":"gpt-4o"}]}"#)
        _ = admin.send("PUT", "/v1/client-keys/ci", #"{"name":"CI"}"#)
        _ = admin.send("PATCH", "/v1/settings", #"{"sticky_limit":7}"#)
    }

    @Test func exportReimportsToTheSameState() async throws {
        try await withAdmin { admin in
            Self.provision(admin)
            let before = admin.store.snapshot
            let export = admin.send("GET", "/v1/config")
            #expect(export.status == 200)
            #expect(export.json?.object?.keys == ["providers", "credentials", "routes", "client_keys", "settings"])
            #expect(!export.body.contains("SECRET"))
            let etag = try #require(export.header("ETag"))
            #expect(etag == "\"cfg-\(before.version)\"")

            let dry = admin.send("PUT", "/v1/config?dry_run=true", export.body)
            #expect(dry.status == 200)
            #expect(dry.json?["changed"]?.bool == false)
            let reimport = admin.send("PUT", "/v1/config", export.body, headers: ["If-Match: \(etag)"])
            #expect(reimport.status == 200, "\(reimport.body)")
            #expect(reimport.json?["changed"]?.bool == false)
            #expect(admin.store.snapshot.configuration == before.configuration)
            #expect(admin.store.snapshot.version == before.version)
            #expect(admin.send("GET", "/v1/config").body == export.body)
        }
    }

    @Test func dryRunShowsTheDiffWithoutApplying() async throws {
        try await withAdmin { admin in
            Self.provision(admin)
            var document = try #require(admin.send("GET", "/v1/config").json?.object)
            document["routes"] = .array([])
            var providers = try #require(document["providers"]?.array)
            providers.append(["name": "gemini", "type": "gemini", "base_url": "https://generativelanguage.googleapis.com"])
            document["providers"] = .array(providers)
            var settings = try #require(document["settings"]?.object)
            settings["strategy"] = "fill-first"
            document["settings"] = .object(settings)
            let version = admin.store.snapshot.version

            let dry = admin.send("PUT", "/v1/config?dry_run=true", JSONValue.object(document).description)
            #expect(dry.status == 200)
            #expect(dry.json?["dry_run"]?.bool == true)
            #expect(dry.json?["changes"]?["providers"]?["created"]?.array?.compactMap(\.string) == ["gemini"])
            #expect(dry.json?["changes"]?["routes"]?["deleted"]?.array?.compactMap(\.string) == ["smart"])
            #expect(dry.json?["changes"]?["settings"]?.array?.compactMap(\.string) == ["strategy"])
            #expect(admin.store.snapshot.version == version)
            #expect(admin.store.snapshot.routesByName["smart"] != nil)

            let applied = admin.send("PUT", "/v1/config", JSONValue.object(document).description)
            #expect(applied.status == 200)
            #expect(applied.json?["dry_run"]?.bool == false)
            #expect(applied.header("ETag") == "\"cfg-\(admin.store.snapshot.version)\"")
            #expect(admin.store.snapshot.routesByName["smart"] == nil)
            #expect(admin.store.snapshot.providersByName["gemini"] != nil)
            #expect(admin.send("PUT", "/v1/config?dry_run=maybe", "{}").status == 400)
        }
    }

    @Test func anInvalidDocumentChangesNothing() async throws {
        try await withAdmin { admin in
            Self.provision(admin)
            let before = admin.store.snapshot
            var document = try #require(admin.send("GET", "/v1/config").json?.object)
            document["routes"] = [["name": "r", "targets": [["provider": "ghost", "model": "m"]]]]
            document["providers"] = .array((document["providers"]?.array ?? []) + [["name": "x", "type": "openai", "base_url": "https://169.254.169.254/"]])
            document["client_keys"] = [["id": "new-key", "name": "no key given"]]
            document["extra"] = true
            let reply = admin.send("PUT", "/v1/config", JSONValue.object(document).description)
            #expect(reply.status == 422)
            let fields = Set(reply.errorFields)
            #expect(fields.isSuperset(of: ["routes[0].targets[0].provider", "providers[2].base_url", "client_keys[0].key", "extra"]), "\(fields)")
            #expect(admin.store.snapshot.version == before.version)
            #expect(admin.store.snapshot.configuration == before.configuration)
            #expect(admin.send("PUT", "/v1/config", "{not json").status == 400)
            #expect(admin.store.snapshot.version == before.version)
        }
    }

    @Test func ifMatchMismatchIs412() async throws {
        try await withAdmin { admin in
            Self.provision(admin)
            let export = admin.send("GET", "/v1/config")
            let etag = try #require(export.header("ETag"))
            _ = admin.send("PATCH", "/v1/settings", #"{"sticky_limit":8}"#)
            let stale = admin.send("PUT", "/v1/config", export.body, headers: ["If-Match: \(etag)"])
            #expect(stale.status == 412)
            #expect(stale.errorCode == "precondition_failed")
            #expect(stale.header("ETag") == "\"cfg-\(admin.store.snapshot.version)\"")
            #expect(admin.store.snapshot.settings.stickyLimit == 8)
            #expect(admin.send("PUT", "/v1/config?dry_run=true", export.body, headers: ["If-Match: \"nope\""]).status == 412)
            #expect(admin.send("PUT", "/v1/config", export.body, headers: ["If-Match: *"]).status == 200)
            #expect(admin.store.snapshot.settings.stickyLimit == 7)
        }
    }

    @Test func applyConfigFileAtStart() async throws {
        try await withAdmin { admin in
            let path = admin.directory.appendingPathComponent("config.json").path
            let document = #"{"providers":[{"name":"openai","type":"openai","base_url":"https://api.openai.com/v1"}],"credentials":[{"id":"k","provider":"openai","api_key":"sk-file-0123456789abcdef"}],"client_keys":[{"id":"ci","name":"CI","key":"sy-file-key-0123456789abcdefghij"}]}"#
            try document.write(toFile: path, atomically: true, encoding: .utf8)
            try await admin.api.applyConfigFile(path)
            #expect(admin.store.snapshot.credentialsByID["k"] != nil)
            #expect(admin.store.snapshot.clientKey(presented: "sy-file-key-0123456789abcdefghij")?.id == "ci")
            try #"{"providers":[{"name":"Bad"}]}"#.write(toFile: path, atomically: true, encoding: .utf8)
            await #expect(throws: (any Error).self) { try await admin.api.applyConfigFile(path) }
            #expect(admin.store.snapshot.providersByName["openai"] != nil)
        }
    }
}
