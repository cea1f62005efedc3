import Store
import Testing
@testable import Router

/// SPEC §6 selection: tiers, priorities, strategies, provider rotation, routes, limits and the
/// final answers when nothing can serve.
@Suite struct SelectionTests {
    static func one(_ credentials: [Credential], strategy: SelectionStrategy = .roundRobin, sticky: Int = 3,
                    maxCredentials: Int = 5) -> Driver {
        Driver(Fixture.snapshot(providers: [Fixture.provider("p")], credentials: credentials) {
            $0.strategy = strategy
            $0.stickyLimit = sticky
            $0.retry.maxCredentials = maxCredentials
        })
    }

    static let abc = ["a", "b", "c"].map { Fixture.credential($0, "p") }

    @Test(arguments: [
        (SelectionStrategy.roundRobin, 2, ["a", "b", "c", "a", "b", "c", "a"]),
        (.fillFirst, 2, ["a", "a", "a", "a", "a", "a", "a"]),
        (.stickyRoundRobin, 3, ["a", "a", "a", "b", "b", "b", "c"]),
        (.stickyRoundRobin, 1, ["a", "b", "c", "a", "b", "c", "a"]),
    ])
    func strategySequence(_ strategy: SelectionStrategy, _ sticky: Int, _ expected: [String]) {
        var d = Self.one(Self.abc, strategy: strategy, sticky: sticky)
        #expect(d.sequence("m", 7) == expected)
    }

    /// An unrelated admin write (a new configuration version) continues every rotation instead
    /// of sending the next requests to the first credential again.
    @Test(arguments: [
        (SelectionStrategy.roundRobin, 2, ["a", "b"], ["c", "a", "b"]),
        (.stickyRoundRobin, 4, ["a", "a", "a", "b"], ["b", "b", "c"]),
    ])
    func aConfigurationChangeContinuesTheRotation(_ strategy: SelectionStrategy, _ before: Int, _ first: [String], _ then: [String]) {
        var d = Self.one(Self.abc, strategy: strategy)
        #expect(d.sequence("m", before) == first)
        d.snapshot = Fixture.snapshot(providers: [Fixture.provider("p")], credentials: Self.abc,
                                      clientKeys: [Fixture.clientKey(models: ["*"])], version: 2) {
            $0.strategy = strategy
            $0.stickyLimit = 3
        }
        #expect(d.sequence("m", then.count) == then)
    }

    @Test func tiersThenPriorities() {
        var d = Self.one([Fixture.credential("t1", "p", tier: 1, priority: 9), Fixture.credential("low", "p", priority: 1),
                          Fixture.credential("high", "p", priority: 5), Fixture.credential("high2", "p", priority: 5)])
        #expect(d.sequence("m", 4) == ["high", "high2", "high", "high2"])
        d.fail("high", model: "m", .quota(hint: 10))
        d.fail("high2", model: "m", .quota(hint: 10))
        #expect(d.sequence("m", 2) == ["low", "low"])
        d.fail("low", model: "m", .quota(hint: 10))
        #expect(d.sequence("m", 1) == ["t1"])
        // Failover order within one request follows the same ranking.
        d.advance(11)
        let run = d.run("m", outcomes: ["high": .failed(.server), "high2": .failed(.server), "low": .failed(.server)])
        #expect(run.tried.sorted() == ["high", "high2", "low", "t1"].sorted() && run.tried.last == "t1")
        #expect(Array(run.tried.prefix(2)).sorted() == ["high", "high2"])
    }

    /// Round-robin skips cooling credentials without losing its place; cooled ones rejoin.
    @Test func roundRobinSkipsCooling() {
        var d = Self.one(Self.abc)
        d.fail("b", model: "m", .quota(hint: 5))
        #expect(d.sequence("m", 4) == ["a", "c", "a", "c"])
        d.advance(5)
        #expect(d.sequence("m", 3) == ["a", "b", "c"])
    }

    /// Several providers without a route: the starting provider rotates per model.
    @Test func providerRotation() {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p"), Fixture.provider("q")],
                                        credentials: [Fixture.credential("p1", "p"), Fixture.credential("q1", "q")]))
        #expect(d.sequence("m", 4) == ["p1", "q1", "p1", "q1"])
        // Another model has its own rotation.
        #expect(d.sequence("n", 1) == ["p1"])
        // Failover crosses providers within one request.
        let run = d.run("m", outcomes: ["p1": .failed(.quota), "q1": .failed(.quota)])
        #expect(Set(run.tried) == ["p1", "q1"] && run.end?.kind == .allCooling)
    }

    @Test func routeStrategies() {
        let targets = [RouteTarget(provider: "p", model: "x"), RouteTarget(provider: "q", model: "y")]
        for (strategy, expected) in [(RouteStrategy.fallback, ["p1", "p1", "p1", "p1"]), (.roundRobin, ["p1", "q1", "p1", "q1"])] {
            var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p"), Fixture.provider("q")],
                                            credentials: [Fixture.credential("p1", "p", tier: 3), Fixture.credential("q1", "q")],
                                            routes: [Route(name: "r", targets: targets, strategy: strategy)]))
            #expect(d.sequence("r", 4) == expected)
            let run = d.run("r", outcomes: ["p1": .failed(.server)])
            #expect(run.served?.credentialID == "q1" && run.served?.model == "y")
        }
    }

    @Test func maxCredentialsPerAttempt() {
        var d = Self.one((1...6).map { Fixture.credential("c\($0)", "p") }, strategy: .fillFirst, maxCredentials: 3)
        let failing = Dictionary(uniqueKeysWithValues: (1...6).map { ("c\($0)", AttemptOutcome.failed(.server)) })
        let run = d.run("m", outcomes: failing)
        #expect(run.tried == ["c1", "c2", "c3"])
        #expect(run.end?.kind == .triedAll)
    }

    @Test func allCoolingReportsEarliestRecovery() throws {
        var d = Self.one(Self.abc)
        d.fail("a", model: "m", .quota(hint: 40))
        d.fail("b", model: "m", .quota(hint: 7.2))
        d.fail("c", model: "m", UpstreamFailure(status: 503))
        let run = d.run("m")
        let end = try #require(run.end)
        #expect(run.tried.isEmpty && end.kind == .allCooling)
        #expect(end.earliest?.candidate.credentialID == "b" && end.earliest?.candidate.model == "m")
        #expect(end.earliest?.reason == .quota)
        #expect(end.earliest?.retryAfterSeconds(now: d.now) == 8)
    }

    @Test func allUnauthorizedIsDistinct() {
        var d = Self.one(Self.abc)
        let run = d.run("m", outcomes: ["a": .failed(.unauthorized), "b": .failed(.unauthorized), "c": .failed(.unauthorized)])
        #expect(run.tried.count == 3 && run.end?.kind == .allUnauthorized)
        #expect(d.run("m").end?.kind == .allUnauthorized)
    }

    @Test func noneEnabledIsDistinct() {
        var d = Self.one([Fixture.credential("a", "p", enabled: false)])
        #expect(throws: RoutingError.noneEnabled("m")) {
            try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        }
    }

    /// After the deadline exactly one request probes; concurrent requests use other candidates.
    @Test func halfOpenProbeThroughSelection() throws {
        var d = Self.one(Self.abc, strategy: .fillFirst)
        d.fail("a", model: "m", .quota)
        #expect(d.sequence("m", 2) == ["b", "b"])
        d.advance(1)
        var first = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        var second = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let probe) = d.state.next(&first, snapshot: d.snapshot, now: d.now),
              case .candidate(let other) = d.state.next(&second, snapshot: d.snapshot, now: d.now) else {
            Issue.record("expected candidates"); return
        }
        #expect(probe.candidate.credentialID == "a" && probe.isProbe)
        #expect(other.candidate.credentialID == "b" && !other.isProbe)
        // The probe fails: next backoff step (2 s).
        _ = d.state.report(.failed(.quota), for: probe, in: &first, snapshot: d.snapshot, now: d.now)
        #expect(d.state.status(credentialID: "a", now: d.now).first?.until == d.now.adding(seconds: 2))
        d.advance(2)
        #expect(d.serve("m")?.credentialID == "a")
        #expect(d.state.status(now: d.now).isEmpty)
    }

    /// A cooldown recorded after `begin` is honoured by `next`.
    @Test func nextRechecksHealth() throws {
        var d = Self.one(Self.abc, strategy: .fillFirst)
        var attempt = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        #expect(attempt.plannedCandidates.first?.credentialID == "a")
        d.fail("a", model: "m", .quota)
        guard case .candidate(let pick) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now) else { return }
        #expect(pick.candidate.credentialID == "b")
    }

    /// Explain is a dry run: no cursor moves, no probe taken, reasons for each candidate.
    @Test func explainChangesNothing() {
        var d = Self.one(Self.abc + [Fixture.credential("t1", "p", tier: 1), Fixture.credential("off", "p", enabled: false),
                                     Fixture.credential("narrow", "p", models: ["other"])], maxCredentials: 2)
        d.fail("b", model: "m", .quota(hint: 30))
        let explanation = d.state.explain(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        #expect(explanation.selected?.credentialID == "a")
        let verdicts = Dictionary(uniqueKeysWithValues: explanation.entries.map { ($0.candidate.credentialID, $0.verdict) })
        #expect(verdicts["a"] == .selected)
        #expect(verdicts["b"] == .cooling(reason: .quota, until: d.now.adding(seconds: 30),
                                          scope: HealthKey(credentialID: "b", model: "m"), probeInFlight: false))
        #expect(verdicts["c"] == .fallback(position: 2))
        #expect(verdicts["t1"] == .notReached(because: "tier"))
        #expect(verdicts["off"] == .excluded(.credentialDisabled))
        #expect(verdicts["narrow"] == .excluded(.notInAllowList))
        let again = d.state.explain(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        #expect(again.selected?.credentialID == "a")
        #expect(d.sequence("m", 2) == ["a", "c"])
        // Half-open: explain names the probe but does not take it.
        d.advance(30)
        d.fail("a", model: "m", .quota(hint: 60))
        d.fail("c", model: "m", .quota(hint: 60))
        #expect(d.state.explain(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now).selectedIsProbe)
        #expect(d.serve("m")?.credentialID == "b")
    }
}
