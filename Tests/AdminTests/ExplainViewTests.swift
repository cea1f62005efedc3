import Foundation
import JSON
import Router
import Store
import Testing

@Suite struct ExplainViewTests {
    func explain(_ f: RuntimeFixture, _ body: String) -> Reply { f.admin.send("POST", "/v1/explain", body) }

    func verdicts(_ reply: Reply) -> [String: String] {
        var out: [String: String] = [:]
        for entry in reply.json?["candidates"]?.array ?? [] {
            out[entry["credential_id"]?.string ?? ""] = entry["verdict"]?.string
        }
        return out
    }

    @Test func explainsTheSelectedCandidateAndEveryOther() async throws {
        try await withRuntime { f in
            f.provision()
            _ = f.admin.send("PUT", "/v1/credentials/narrow", #"{"provider":"openai","api_key":"sk-narrow-0123456789","models":["gpt-3.5*"]}"#)
            _ = f.admin.send("PUT", "/v1/credentials/off", #"{"provider":"openai","api_key":"sk-off-0123456789","enabled":false}"#)
            let reply = explain(f, #"{"model":"gpt-4o","format":"openai"}"#)
            #expect(reply.status == 200, "\(reply.body)")
            let json = try #require(reply.json)
            #expect(json["selected"]?["credential_id"]?.string == "c1")
            #expect(json["selected"]?["probe"]?.bool == false)
            #expect(json["outcome"]?["action"]?.string == "serve")
            #expect(json["outcome"]?["status"]?.int == 200)
            #expect(json["resolution"]?["kind"]?.string == "match")
            #expect(json["resolution"]?["pools"]?.array?.first?.string == "openai:gpt-4o")
            #expect(json["affinity"]?["decision"]?.string == "none")
            #expect(verdicts(reply) == ["c1": "selected", "c2": "fallback", "c3": "fallback", "narrow": "excluded", "off": "excluded"])
            let entries = try #require(json["candidates"]?.array)
            let narrow = try #require(entries.first { $0["credential_id"]?.string == "narrow" })
            #expect(narrow["reason"]?.string == "not_in_credential_allow_list")
            let c2 = try #require(entries.first { $0["credential_id"]?.string == "c2" })
            #expect(c2["position"]?.int == 2)
        }
    }

    @Test func showsCooldownsWithTheirResetTime() async throws {
        try await withRuntime { f in
            f.provision()
            f.registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: 90)], bindings: [])
            let reply = explain(f, #"{"model":"gpt-4o"}"#)
            let json = try #require(reply.json)
            #expect(json["selected"]?["credential_id"]?.string == "c2")
            let c1 = try #require(json["candidates"]?.array?.first { $0["credential_id"]?.string == "c1" })
            #expect(c1["verdict"]?.string == "cooling")
            #expect(c1["reason"]?.string == "quota")
            #expect(c1["scope"]?.string == "model")
            #expect(c1["until"]?.string == "2027-01-15T08:01:30.000Z")
            #expect(c1["seconds_remaining"]?.int == 90)

            // Everything cooling: a short cooldown is waited for, a long one is a 429.
            f.registry.restore(health: [f.cooling("c2", "", "quota", seconds: 10), f.cooling("c3", "", "quota", seconds: 20)], bindings: [])
            let wait = try #require(explain(f, #"{"model":"gpt-4o"}"#).json)
            #expect(wait["selected"]?.isNull == true)
            #expect(wait["outcome"]?["action"]?.string == "wait")
            #expect(wait["outcome"]?["retry_after_seconds"]?.int == 10)
            f.registry.restore(health: [f.cooling("c1", "", "unauthorized", seconds: 1800), f.cooling("c2", "", "quota", seconds: 600),
                                        f.cooling("c3", "", "quota", seconds: 700)], bindings: [])
            let reject = try #require(explain(f, #"{"model":"gpt-4o"}"#).json)
            #expect(reject["outcome"]?["action"]?.string == "reject")
            #expect(reject["outcome"]?["status"]?.int == 429)
            #expect(reject["outcome"]?["code"]?.string == "all_cooling")
            #expect(reject["outcome"]?["retry_after_seconds"]?.int == 600)
        }
    }

    @Test func answersAsTheGatewayWouldForUnknownOrForbiddenModels() async throws {
        try await withRuntime { f in
            f.provision()
            let missing = explain(f, #"{"model":"claude-3"}"#)
            #expect(missing.status == 404)
            #expect(missing.errorCode == "model_not_found")
            let key = f.admin.send("POST", "/v1/client-keys", #"{"name":"limited","models":["claude-*"]}"#)
            let keyID = try #require(key.json?["id"]?.string)
            let forbidden = explain(f, #"{"model":"gpt-4o","client_key_id":"\#(keyID)"}"#)
            #expect(forbidden.status == 403)
            #expect(forbidden.errorCode == "model_not_allowed")
            _ = f.admin.send("PATCH", "/v1/client-keys/\(keyID)", #"{"enabled":false,"models":[]}"#)
            #expect(explain(f, #"{"model":"gpt-4o","client_key_id":"\#(keyID)"}"#).errorCode == "client_key_disabled")
            // No enabled candidate: explained, with the 503 the gateway would answer.
            _ = f.admin.send("PATCH", "/v1/providers/openai", #"{"enabled":false}"#)
            let none = explain(f, #"{"model":"gpt-4o"}"#)
            #expect(none.status == 200)
            #expect(none.json?["outcome"]?["status"]?.int == 503)
            #expect(Set(verdicts(none).values) == ["excluded"])
        }
    }

    @Test func validatesTheBody() async throws {
        try await withRuntime { f in
            f.provision()
            #expect(explain(f, "not json").status == 400)
            #expect(explain(f, "[]").status == 400)
            let bad = explain(f, #"{"format":"xml","client_key_id":"nope","session_id":7,"extra":true}"#)
            #expect(bad.status == 422)
            #expect(Set(bad.errorFields) == ["model", "format", "client_key_id", "session_id", "extra"])
            #expect(bad.json?["errors"]?.array?.contains { $0["code"]?.string == "unknown_field" } == true)
            #expect(explain(f, #"{"model":""}"#).errorFields == ["model"])
            #expect(explain(f, #"{"model":"gpt-4o","format":null,"client_key_id":null,"session_id":null}"#).status == 200)
            #expect(explain(f, #"{"model":"models/gpt-4o","format":"gemini"}"#).json?["selected"]?["model"]?.string == "gpt-4o")
        }
    }

    @Test func isADryRunThatChangesNoState() async throws {
        try await withRuntime { f in
            f.provision()
            _ = f.admin.send("PUT", "/v1/credentials/c1", #"{"provider":"openai","api_key":"sk-test-c1-0123456789"}"#)
            // c1 and c2 now share tier 0 and priority 0: round-robin rotates between them. c3 was
            // half-open (its cooldown ended), so a real request would take its probe.
            f.registry.restore(health: [f.cooling("c3", "gpt-4o", "transient", seconds: -5)], bindings: [])
            let snapshot = f.store.snapshot
            let before = (f.registry.snapshot.revision, f.registry.status(), f.registry.sessions().count)
            var selected: Set<String> = []
            for _ in 0..<4 {
                let reply = explain(f, #"{"model":"gpt-4o","session_id":"conversation-1"}"#)
                #expect(reply.json?["affinity"]?["decision"]?.string == "unbound")
                #expect(reply.json?["session_id"]?.string == "sid:conversation-1")
                selected.insert(reply.json?["selected"]?["credential_id"]?.string ?? "")
            }
            #expect(selected.count == 1)  // no cursor moved
            let after = (f.registry.snapshot.revision, f.registry.status(), f.registry.sessions().count)
            #expect(before.0 == after.0)
            #expect(before.1 == after.1)
            #expect(after.2 == 0)  // no binding was written
            #expect(f.registry.status().allSatisfy { !$0.probeInFlight })  // no probe was taken

            // The real selection takes the candidate the explanation named.
            var attempt = try f.registry.begin(RouteRequest(model: "gpt-4o"), snapshot: snapshot)
            guard case .candidate(let pick) = f.registry.next(&attempt, snapshot: snapshot) else {
                Issue.record("no candidate")
                return
            }
            #expect(selected == [pick.candidate.credentialID])
            _ = f.registry.report(.abandoned, for: pick, in: &attempt, snapshot: snapshot)
        }
    }

    @Test func namesAProbeWithoutTakingIt() async throws {
        try await withRuntime { f in
            f.provision()
            // c1 (priority 5) cooled and its deadline passed: the next request is its single probe.
            f.registry.restore(health: [f.cooling("c1", "gpt-4o", "quota", seconds: -1)], bindings: [])
            let snapshot = f.store.snapshot
            for _ in 0..<2 {
                let json = try #require(explain(f, #"{"model":"gpt-4o"}"#).json)
                #expect(json["selected"]?["credential_id"]?.string == "c1")
                #expect(json["selected"]?["probe"]?.bool == true)
                #expect(json["candidates"]?[0]?["reason"]?.string == "probe")
            }
            #expect(f.registry.status().allSatisfy { !$0.probeInFlight })
            var attempt = try f.registry.begin(RouteRequest(model: "gpt-4o"), snapshot: snapshot)
            guard case .candidate(let pick) = f.registry.next(&attempt, snapshot: snapshot) else {
                Issue.record("no candidate")
                return
            }
            #expect(pick.candidate.credentialID == "c1" && pick.isProbe)
            #expect(f.registry.status().contains { $0.probeInFlight })
            // While the real probe is out, explain sees it in flight and names the next candidate.
            let during = try #require(explain(f, #"{"model":"gpt-4o"}"#).json)
            #expect(during["selected"]?["credential_id"]?.string == "c2")
            #expect(during["candidates"]?.array?.first { $0["credential_id"]?.string == "c1" }?["probe_in_flight"]?.bool == true)
            _ = f.registry.report(.abandoned, for: pick, in: &attempt, snapshot: snapshot)
        }
    }
}
