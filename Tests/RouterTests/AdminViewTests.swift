import Store
import Testing
@testable import Router

/// Live views and operations the admin API and the persister use.
@Suite struct AdminViewTests {
    static func driver() -> Driver {
        Driver(Fixture.snapshot(providers: [Fixture.provider("p")],
                                credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p")]) {
            $0.strategy = .fillFirst
        })
    }

    @Test func resetTakesEffectInTheLiveState() {
        var d = Self.driver()
        d.fail("a", model: "m", .quota(hint: 600))
        d.fail("a", model: "n", .unauthorized)
        #expect(d.state.status(credentialID: "a", now: d.now).count == 2)
        #expect(d.serve("m")?.credentialID == "b")
        d.state.reset(credentialID: "a", now: d.now)
        #expect(d.state.status(now: d.now).isEmpty)
        #expect(d.serve("m")?.credentialID == "a")
        let changes = d.state.takeChanges(now: d.now)
        #expect(Set(changes.removedHealth) == [HealthKey(credentialID: "a", model: "m"), .credential("a")])
    }

    @Test func availabilityQuestions() {
        var d = Self.driver()
        d.fail("a", model: "m", .quota(hint: 10))
        #expect(d.state.health.availableAt(credentialID: "a", model: "m", now: d.now) == d.now.adding(seconds: 10))
        #expect(d.state.health.availableAt(credentialID: "b", model: "m", now: d.now) == d.now)
        #expect(!d.state.health.needsProbe(credentialID: "a", model: "m", now: d.now))
        d.advance(10)
        #expect(d.state.health.needsProbe(credentialID: "a", model: "m", now: d.now))
        let status = d.state.status(now: d.now)
        #expect(status.first?.halfOpen == true && status.first?.lastStatus == 429 && status.first?.lastError == "HTTP 429")
    }

    /// A long cooldown's early probe goes through selection like a half-open one: one request.
    @Test func earlyProbeThroughSelection() {
        var d = Self.driver()
        d.fail("a", model: "m", .quota(hint: 3600))
        d.advance(899)
        #expect(d.serve("m")?.credentialID == "b")
        d.advance(1)
        #expect(d.serve("m", outcome: .failed(.quota(hint: 3600)))?.credentialID == "a")
        #expect(d.serve("m")?.credentialID == "b")
        d.advance(900)
        #expect(d.serve("m")?.credentialID == "a")
        #expect(d.state.status(now: d.now).isEmpty)
    }

    @Test func batchesOfChanges() {
        var d = Self.driver()
        let session = SessionKey(ids: ["sid:z"], source: .sessionHeader)
        _ = d.serve("m", session: session)
        d.fail("b", model: "m", .server)
        let batch = d.state.takeChanges(now: d.now)
        #expect(batch.bindings.map(\.credentialID) == ["a"])
        #expect(batch.health.map(\.reason) == ["transient"] && batch.health.first?.cooldownUntil == d.now.adding(seconds: 60).date)
        #expect(d.state.takeChanges(now: d.now).isEmpty)
        #expect(d.state.removeSessions(provider: "p") == 1)
        #expect(d.state.sessions(now: d.now).isEmpty)
    }

    @Test func slidingTheTTLIsPersistedAtMostOncePerTenthOfIt() {
        var d = Self.driver()
        let session = SessionKey(ids: ["sid:busy"], source: .sessionHeader)
        _ = d.serve("m", session: session)
        #expect(d.state.takeChanges(now: d.now).bindings.count == 1)  // the new binding
        for _ in 0..<50 {  // a busy session: 50 requests within a few seconds
            d.advance(0.1)
            _ = d.serve("m", session: session)
        }
        #expect(d.state.takeChanges(now: d.now).bindings.isEmpty)
        d.advance(360)  // a tenth of the default 1 h TTL later
        _ = d.serve("m", session: session)
        let slid = d.state.takeChanges(now: d.now).bindings
        #expect(slid.count == 1)
        #expect(slid.first?.expiresAt == d.now.adding(seconds: 3600).date)
    }

    @Test func configChangeRebuildsPools() {
        var d = Self.driver()
        d.fail("a", model: "m", .quota(hint: 60))
        #expect(d.serve("m")?.credentialID == "b")
        d.snapshot = Fixture.snapshot(providers: [Fixture.provider("p")],
                                      credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p", enabled: false),
                                                    Fixture.credential("c", "p")], version: 2) { $0.strategy = .fillFirst }
        #expect(d.serve("m")?.credentialID == "c")  // a still cooling across the rebuild
        d.advance(60)
        #expect(d.serve("m")?.credentialID == "a")
    }
}
