import JSON
import Testing

@Suite struct ProviderTests {
    @Test func crudWithCreatedReplacedAndDeleted() async throws {
        try await withAdmin { admin in
            let created = admin.send("POST", "/v1/providers", Body.openAI)
            #expect(created.status == 201)
            #expect(created.header("Location") == "/v1/providers/openai")
            #expect(created.json?["quota_scope"]?.string == "model")
            #expect(created.json?["enabled"]?.bool == true)
            #expect(created.json?["allow_private_network"]?.bool == false)
            #expect(admin.send("POST", "/v1/providers", Body.openAI).status == 409)

            let list = admin.send("GET", "/v1/providers")
            #expect(list.json?["data"]?.array?.count == 1)
            #expect(admin.send("GET", "/v1/providers/openai").json?["base_url"]?.string == "https://api.openai.com/v1")

            let patched = admin.send("PATCH", "/v1/providers/openai", #"{"enabled":false,"models":["gpt-4o","o*"]}"#)
            #expect(patched.status == 200)
            #expect(patched.json?["enabled"]?.bool == false)
            #expect(patched.json?["type"]?.string == "openai")
            #expect(patched.json?["models"]?.array?.count == 2)

            #expect(admin.send("DELETE", "/v1/providers/openai").status == 204)
            #expect(admin.send("GET", "/v1/providers/openai").status == 404)
            #expect(admin.send("DELETE", "/v1/providers/openai").status == 404)
            #expect(admin.send("PATCH", "/v1/providers/nope", #"{"enabled":false}"#).status == 404)
        }
    }

    @Test func putIsIdempotent() async throws {
        try await withAdmin { admin in
            let body = #"{"type":"gemini","base_url":"https://generativelanguage.googleapis.com"}"#
            let first = admin.send("PUT", "/v1/providers/gemini", body)
            let versionAfterFirst = admin.store.snapshot.version
            let second = admin.send("PUT", "/v1/providers/gemini", body)
            #expect(first.status == 201)
            #expect(second.status == 200)
            #expect(first.body == second.body)
            #expect(admin.store.snapshot.version == versionAfterFirst)
            #expect(admin.send("GET", "/v1/providers").json?["data"]?.array?.count == 1)
            // A full replace resets what is not given; a body name must match the path.
            #expect(admin.send("PUT", "/v1/providers/gemini", #"{"name":"other","type":"gemini","base_url":"https://x.example"}"#).status == 422)
        }
    }

    @Test func deleteOfAProviderInUseIs409NamingTheUsers() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            _ = admin.send("PUT", "/v1/credentials/c1", Body.credential())
            _ = admin.send("PUT", "/v1/routes/smart", #"{"targets":[{"provider":"openai","model":"gpt-4o"}]}"#)
            let refused = admin.send("DELETE", "/v1/providers/openai")
            #expect(refused.status == 409)
            #expect(refused.errorCode == "conflict")
            let message = refused.json?["error"]?["message"]?.string ?? ""
            #expect(message.contains("'c1'") && message.contains("'smart'"))
        }
    }

    @Test func everyProblemIsReportedAtOnce() async throws {
        try await withAdmin { admin in
            let reply = admin.send("POST", "/v1/providers",
                                   #"{"name":"Bad Name","type":"azure","base_url":"ftp://x","enabeld":true,"models":[1,"ok"],"quota_scope":"global"}"#)
            #expect(reply.status == 422)
            #expect(reply.errorCode != nil)
            let fields = Set(reply.errorFields)
            #expect(fields.isSuperset(of: ["name", "type", "base_url", "enabeld", "models[0]", "quota_scope"]))
            #expect(reply.json?["errors"]?.array?.first { $0["field"]?.string == "enabeld" }?["code"]?.string == "unknown_field")
            #expect(admin.send("GET", "/v1/providers").json?["data"]?.array?.isEmpty == true)
        }
    }

    @Test func malformedBodiesAre400() async throws {
        try await withAdmin { admin in
            for body in ["{", "[1,2]", "", "nul", #"{"name":"a",}"#] {
                let reply = admin.send("POST", "/v1/providers", body)
                #expect(reply.status == 400, "body \(body)")
                #expect(reply.errorCode == "invalid_json")
                #expect(reply.json?["error"]?.object?.keys == ["code", "message", "field"])
            }
            #expect(admin.send("POST", "/v1/providers", #"{"name":"a","name":"b","type":"openai","base_url":"https://a.example"}"#).status == 422)
        }
    }

    @Test func headerValuesAreMaskedAndAHintKeepsThem() async throws {
        try await withAdmin { admin in
            let secretHeader = "Bearer org-SECRET-abcdefghijklmnop"
            let body = #"{"type":"openai","base_url":"https://api.example.com/v1","headers":{"X-Org-Token":"\#(secretHeader)"}}"#
            let created = admin.send("PUT", "/v1/providers/org", body)
            #expect(created.status == 201)
            #expect(!created.body.contains("SECRET"))
            let hint = try #require(created.json?["headers"]?["X-Org-Token"]?.string)
            #expect(hint.contains("…"))
            // Writing the read back keeps the stored value.
            let readBack = try #require(admin.send("GET", "/v1/providers/org").json)
            #expect(admin.send("PUT", "/v1/providers/org", readBack.description).status == 200)
            #expect(admin.store.snapshot.providersByName["org"]?.headers["X-Org-Token"] == secretHeader)
            #expect(admin.send("PATCH", "/v1/providers/org", #"{"headers":{"Host":"evil"}}"#).status == 422)
        }
    }

    @Test func sqlLookingAndLikeTextIsStoredLiterally() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let models = [#"x');DROP_TABLE_providers;--"#, "100%_off", "%", "_", "a\\b", "' OR '1'='1"]
                .filter { !$0.contains(" ") } + ["claude-*"]
            let list = models.map { "\"\(JSONEscape.escape($0))\"" }.joined(separator: ",")
            let reply = admin.send("PATCH", "/v1/providers/openai", #"{"models":[\#(list)]}"#)
            #expect(reply.status == 200, "\(reply.body)")
            let stored = admin.send("GET", "/v1/providers/openai").json?["models"]?.array?.compactMap(\.string)
            #expect(stored == models)
            let label = #"Robert'); DROP TABLE credentials; -- 100% _x_"#
            let credential = admin.send("PUT", "/v1/credentials/c%5F1", #"{"provider":"openai","api_key":"sk-abcdefghijklmnopqrst","label":"\#(JSONEscape.escape(label))"}"#)
            #expect(credential.status == 201, "\(credential.body)")
            #expect(admin.send("GET", "/v1/credentials/c_1").json?["label"]?.string == label)
            #expect(admin.send("GET", "/v1/credentials/c%25").status == 404)
            #expect(admin.send("GET", "/v1/credentials/c_").status == 404)
            #expect(admin.send("GET", "/v1/providers/%25").status == 404)
            #expect(admin.send("GET", "/v1/providers/_").status == 404)
            #expect(admin.send("GET", "/v1/providers").json?["data"]?.array?.count == 1)
            #expect(admin.send("GET", "/v1/credentials").json?["data"]?.array?.count == 1)
        }
    }

    @Test(arguments: [
        ("https://api.example.com/v1", false, true),
        ("http://api.example.com/v1", false, false),
        ("http://10.0.0.5:8000/v1", true, true),
        ("https://10.0.0.5/v1", false, false),
        ("https://127.0.0.1/v1", false, false),
        ("https://localhost/v1", false, false),
        ("http://localhost:11434/v1", true, true),
        ("https://169.254.169.254/latest", true, false),
        ("https://169.254.10.1/", true, false),
        ("http://[fe80::1]/v1", true, false),
        ("http://[fd00:ec2::254]/", true, false),
        ("https://metadata.google.internal/computeMetadata", true, false),
        ("https://METADATA.google.internal./x", true, false),
        ("http://100.100.100.200/", true, false),
        ("https://2852039166/", true, false),
        ("http://[::ffff:169.254.169.254]/", true, false),
        ("https://user:pass@api.example.com/v1", false, false),
        ("https://api.example.com/v1?x=1", false, false),
        ("api.example.com/v1", false, false),
        ("https:///v1", false, false),
    ])
    func baseURLRules(url: String, allowPrivate: Bool, accepted: Bool) async throws {
        try await withAdmin { admin in
            let body = #"{"type":"openai","base_url":"\#(url)","allow_private_network":\#(allowPrivate)}"#
            let reply = admin.send("PUT", "/v1/providers/p", body)
            #expect((reply.status == 201) == accepted, "\(url): \(reply.body)")
            if !accepted {
                #expect(reply.status == 422)
                #expect(reply.errorFields.contains("base_url"))
            }
        }
    }
}

/// Escapes a string for embedding in a JSON literal in tests.
enum JSONEscape {
    static func escape(_ text: String) -> String {
        let encoded = JSONValue.string(text).description
        return String(encoded.dropFirst().dropLast())
    }
}
