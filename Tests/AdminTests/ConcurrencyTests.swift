import Foundation
import Testing

@Suite struct ConcurrencyTests {
    /// The same PUT sent concurrently creates one row: exactly one 201, the rest 200.
    @Test func concurrentIdenticalPutsCreateOneRow() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { admin.send("PUT", "/v1/credentials/shared", Body.credential()).status }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 200 }.count == 11, "\(statuses)")
            #expect(admin.send("GET", "/v1/credentials").json?["data"]?.array?.count == 1)
        }
    }

    /// The same POST sent concurrently creates one route: exactly one 201, the rest 409.
    @Test func concurrentCreationsOfOneRouteAreOne201AndThe409s() async throws {
        try await withAdmin { admin in
            _ = admin.send("POST", "/v1/providers", Body.openAI)
            let route = #"{"name":"smart","targets":[{"provider":"openai","model":"gpt-4o"}]}"#
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { admin.send("POST", "/v1/routes", route).status }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 11, "\(statuses)")
        }
    }

    /// Concurrent PATCHes of different settings all land (read-modify-write happens in the store).
    @Test func concurrentPatchesDoNotLoseUpdates() async throws {
        try await withAdmin { admin in
            let fields = ["unauthorized_seconds", "payment_seconds", "not_found_seconds", "transient_seconds",
                          "quota_max_seconds", "probe_after_seconds"]
            await withTaskGroup(of: Void.self) { group in
                for (i, field) in fields.enumerated() {
                    group.addTask { _ = admin.send("PATCH", "/v1/settings", #"{"cooldowns":{"\#(field)":\#(100 + i)}}"#) }
                }
            }
            let cooldowns = admin.send("GET", "/v1/settings").json?["cooldowns"]
            for (i, field) in fields.enumerated() { #expect(cooldowns?[field]?.int == 100 + i, "\(field)") }
        }
    }
}
