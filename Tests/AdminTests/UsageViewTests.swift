import Foundation
import JSON
import Store
import Testing

@Suite struct UsageViewTests {
    /// Five records in the hour before now (two providers, one error) and one two days earlier.
    func seed(_ f: RuntimeFixture) async throws {
        let now = f.admin.clock.now
        func record(_ ago: Double, _ provider: String?, status: Int = 200, latency: Int, input: Int = 0, output: Int = 0,
                    key: String? = "key_1", attempts: Int = 1) -> UsageRecord {
            UsageRecord(at: now.addingTimeInterval(-ago), requestID: UUID().uuidString, clientKeyID: key, route: nil,
                        provider: provider, credentialID: provider.map { "\($0)-cred" }, requestedModel: "gpt-4o",
                        status: status, attempts: attempts, latencyMilliseconds: latency, inputTokens: input, outputTokens: output,
                        cachedTokens: input / 10, reasoningTokens: output / 5)
        }
        try await f.store.appendUsage([
            record(3000, "openai", latency: 100, input: 100, output: 50),
            record(2990, "openai", latency: 300, input: 200, output: 100),
            record(1000, "openai", status: 429, latency: 20, attempts: 3),
            record(500, "anthropic", latency: 400, input: 10, output: 10, key: nil),
            record(10, nil, status: 404, latency: 5, key: nil),
            record(2 * 86_400, "openai", latency: 9999, input: 5),
        ])
    }

    @Test func aggregatesTheLastDayByDefault() async throws {
        try await withRuntime { f in
            try await seed(f)
            let reply = f.admin.send("GET", "/v1/usage")
            #expect(reply.status == 200, "\(reply.body)")
            let json = try #require(reply.json)
            #expect(json["from"]?.string == "2027-01-14T08:00:00.000Z")
            #expect(json["to"]?.string == "2027-01-15T08:00:00.000Z")
            #expect(json["group_by"]?.isNull == true)
            let totals = try #require(json["totals"])
            #expect(totals["requests"]?.int == 5)
            #expect(totals["errors"]?.int == 2)
            #expect(totals["attempts"]?.int == 7)
            #expect(totals["input_tokens"]?.int == 310)
            #expect(totals["output_tokens"]?.int == 160)
            #expect(totals["cached_tokens"]?.int == 31)
            #expect(totals["reasoning_tokens"]?.int == 32)
            #expect(totals["latency_ms_avg"]?.double == 165)
            #expect(totals["latency_ms_p95"]?.int == 400)
            #expect(json["groups"]?.array?.isEmpty == true)
            #expect(json["buckets"]?.array?.isEmpty == true)
        }
    }

    @Test func groupsAndBucketsOverAnExplicitWindow() async throws {
        try await withRuntime { f in
            try await seed(f)
            let now = Int(f.admin.clock.now.timeIntervalSince1970)
            // Unix seconds and RFC 3339 alike; the window leaves out the last record (10 s ago).
            let reply = f.admin.send("GET", "/v1/usage?from=\(now - 3600)&to=2027-01-15T07:59:00Z&group_by=provider&bucket=minute")
            #expect(reply.status == 200, "\(reply.body)")
            let json = try #require(reply.json)
            #expect(json["totals"]?["requests"]?.int == 4)
            let groups = try #require(json["groups"]?.array)
            #expect(groups.map { $0["key"]?.string } == ["openai", "anthropic"])
            #expect(groups[0]["totals"]?["requests"]?.int == 3)
            #expect(groups[0]["totals"]?["errors"]?.int == 1)
            #expect(groups[0]["totals"]?["latency_ms_avg"]?.double == 140)
            #expect(groups[0]["totals"]?["latency_ms_p95"]?.int == 300)
            let buckets = try #require(json["buckets"]?.array)
            #expect(buckets.map { $0["start"]?.string ?? "" } == ["2027-01-15T07:10:00.000Z", "2027-01-15T07:43:00.000Z",
                                                                   "2027-01-15T07:51:00.000Z"])
            #expect(buckets.map { $0["totals"]?["requests"]?.int ?? 0 } == [2, 1, 1])

            let byKey = try #require(f.admin.send("GET", "/v1/usage?group_by=client_key").json?["groups"]?.array)
            #expect(byKey.map { $0["key"] ?? .null } == [.string("key_1"), .null])
            for grouping in ["route", "credential", "model"] {
                #expect(f.admin.send("GET", "/v1/usage?group_by=\(grouping)&bucket=day").status == 200)
            }
        }
    }

    @Test func validatesEveryParameter() async throws {
        try await withRuntime { f in
            let bad = f.admin.send("GET", "/v1/usage?from=yesterday&to=-5&group_by=team&bucket=week")
            #expect(bad.status == 422)
            #expect(Set(bad.errorFields) == ["from", "to", "group_by", "bucket"])
            let backwards = f.admin.send("GET", "/v1/usage?from=2027-01-15T08:00:00Z&to=2027-01-15T07:00:00Z")
            #expect(backwards.status == 422)
            #expect(backwards.errorFields == ["from"])
            let future = f.admin.send("GET", "/v1/usage?from=2099-01-01T00:00:00Z")
            #expect(future.errorFields == ["from"])
            let tooMany = f.admin.send("GET", "/v1/usage?from=0&bucket=minute")
            #expect(tooMany.errorFields == ["bucket"])
            #expect(f.admin.send("GET", "/v1/usage?from=99999999999999").errorFields == ["from"])
            #expect(f.admin.send("GET", "/v1/usage?group_by=").errorFields == ["group_by"])
            #expect(f.admin.send("GET", "/v1/usage?from=%").status == 400)
            #expect(f.admin.send("GET", "/v1/usage?from=1800000000.5&to=1800000001").status == 200)
        }
    }
}
