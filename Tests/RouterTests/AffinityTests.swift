import Store
import Testing
@testable import Router

/// SPEC §6 session affinity: id sources in order, hash inheritance, provider scoping, soft
/// escape and return, rebinding.
@Suite struct AffinityTests {
    @Test(arguments: [
        (SessionFacts(metadataUserID: "user_abc_account_def_session_0f9c7e4e-1111-4a5b-9c3d-2e2e2e2e2e2e", sessionHeader: "h"),
         "claude:0f9c7e4e-1111-4a5b-9c3d-2e2e2e2e2e2e", SessionSource.claudeSession),
        (SessionFacts(metadataUserID: #"{"device_id":"d","session_id":"s-42"}"#, sessionHeader: "h"), "claude:s-42", .claudeSession),
        (SessionFacts(metadataUserID: "plain-user", sessionHeader: "hdr", ampThreadID: "T-1"), "sid:hdr", .sessionHeader),
        (SessionFacts(metadataUserID: "plain-user", ampThreadID: "T-1", conversationID: "c"), "amp:T-1", .ampThread),
        (SessionFacts(metadataUserID: "plain-user", conversationID: "c"), "user:plain-user", .metadataUserID),
        (SessionFacts(conversationID: "conv-9", firstUserText: "hi"), "conv:conv-9", .conversationID),
    ])
    func sources(_ facts: SessionFacts, _ id: String, _ source: SessionSource) throws {
        let key = try #require(SessionKey(facts))
        #expect(key.ids == [id])
        #expect(key.source == source)
    }

    @Test func messageHashes() throws {
        let turn1 = try #require(SessionKey(SessionFacts(firstSystemText: "You are terse.", firstUserText: "Hello")))
        let turn2 = try #require(SessionKey(SessionFacts(firstSystemText: "You are terse.", firstUserText: "Hello",
                                                         firstAssistantText: "Hi.")))
        #expect(turn1.source == .messageHash && turn1.ids.count == 1)
        #expect(turn2.ids.count == 2 && turn2.ids[1] == turn1.ids[0] && turn2.ids[0] != turn1.ids[0])
        // Only the first 100 characters of each count.
        let long = String(repeating: "x", count: 100)
        #expect(SessionKey(SessionFacts(firstUserText: long + "A"))?.ids == SessionKey(SessionFacts(firstUserText: long + "B"))?.ids)
        #expect(SessionKey(SessionFacts()) == nil)
        #expect(!turn1.ids[0].contains("Hello"))
    }

    static func driver(providers: [String] = ["p"], perProvider: Int = 3) -> Driver {
        Driver(Fixture.snapshot(providers: providers.map { Fixture.provider($0) },
                                credentials: providers.flatMap { p in (1...perProvider).map { Fixture.credential("\(p)\($0)", p) } }))
    }

    static let s1 = SessionKey(ids: ["sid:s1"], source: .sessionHeader)
    static let s2 = SessionKey(ids: ["sid:s2"], source: .sessionHeader)

    @Test func bindingSticksAcrossRoundRobin() {
        var d = Self.driver()
        let first = d.serve("m", session: Self.s1)!.credentialID
        #expect((0..<5).map { _ in d.serve("m", session: Self.s1)!.credentialID } == Array(repeating: first, count: 5))
        // Other traffic still rotates, and another session binds on its own.
        #expect(Set((0..<3).map { _ in d.serve("m")!.credentialID }).count == 3)
        #expect(d.state.sessions(now: d.now).count == 1)
        // Bindings are per model.
        _ = d.serve("other", session: Self.s1)
        #expect(d.state.sessions(now: d.now).count == 2)
    }

    /// Turn two (with an assistant text) inherits turn one's binding through the second hash.
    @Test func hashInheritance() {
        var d = Self.driver()
        let turn1 = SessionKey(SessionFacts(firstSystemText: "sys", firstUserText: "q"))!
        let turn2 = SessionKey(SessionFacts(firstSystemText: "sys", firstUserText: "q", firstAssistantText: "a"))!
        let bound = d.serve("m", session: turn1)!.credentialID
        _ = d.serve("m")  // move the round-robin cursor
        #expect(d.serve("m", session: turn2)?.credentialID == bound)
        #expect(d.serve("m", session: turn2)?.credentialID == bound)
        #expect(d.state.sessions(now: d.now).map(\.key.session).contains(turn2.ids[0]))
    }

    /// A fallback route's order wins over a binding on a later target: a session that failed over
    /// to the second target returns to the first as soon as it serves again (SPEC §6: a binding on
    /// one provider never pins another provider's credentials); within a target the binding holds.
    @Test func aFallbackRouteLeadsOverABindingOnALaterTarget() {
        let targets = [RouteTarget(provider: "p", model: "x"), RouteTarget(provider: "q", model: "y")]
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p"), Fixture.provider("q")],
                                        credentials: [Fixture.credential("p1", "p"), Fixture.credential("q1", "q")],
                                        routes: [Route(name: "r", targets: targets, strategy: .fallback)]))
        // p1 fails in the session's first request, which q1 serves: the session is bound on q.
        #expect(d.run("r", session: Self.s1, outcomes: ["p1": .failed(UpstreamFailure(status: 500))]).served?.credentialID == "q1")
        #expect(d.serve("r", session: Self.s1)?.credentialID == "q1")  // p1 still cooling
        d.state.reset(credentialID: "p1", now: d.now)
        #expect(d.serve("r", session: Self.s1)?.credentialID == "p1")
        #expect(d.serve("r", session: Self.s1)?.credentialID == "p1")
    }

    /// A brief cooldown is escaped without losing the binding; the session returns afterwards.
    @Test func softEscapeAndReturn() {
        var d = Self.driver()
        let bound = d.serve("m", session: Self.s1)!.credentialID
        d.fail(bound, model: "m", .quota(hint: 20))
        let elsewhere = d.serve("m", session: Self.s1)!.credentialID
        #expect(elsewhere != bound)
        #expect(d.state.sessions(now: d.now).first?.binding.credentialID == bound)
        d.advance(20)
        #expect(d.serve("m", session: Self.s1)?.credentialID == bound)
    }

    /// An auth failure or a long cooldown rebinds to the credential that served.
    @Test(arguments: [UpstreamFailure.unauthorized, .quota(hint: 600), UpstreamFailure(status: 404)])
    func rebinding(_ failure: UpstreamFailure) {
        var d = Self.driver()
        let bound = d.serve("m", session: Self.s1)!.credentialID
        let run = d.run("m", session: Self.s1, outcomes: [bound: .failed(failure)])
        let served = run.served!.credentialID
        #expect(run.tried == [bound, served])
        #expect(d.state.sessions(now: d.now).first?.binding.credentialID == served)
        #expect(d.serve("m", session: Self.s1)?.credentialID == served)
    }

    /// A failure inside the request with a short cooldown keeps the binding (soft escape).
    @Test func shortFailureInRequestKeepsBinding() {
        var d = Self.driver()
        let bound = d.serve("m", session: Self.s1)!.credentialID
        let run = d.run("m", session: Self.s1, outcomes: [bound: .failed(.quota(hint: 5))])
        #expect(run.served?.credentialID != bound)
        #expect(d.state.sessions(now: d.now).first?.binding.credentialID == bound)
    }

    /// A binding on one provider never pins or blocks another provider's credentials.
    @Test func providerScoping() {
        var d = Self.driver(providers: ["p", "q"], perProvider: 2)
        let bound = d.serve("m", session: Self.s1)!
        // The bound credential leads while usable, whichever provider the rotation starts with.
        #expect((0..<4).map { _ in d.serve("m", session: Self.s1)! } == Array(repeating: bound, count: 4))
        // Other requests still use both providers and every credential.
        #expect(Set((0..<4).map { _ in d.serve("m")!.credentialID }).count == 4)
        // The session's binding lives on its provider only.
        let sessions = d.state.sessions(now: d.now)
        #expect(sessions.count == 1 && sessions[0].key.provider == bound.provider)
        // Its provider entirely out: served by the other provider, bound there, old binding untouched.
        let other = bound.provider == "p" ? "q" : "p"
        for id in ["\(bound.provider)1", "\(bound.provider)2"] { d.fail(id, model: "m", .unauthorized) }
        let served = d.serve("m", session: Self.s1)!
        #expect(served.provider == other)
        #expect(d.state.sessions(now: d.now).count == 2)
        #expect(d.serve("m", session: Self.s1) == served)
    }

    /// Affinity does not override tiers: once the preferred tier recovers, the session rebinds.
    @Test func bindingDoesNotOverrideTiers() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")],
                                        credentials: [Fixture.credential("t0", "p"), Fixture.credential("t1", "p", tier: 1)]))
        d.fail("t0", model: "m", .quota(hint: 300))
        #expect(d.serve("m", session: Self.s1)?.credentialID == "t1")
        d.advance(300)
        #expect(d.serve("m", session: Self.s1)?.credentialID == "t0")
        #expect(d.state.sessions(now: d.now).first?.binding.credentialID == "t0")
    }

    /// An invalid request on a probe gives the probe back.
    @Test func invalidRequestReleasesProbe() throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")]))
        d.fail("a", model: "m", .quota)
        d.advance(1)
        let invalid = UpstreamFailure(status: 400, errorType: "invalid_request_error", message: "bad")
        #expect(d.serve("m", outcome: .failed(invalid))?.credentialID == "a")
        #expect(d.state.health.needsProbe(credentialID: "a", model: "m", now: d.now))
    }

    @Test func ttlSlidesAndExpires() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")],
                                        credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p")]) {
            $0.sessionAffinity.ttlSeconds = 100
        })
        let bound = d.serve("m", session: Self.s1)!.credentialID
        d.advance(90)
        #expect(d.serve("m", session: Self.s1)?.credentialID == bound)
        d.advance(90)  // 180 s after binding, 90 s after last use
        #expect(d.serve("m", session: Self.s1)?.credentialID == bound)
        d.advance(101)
        _ = d.serve("m")
        #expect(d.state.sessions(now: d.now).isEmpty)
    }

    @Test func disabledAffinityIgnoresSessions() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")],
                                        credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p")]) {
            $0.sessionAffinity.enabled = false
        })
        #expect((0..<4).map { _ in d.serve("m", session: Self.s1)!.credentialID } == ["a", "b", "a", "b"])
        #expect(d.state.sessions(now: d.now).isEmpty)
    }
}
