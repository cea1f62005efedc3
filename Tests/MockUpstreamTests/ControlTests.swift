import Foundation
@testable import MockUpstream
import TestSupport
import Testing

/// `/_mock/faults` rules by key and model with `times`, and the request log.
@Suite struct ControlTests {
    @Test func perKeyRuleWithTimesThenRecovers() async throws {
        let mock = try await TestMock()
        #expect(mock.script(#"{"key":"sk-a","fault":{"status":429,"headers":{"Retry-After":"1"}},"times":2}"#) == 201)
        let statuses = (0..<3).map { _ in mock.openAI(Bodies.openAI("hi"), key: "sk-a").status }
        #expect(statuses == [429, 429, 200])
        #expect(mock.openAI(Bodies.openAI("hi"), key: "sk-b").status == 200)
        let log = mock.requests()
        #expect(log.map { $0["fault"] is NSNull } == [false, false, true, true])
        #expect(string(log[0], "fault", "headers", "Retry-After") == "1")
        await mock.stop()
    }

    @Test func perModelRuleAcrossAPIsUntilCleared() async throws {
        let mock = try await TestMock()
        #expect(mock.script(#"{"model":"gemini-2.5-pro","fault":{"status":503}}"#) == 201)
        #expect(mock.gemini("gemini-2.5-pro", "generateContent", Bodies.gemini("x")).status == 503)
        #expect(mock.gemini("gemini-2.5-pro", "streamGenerateContent", Bodies.gemini("x"), query: "?alt=sse").status == 503)
        #expect(mock.gemini("gemini-2.5-flash", "generateContent", Bodies.gemini("x")).status == 200)
        #expect(mock.openAI(Bodies.openAI("x", model: "gemini-2.5-pro")).status == 503)
        let rules = try #require(decode(mock.get("/_mock/faults").body) as? [[String: Any]])
        #expect(rules.count == 1)
        #expect(rules[0]["remaining"] is NSNull)
        #expect(object(mock.send("/_mock/faults", [], nil, method: "DELETE").body)["deleted"] as? Int == 1)
        #expect(mock.gemini("gemini-2.5-pro", "generateContent", Bodies.gemini("x")).status == 200)
        await mock.stop()
    }

    @Test func rulesApplyInOrderAndKeyAndModelMustBothMatch() async throws {
        let mock = try await TestMock()
        mock.script(#"{"key":"k","model":"claude-sonnet-4-5","fault":{"status":429},"times":1}"#)
        mock.script(#"{"key":"k","fault":{"status":500}}"#)
        #expect(mock.anthropic(Bodies.anthropic("x", model: "claude-haiku-4-5"), key: "k").status == 500)
        #expect(mock.anthropic(Bodies.anthropic("x"), key: "k").status == 429)
        #expect(mock.anthropic(Bodies.anthropic("x"), key: "k").status == 500)
        #expect(mock.anthropic(Bodies.anthropic("x"), key: "other").status == 200)
        let rules = try #require(decode(mock.get("/_mock/faults").body) as? [[String: Any]])
        let id = try #require(rules.first?["id"] as? Int)
        #expect(mock.send("/_mock/faults/\(id)", [], nil, method: "DELETE").status == 200)
        #expect(mock.send("/_mock/faults/\(id)", [], nil, method: "DELETE").status == 404)
        #expect(mock.anthropic(Bodies.anthropic("x"), key: "k").status == 200)
        await mock.stop()
    }

    @Test func scriptedStreamFaultsWork() async throws {
        let mock = try await TestMock()
        mock.script(#"{"model":"gpt-4o","fault":{"reset_after_chunks":1},"times":1}"#)
        let cut = mock.openAI(Bodies.openAI("x", model: "gpt-4o", stream: true))
        #expect(cut.status == 200 && !cut.complete)
        #expect(mock.openAI(Bodies.openAI("x", model: "gpt-4o", stream: true)).complete)
        await mock.stop()
    }

    @Test func aHeaderFaultWinsAndLeavesScriptedRulesUnspent() async throws {
        let mock = try await TestMock()
        mock.script(#"{"key":"k","fault":{"status":429},"times":1}"#)
        #expect(mock.openAI(Bodies.openAI("x"), key: "k", extra: [#"X-Mock-Fault: {"status":503}"#]).status == 503)
        #expect(mock.openAI(Bodies.openAI("x"), key: "k").status == 429)
        #expect(mock.openAI(Bodies.openAI("x"), key: "k").status == 200)
        await mock.stop()
    }

    @Test func invalidControlRequestsAreRejected() async throws {
        let mock = try await TestMock()
        #expect(mock.script("nope") == 400)
        #expect(mock.script(#"{"fault":{"status":"429"}}"#) == 400)
        #expect(mock.script(#"{"fault":{"bogus":1}}"#) == 400)
        #expect(mock.script(#"{"fault":{"status":429},"times":0}"#) == 400)
        #expect(mock.script(#"{"fault":{"status":429},"extra":1}"#) == 400)
        #expect(mock.script(#"{"key":5,"fault":{}}"#) == 400)
        #expect(mock.script(#"{"fault":{"malformed":"xml"}}"#) == 400)
        await mock.stop()
    }

    @Test func requestsAreRecordedInOrderWithBodyHashes() async throws {
        let mock = try await TestMock()
        let first = Bodies.openAI("one", stream: true)
        _ = mock.openAI(first, key: "sk-1")
        _ = mock.anthropic(Bodies.anthropic("two"), key: "sk-2", extra: [#"X-Mock-Fault: {"status":500}"#])
        _ = mock.gemini("gemini-x", "streamGenerateContent", Bodies.gemini("three"), query: "?alt=sse", key: "g-3")
        _ = mock.openAI("abc", key: nil)
        let log = mock.requests()
        #expect(log.count == 4)
        #expect(log.map { $0["path"] as? String } == ["/v1/chat/completions", "/v1/messages",
                                                       "/v1beta/models/gemini-x:streamGenerateContent", "/v1/chat/completions"])
        #expect(log.map { $0["api"] as? String } == ["openai", "anthropic", "gemini", "openai"])
        #expect(log.map { $0["key"] as? String } == ["sk-1", "sk-2", "g-3", nil])
        #expect(log.map { $0["model"] as? String } == ["gpt-4o-mini", "claude-sonnet-4-5", "gemini-x", nil])
        #expect(log.map { $0["stream"] as? Bool } == [true, false, true, false])
        #expect(log[0]["body_sha256"] as? String == SHA256.hex(Array(first.utf8)))
        #expect(log[3]["body_sha256"] as? String == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(int(log[1], "fault", "status") == 500)
        #expect(mock.get("/_mock/requests").header("x-mock-total") == "4")
        #expect(mock.send("/_mock/requests", [], nil, method: "DELETE").status == 200)
        #expect(mock.requests().isEmpty)
        // A reset also restarts ids.
        #expect(mock.send("/_mock/reset", [], "{}").status == 200)
        #expect(string(object(mock.openAI(Bodies.openAI("x")).body), "id") == "chatcmpl-mock-1")
        await mock.stop()
    }

    @Test func theLogKeepsOnlyTheNewestRecordsPastItsCapacity() async throws {
        let mock = try await TestMock(maxRecords: 3)
        for index in 0..<5 { _ = mock.openAI(Bodies.openAI("\(index)", model: "m\(index)")) }
        #expect(mock.requests().map { $0["model"] as? String } == ["m2", "m3", "m4"])
        #expect(mock.get("/_mock/requests").header("x-mock-total") == "5")
        await mock.stop()
    }
}
