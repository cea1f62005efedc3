import Store
import Testing
@testable import Router

/// The SPEC §6 outcome table and recovery rules, as tables driven by an explicit clock.
@Suite struct HealthMachineTests {
    struct Row: Sendable, CustomStringConvertible {
        let name: String
        let failure: UpstreamFailure?
        let scope: QuotaScope
        /// Expected key model (`""` credential-wide), reason and length in seconds; nil: no change.
        let expected: (model: String, reason: CooldownReason, seconds: Double)?
        let action: NextAction
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "429 no hint", failure: .quota, scope: .model, expected: ("m", .quota, 1), action: .failOver),
        Row(name: "429 hint", failure: .quota(hint: 12.5), scope: .model, expected: ("m", .quota, 12.5), action: .failOver),
        Row(name: "429 credential scope", failure: .quota, scope: .credential, expected: ("", .quota, 1), action: .failOver),
        Row(name: "401", failure: .unauthorized, scope: .model, expected: ("", .unauthorized, 1800), action: .failOver),
        Row(name: "402", failure: UpstreamFailure(status: 402), scope: .model, expected: ("", .payment, 1800), action: .failOver),
        Row(name: "403", failure: UpstreamFailure(status: 403), scope: .model, expected: ("", .payment, 1800), action: .failOver),
        Row(name: "404", failure: UpstreamFailure(status: 404), scope: .model, expected: ("m", .notFound, 43_200), action: .failOver),
        Row(name: "400 model unsupported", failure: UpstreamFailure(status: 400, errorType: "invalid_request_error",
                                                                 message: "The model `m` is not supported"),
            scope: .model, expected: ("m", .modelUnsupported, 43_200), action: .failOver),
        Row(name: "422 model_not_found", failure: UpstreamFailure(status: 422, errorType: "model_not_found"),
            scope: .model, expected: ("m", .modelUnsupported, 43_200), action: .failOver),
        Row(name: "408", failure: UpstreamFailure(status: 408), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "500", failure: .server, scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "502", failure: UpstreamFailure(status: 502), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "503", failure: UpstreamFailure(status: 503), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "504", failure: UpstreamFailure(status: 504), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "529", failure: UpstreamFailure(status: 529), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "connect error", failure: UpstreamFailure(transport: .connect), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "timeout", failure: UpstreamFailure(transport: .timeout), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "empty stream", failure: UpstreamFailure(transport: .emptyStream), scope: .model, expected: ("m", .transient, 60), action: .failOver),
        Row(name: "400 invalid request", failure: UpstreamFailure(status: 400, errorType: "invalid_request_error",
                                                               message: "messages: field required"),
            scope: .model, expected: nil, action: .returnToClient),
        Row(name: "422 other", failure: UpstreamFailure(status: 422, message: "bad schema"), scope: .model, expected: nil,
            action: .returnToClient),
        Row(name: "success", failure: nil, scope: .model, expected: nil, action: .answer),
    ]

    @Test(arguments: rows)
    func outcomeRow(_ row: Row) throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p", scope: row.scope)],
                                        credentials: [Fixture.credential("a", "p")]))
        var attempt = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let pick) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now) else {
            Issue.record("no candidate"); return
        }
        let action = d.state.report(row.failure.map(AttemptOutcome.failed) ?? .succeeded, for: pick, in: &attempt,
                                    snapshot: d.snapshot, now: d.now)
        #expect(action == row.action)
        let status = d.state.status(now: d.now)
        guard let expected = row.expected else {
            #expect(status.isEmpty)
            return
        }
        #expect(status.count == 1)
        let entry = try #require(status.first)
        #expect(entry.key == HealthKey(credentialID: "a", model: expected.model))
        #expect(entry.reason == expected.reason)
        #expect(entry.until == d.now.adding(milliseconds: Int64(expected.seconds * 1000)))
        #expect(!d.state.isAvailable(credentialID: "a", model: "m", now: d.now))
    }

    @Test func serverErrorWithoutFailover() throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")]) {
            $0.failoverOnServerError = false
        })
        var attempt = try d.state.begin(RouteRequest(model: "m"), snapshot: d.snapshot, now: d.now)
        guard case .candidate(let pick) = d.state.next(&attempt, snapshot: d.snapshot, now: d.now) else { return }
        #expect(d.state.report(.failed(.server), for: pick, in: &attempt, snapshot: d.snapshot, now: d.now) == .returnToClient)
        #expect(!d.state.isAvailable(credentialID: "a", model: "m", now: d.now))
    }

    /// Quota backoff 1 s·2^n capped at quota_max: each probe failure re-cools with the next step.
    @Test func backoffGrowthAndCap() {
        let policy = HealthPolicy()
        var state = CooldownState(now: Fixture.t0)
        var now = Fixture.t0
        var lengths: [Int64] = []
        for _ in 0..<14 {
            #expect(state.probeStarted(policy: policy, now: now) == (lengths.isEmpty ? .unchanged : .probeStarted))
            _ = state.failed(.quota, hintMilliseconds: nil, status: 429, summary: nil, policy: policy, now: now)
            let c = state.cooldown!
            lengths.append(c.length / 1000)
            now = c.until
        }
        #expect(lengths == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1800, 1800, 1800])
        #expect(state.succeeded(now: now) == .recovered)
        #expect(state.backoffLevel == 0)
        _ = state.failed(.quota, hintMilliseconds: nil, status: 429, summary: nil, policy: policy, now: now)
        #expect(state.cooldown?.length == 1000)
    }

    /// Hints and backoff are clamped to max_cooldown_seconds; configured class durations apply as set.
    @Test(arguments: [
        (FailureClass.quota, Int64(100_000_000), Int64(21_600_000)),
        (FailureClass.quota, Int64(5_000), Int64(5_000)),
        (FailureClass.transient, Int64(100_000_000), Int64(21_600_000)),
        (FailureClass.modelNotFound, nil, Int64(43_200_000)),
        (FailureClass.transient, Int64(90_000), Int64(90_000)),
        (FailureClass.transient, nil, Int64(60_000)),
    ] as [(FailureClass, Int64?, Int64)])
    func clamp(_ failure: FailureClass, _ hint: Int64?, _ expected: Int64) {
        #expect(HealthPolicy().cooldown(for: failure, level: 0, hintMilliseconds: hint) == expected)
    }

    @Test func clampBelowBackoff() {
        var settings = Settings()
        settings.cooldowns.maxCooldownSeconds = 100
        let policy = HealthPolicy(settings)
        #expect(policy.cooldown(for: .quota, level: 20, hintMilliseconds: nil) == 100_000)
        #expect(policy.cooldown(for: .quota, level: 3, hintMilliseconds: nil) == 8_000)
    }

    /// After the deadline exactly one request probes; the others see it blocked until the verdict.
    @Test func halfOpenSingleProbe() {
        let policy = HealthPolicy()
        var state = CooldownState(now: Fixture.t0)
        _ = state.failed(.transient, hintMilliseconds: nil, status: 503, summary: nil, policy: policy, now: Fixture.t0)
        let before = Fixture.t0.adding(seconds: 59)
        let after = Fixture.t0.adding(seconds: 60)
        if case .blocked = state.availability(at: before) {} else { Issue.record("should be blocked before deadline") }
        #expect(state.availability(at: after) == .probeable(early: false))
        #expect(state.probeStarted(policy: policy, now: after) == .probeStarted)
        #expect(state.probeStarted(policy: policy, now: after) == .unchanged)
        if case .blocked(_, _, let probing) = state.availability(at: after) { #expect(probing) } else { Issue.record("probing") }
        // A stale success during an active cooldown is ignored; the probe's success restores.
        #expect(state.succeeded(now: after) == .recovered)
        #expect(state.availability(at: after) == .available)
    }

    /// Probe failure re-cools with the next backoff step; an abandoned probe frees the slot.
    @Test func probeFailureAndAbandon() {
        let policy = HealthPolicy()
        var state = CooldownState(now: Fixture.t0)
        _ = state.failed(.quota, hintMilliseconds: nil, status: 429, summary: nil, policy: policy, now: Fixture.t0)
        var now = Fixture.t0.adding(seconds: 1)
        #expect(state.probeStarted(policy: policy, now: now) == .probeStarted)
        #expect(state.probeAbandoned(now: now) == .probeReleased)
        #expect(state.availability(at: now) == .probeable(early: false))
        #expect(state.probeStarted(policy: policy, now: now) == .probeStarted)
        #expect(state.failed(.quota, hintMilliseconds: nil, status: 429, summary: nil, policy: policy, now: now) == .cooled)
        #expect(state.cooldown?.length == 2000)
        // A lost probe (no verdict) frees the slot after the lease.
        now = now.adding(seconds: 2)
        #expect(state.probeStarted(policy: policy, now: now) == .probeStarted)
        #expect(state.probeStarted(policy: policy, now: now.adding(milliseconds: policy.probeLease)) == .probeStarted)
    }

    /// A long cooldown gets one early probe after probe_after_seconds.
    @Test func earlyProbe() {
        let policy = HealthPolicy()
        var state = CooldownState(now: Fixture.t0)
        _ = state.failed(.unauthorized, hintMilliseconds: nil, status: 401, summary: nil, policy: policy, now: Fixture.t0)
        #expect(state.cooldown?.probeAt == Fixture.t0.adding(seconds: 900))
        #expect(state.nextWake(after: Fixture.t0) == Fixture.t0.adding(seconds: 900))
        if case .blocked = state.availability(at: Fixture.t0.adding(seconds: 899)) {} else { Issue.record("blocked before probeAt") }
        let at = Fixture.t0.adding(seconds: 900)
        #expect(state.availability(at: at) == .probeable(early: true))
        #expect(state.probeStarted(policy: policy, now: at) == .probeStarted)
        // The early probe fails: a fresh cooldown, and it is not probeable again before its own probe time.
        #expect(state.failed(.unauthorized, hintMilliseconds: nil, status: 401, summary: nil, policy: policy, now: at) == .cooled)
        if case .blocked = state.availability(at: at.adding(seconds: 1)) {} else { Issue.record("re-cooled") }
        // Short cooldowns get no early probe.
        var short = CooldownState(now: Fixture.t0)
        _ = short.failed(.transient, hintMilliseconds: nil, status: 500, summary: nil, policy: policy, now: Fixture.t0)
        #expect(short.cooldown?.probeAt == nil)
        // An early probe that succeeds restores the key.
        var lucky = CooldownState(now: Fixture.t0)
        _ = lucky.failed(.quota, hintMilliseconds: 3_600_000, status: 429, summary: nil, policy: policy, now: Fixture.t0)
        #expect(lucky.probeStarted(policy: policy, now: at) == .probeStarted)
        #expect(lucky.succeeded(now: at) == .recovered)
    }

    /// 100 simultaneous 429s make one cooldown whose deadline is the latest hint, one backoff step.
    @Test func concurrentFailuresMerge() {
        let policy = HealthPolicy()
        var book = HealthBook()
        let key = HealthKey(credentialID: "a", model: "m")
        var transitions: [CooldownState.Transition] = []
        for i in 0..<100 {
            let hint: Int64? = i == 37 ? 90_000 : (i % 2 == 0 ? nil : 10_000)
            transitions.append(book.apply(.failed(UpstreamFailure(status: 429, retryAfterMilliseconds: hint)), to: key,
                                          policy: policy, now: Fixture.t0))
        }
        #expect(transitions.filter { $0 == .cooled }.count == 1)
        #expect(book.states.count == 1)
        #expect(book.states[key]?.backoffLevel == 1)
        #expect(book.states[key]?.cooldown?.until == Fixture.t0.adding(seconds: 90))
        // A success from an attempt that started before the cooldown does not clear it.
        #expect(book.apply(.succeeded, to: key, policy: policy, now: Fixture.t0.adding(seconds: 1)) == .unchanged)
    }

    /// Credential-wide and model states combine: either blocks.
    @Test func credentialWideBlocksEveryModel() {
        var book = HealthBook()
        book.apply(.failed(.unauthorized), to: .credential("a"), policy: HealthPolicy(), now: Fixture.t0)
        #expect(!book.availability(credentialID: "a", model: "x", now: Fixture.t0).isUsable)
        #expect(!book.availability(credentialID: "a", model: "y", now: Fixture.t0).isUsable)
        #expect(book.availability(credentialID: "b", model: "x", now: Fixture.t0) == .available)
        #expect(book.availability(credentialID: "a", model: "x", now: Fixture.t0.adding(seconds: 1800))
                == .probe([.credential("a")]))
    }

    /// Export → restore keeps absolute deadlines, levels and bindings.
    @Test func restoreAfterExport() throws {
        var d = Driver(Fixture.snapshot(providers: [Fixture.provider("p")],
                                        credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p")]))
        d.fail("a", model: "m", .quota(hint: 120))
        d.fail("b", model: "m", .unauthorized)
        let session = SessionKey(ids: ["sid:s1"], source: .sessionHeader)
        d.state.bindings.bind(BindingKey(provider: "p", session: "sid:s1", model: "m"), to: "a", ttlSeconds: 3600, now: d.now)
        let changes = d.state.takeChanges(now: d.now)
        #expect(changes.health.count == 2)
        #expect(d.state.takeChanges(now: d.now).isEmpty)

        var restored = Driver(d.snapshot)
        restored.now = d.now.adding(seconds: 60)  // a restart one minute later
        restored.state.restore(health: d.state.exportHealth(now: d.now), bindings: d.state.exportBindings(now: d.now),
                               now: restored.now)
        let a = try #require(restored.state.status(now: restored.now).first { $0.key.credentialID == "a" })
        #expect(a.until == Fixture.t0.adding(seconds: 120))
        #expect(a.backoffLevel == 1 && a.reason == .quota)
        #expect(restored.serve("m", session: session) == nil)
        restored.advance(60)
        #expect(restored.serve("m", session: session)?.credentialID == "a")  // half-open probe succeeds
        #expect(restored.state.status(credentialID: "a", now: restored.now).isEmpty)
        let recovered = restored.state.takeChanges(now: restored.now)
        #expect(recovered.removedHealth.contains(HealthKey(credentialID: "a", model: "m")))
    }
}
