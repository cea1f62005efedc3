import Dispatch
import Store
import Synchronization
import Testing
@testable import Router

/// Many threads selecting and marking at once through the mutex-guarded registry.
@Suite struct ConcurrencyTests {
    static func snapshot(_ count: Int, strategy: SelectionStrategy = .roundRobin) -> ConfigSnapshot {
        Fixture.snapshot(providers: [Fixture.provider("p"), Fixture.provider("q")],
                         credentials: (0..<count).map { Fixture.credential("c\($0)", $0 % 2 == 0 ? "p" : "q") }) {
            $0.strategy = strategy
            $0.retry.maxCredentials = 3
        }
    }

    /// No selection returns a credential after its cooldown was recorded: a worker notes a
    /// credential as cooled only after `report` returned, and every other worker checks its
    /// pick against the set it read before calling `next`.
    @Test(arguments: [SelectionStrategy.roundRobin, .fillFirst, .stickyRoundRobin])
    func noPickAfterCooldown(_ strategy: SelectionStrategy) {
        let clock = ManualWallClock(Fixture.t0)
        let registry = RoutingRegistry(clock: clock)
        let snapshot = Self.snapshot(40, strategy: strategy)
        let cooled = Mutex<Set<String>>([])
        let violations = Atomic<Int>(0)
        let served = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var random = SplitMix(seed: UInt64(worker + 1))
            for i in 0..<400 {
                guard var attempt = try? registry.begin(RouteRequest(model: "m"), snapshot: snapshot) else { continue }
                let before = cooled.withLock { $0 }
                guard case .candidate(let pick) = registry.next(&attempt, snapshot: snapshot) else { continue }
                if before.contains(pick.candidate.credentialID) { violations.add(1, ordering: .relaxed) }
                if random.next() % 10 == 0 || (worker == 0 && i % 7 == 0) {
                    let failure = UpstreamFailure(status: 429, retryAfterMilliseconds: 3_600_000)
                    _ = registry.report(.failed(failure), for: pick, in: &attempt, snapshot: snapshot)
                    cooled.withLock { _ = $0.insert(pick.candidate.credentialID) }
                } else {
                    _ = registry.report(.succeeded, for: pick, in: &attempt, snapshot: snapshot)
                    served.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(violations.load(ordering: .relaxed) == 0)
        #expect(served.load(ordering: .relaxed) > 0)
        let status = registry.status()
        let names = cooled.withLock { $0 }
        #expect(Set(status.map(\.key.credentialID)) == names)
        #expect(status.allSatisfy { $0.backoffLevel == 1 && $0.reason == .quota })
    }

    /// 100 simultaneous 429s on one credential produce one cooldown with the latest deadline.
    @Test func simultaneous429sMerge() throws {
        let clock = ManualWallClock(Fixture.t0)
        let registry = RoutingRegistry(clock: clock)
        let snapshot = Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")])
        let picks = Mutex<[(Pick, RoutingAttempt)]>([])
        for _ in 0..<100 {
            var attempt = try registry.begin(RouteRequest(model: "m"), snapshot: snapshot)
            guard case .candidate(let pick) = registry.next(&attempt, snapshot: snapshot) else { continue }
            picks.withLock { $0.append((pick, attempt)) }
        }
        let all = picks.withLock { $0 }
        #expect(all.count == 100)
        DispatchQueue.concurrentPerform(iterations: 100) { i in
            var (pick, attempt) = all[i]
            let failure = UpstreamFailure(status: 429, retryAfterMilliseconds: Int64(1000 + i * 100))
            _ = registry.report(.failed(failure), for: pick, in: &attempt, snapshot: snapshot)
        }
        let status = registry.status()
        #expect(status.count == 1)
        #expect(status.first?.backoffLevel == 1)
        #expect(status.first?.until == Fixture.t0.adding(milliseconds: 1000 + 99 * 100))
    }

    /// When a cooldown ends, exactly one of many concurrent requests probes it.
    @Test func singleProbeUnderContention() throws {
        let clock = ManualWallClock(Fixture.t0)
        let registry = RoutingRegistry(clock: clock)
        let snapshot = Fixture.snapshot(providers: [Fixture.provider("p")],
                                        credentials: [Fixture.credential("a", "p"), Fixture.credential("b", "p")]) {
            $0.strategy = .fillFirst
        }
        var attempt = try registry.begin(RouteRequest(model: "m"), snapshot: snapshot)
        guard case .candidate(let pick) = registry.next(&attempt, snapshot: snapshot) else { return }
        #expect(pick.candidate.credentialID == "a")
        _ = registry.report(.failed(.quota), for: pick, in: &attempt, snapshot: snapshot)
        clock.advance(seconds: 1)
        let probes = Atomic<Int>(0)
        let others = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            guard var attempt = try? registry.begin(RouteRequest(model: "m"), snapshot: snapshot),
                  case .candidate(let pick) = registry.next(&attempt, snapshot: snapshot) else { return }
            if pick.candidate.credentialID == "a" {
                #expect(pick.isProbe)
                probes.add(1, ordering: .relaxed)
            } else {
                others.add(1, ordering: .relaxed)
            }
        }
        #expect(probes.load(ordering: .relaxed) == 1)
        #expect(others.load(ordering: .relaxed) == 63)
    }

    /// The change handler runs after unlocking and may read the registry.
    @Test func changeHandlerRunsOutsideTheLock() throws {
        let box = Mutex<RoutingRegistry?>(nil)
        let batches = Mutex<[RuntimeChanges]>([])
        let registry = RoutingRegistry(clock: ManualWallClock(Fixture.t0)) {
            if let registry = box.withLock({ $0 }) { batches.withLock { $0.append(registry.takeChanges()) } }
        }
        box.withLock { $0 = registry }
        let snapshot = Fixture.snapshot(providers: [Fixture.provider("p")], credentials: [Fixture.credential("a", "p")])
        var attempt = try registry.begin(RouteRequest(model: "m", session: SessionKey(ids: ["sid:x"], source: .sessionHeader)),
                                         snapshot: snapshot)
        guard case .candidate(let pick) = registry.next(&attempt, snapshot: snapshot) else { return }
        _ = registry.report(.failed(.server), for: pick, in: &attempt, snapshot: snapshot)
        let all = batches.withLock { $0 }
        #expect(all.flatMap(\.health).map(\.reason) == ["transient"])
    }
}

/// A tiny deterministic generator for the workers.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
