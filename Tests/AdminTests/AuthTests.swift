import Testing

@Suite struct AuthTests {
    @Test func missingOrWrongTokensAre401WithChallenge() async throws {
        try await withAdmin { admin in
            #expect(admin.send("GET", "/healthz", token: nil).status == 200)
            for token in [nil, "wrong-token", ""] as [String?] {
                let reply = admin.send("GET", "/v1/providers", token: token)
                #expect(reply.status == 401)
                #expect(reply.errorCode == "unauthorized")
                #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            }
            let basic = admin.send("GET", "/v1/providers", token: nil, headers: ["Authorization: Basic \(adminToken)"])
            #expect(basic.status == 401)
            #expect(admin.send("GET", "/v1/providers", token: nil, headers: ["Authorization: bearer \(adminToken)"]).status == 200)
        }
    }

    @Test func everyOperationButHealthNeedsTheToken() async throws {
        try await withAdmin { admin in
            let operations = admin.api.routes().operations
            #expect(operations.count > 20)
            for (method, pattern) in operations where pattern != "/healthz" {
                let path = pattern.replacingOccurrences(of: "{name}", with: "x").replacingOccurrences(of: "{id}", with: "x")
                let body: String? = ["POST", "PUT", "PATCH"].contains(method) ? "{}" : nil
                let reply = admin.send(method, path, body, token: nil)
                #expect(reply.status == 401, "\(method) \(pattern)")
                #expect(reply.header("WWW-Authenticate") != nil)
            }
        }
    }

    @Test func aClientKeyIsNotAnAdminToken() async throws {
        try await withAdmin { admin in
            let key = try #require(admin.send("POST", "/v1/client-keys", #"{"name":"c"}"#).json?["key"]?.string)
            #expect(admin.send("GET", "/v1/providers", token: key).status == 401)
            #expect(admin.send("GET", "/v1/providers", token: nil, headers: ["x-api-key: \(key)"]).status == 401)
        }
    }

    @Test func floodsOfWrongTokensAre429WhileTheRightTokenStillWorks() async throws {
        try await withAdmin(failuresPerAddress: 5) { admin in
            var statuses: [Int] = []
            for i in 0..<12 {
                statuses.append(admin.send("GET", "/v1/providers", token: "guess-\(i)").status)
                #expect(admin.send("GET", "/v1/providers").status == 200)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 })
            #expect(statuses.dropFirst(5).allSatisfy { $0 == 429 })
            let limited = admin.send("GET", "/v1/providers", token: "guess")
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
            // Tries come back with time.
            admin.clock.advance(6)
            #expect(admin.send("GET", "/v1/providers", token: "guess").status == 401)
            #expect(admin.send("GET", "/v1/providers", token: "guess").status == 429)
        }
    }

    @Test func unknownPathsAndMethods() async throws {
        try await withAdmin { admin in
            #expect(admin.send("GET", "/v1/nope").status == 404)
            let wrong = admin.send("POST", "/v1/settings", "{}")
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") != nil)
            #expect(wrong.errorCode == "method_not_allowed")
        }
    }
}
