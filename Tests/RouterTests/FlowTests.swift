import Store
import Testing
@testable import Router

/// Whole requests through resolution, selection, affinity and failover together.
@Suite struct FlowTests {
    /// A Claude Code session keeps its credential across turns and survives a brief 429.
    @Test func claudeSessionAcrossTurns() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("anthropic", .anthropic, models: ["claude-*"])],
                                        credentials: (1...4).map { Fixture.credential("k\($0)", "anthropic") }))
        let facts = SessionFacts(metadataUserID: "user_9f_account__session_6c1d2f7a-0000-4000-8000-000000000001",
                                 firstSystemText: "You are Claude Code", firstUserText: "fix the bug")
        let session = SessionKey(facts)!
        #expect(session.source == .claudeSession)
        let bound = d.serve("claude-sonnet-4(high)", session: session)!.credentialID
        for _ in 0..<3 { #expect(d.serve("claude-sonnet-4", session: session)?.credentialID == bound) }
        let run = d.run("claude-sonnet-4", session: session, outcomes: [bound: .failed(.quota(hint: 2))])
        #expect(run.tried.first == bound && run.served?.credentialID != bound)
        d.advance(2)
        #expect(d.serve("claude-sonnet-4", session: session)?.credentialID == bound)
        // The admin's explain sees the binding through the stored id.
        let explained = d.state.explain(RouteRequest(model: "claude-sonnet-4", session: SessionKey(stored: session.ids[0])),
                                        snapshot: d.snapshot, now: d.now)
        #expect(explained.selected?.credentialID == bound)
        if case .bound = explained.affinity {} else { Issue.record("explain should report the binding") }
    }

    /// `prefix/model` across two providers: only prefixed credentials, provider rotation, failover.
    @Test func prefixAcrossProviders() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p"), Fixture.provider("q")],
                                        credentials: [Fixture.credential("p-team", "p", prefix: "team"), Fixture.credential("p-other", "p"),
                                                      Fixture.credential("q-team", "q", prefix: "team")]))
        let served = (0..<4).map { _ in d.serve("team/gpt-4o")! }
        #expect(Set(served.map(\.credentialID)) == ["p-team", "q-team"])
        #expect(served.allSatisfy { $0.model == "gpt-4o" })
        let run = d.run("team/gpt-4o", outcomes: ["p-team": .failed(.server), "q-team": .failed(UpstreamFailure(transport: .timeout))])
        #expect(Set(run.tried) == ["p-team", "q-team"] && run.end?.kind == .allCooling)
        #expect(run.end?.earliest?.reason == .transient)
    }

    /// Waiting for the earliest recovery and starting another round, as the attempt loop does.
    @Test func waitAndNextRound() throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")]))
        var attempt = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let pick) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now) else { return }
        #expect(d.state.report(.failed(.quota(hint: 3)), for: pick, in: &attempt, snapshot: d.snapshot, now: d.now) == .failOver)
        guard case .exhausted(let why) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now),
              let earliest = why.earliest else { Issue.record("expected exhaustion"); return }
        #expect(why.kind == .allCooling && earliest.retryAfterSeconds(now: d.now) == 3)
        d.now = earliest.retryAt
        d.state.nextRound(&attempt)
        #expect(attempt.round == 2)
        guard case .candidate(let again) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now) else {
            Issue.record("expected the recovered candidate"); return
        }
        #expect(again.isProbe && again.candidate.credentialID == "a")
        #expect(d.state.report(.succeeded, for: again, in: &attempt, snapshot: d.snapshot, now: d.now) == .answer)
    }

    /// While another request probes the only candidate, a waiting request is told to look again
    /// a second later at every round, not at a moment already past (which spent its rounds at once).
    @Test func waitingOnAnotherRequestsProbe() throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")]))
        var prober = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let pick) = d.state.next(&prober, snapshot: d.snapshot, now: d.now) else { return }
        _ = d.state.report(.failed(.quota(hint: 2)), for: pick, in: &prober, snapshot: d.snapshot, now: d.now)
        d.now = d.now.adding(seconds: 2)
        prober = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let probe) = d.state.next(&prober, snapshot: d.snapshot, now: d.now), probe.isProbe else {
            Issue.record("expected the probe"); return
        }
        var waiter = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        for round in 1...4 {
            guard case .exhausted(let why) = d.state.next(&waiter, snapshot: d.snapshot, now: d.now),
                  let earliest = why.earliest else { Issue.record("round \(round): expected to wait"); return }
            #expect(earliest.retryAt == d.now.adding(seconds: 1), "round \(round)")
            d.now = earliest.retryAt
            d.state.nextRound(&waiter)
        }
        #expect(d.state.report(.succeeded, for: probe, in: &prober, snapshot: d.snapshot, now: d.now) == .answer)
        guard case .candidate(let served) = d.state.next(&waiter, snapshot: d.snapshot, now: d.now) else {
            Issue.record("expected the recovered candidate"); return
        }
        #expect(!served.isProbe && served.candidate.credentialID == "a")
    }

    @Test func storedSessionIDs() {
        #expect(SessionKey(stored: "h:abc").source == .messageHash)
        #expect(SessionKey(stored: "abc").ids == ["sid:abc"])
    }
}
