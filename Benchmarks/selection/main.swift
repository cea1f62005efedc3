import Foundation
import Router
import Store

// Selection cost at 10, 1,000 and 10,000 credentials with a third of them cooling.
// One selection = begin + next + report(success), the gateway's per-request routing work.
// Run: swift run -c release SelectionBenchmark
// Cost stays flat because each pool keeps its usable members in a two-level bitset and
// expiring cooldowns come off a min-heap of deadlines: nothing walks the cooling credentials.

func snapshot(_ count: Int, _ strategy: SelectionStrategy) -> ConfigSnapshot {
    var settings = Settings()
    settings.strategy = strategy
    settings.sessionAffinity.enabled = false
    let provider = Provider(name: "p", type: .openai, baseURL: "https://p.example.com/v1", models: ["*"])
    let credentials = (0..<count).map {
        Credential(id: "c\($0)", provider: "p", secret: .apiKey(Secret("sk-\($0)")), priority: $0 % 2)
    }
    return ConfigSnapshot(version: 1, configuration: Configuration(providers: [provider], credentials: credentials,
                                                                   settings: settings), adminTokenHash: nil)
}

func measure(_ count: Int, _ strategy: SelectionStrategy, cooling fraction: Int = 3) -> Double {
    let config = snapshot(count, strategy)
    var state = RoutingState()
    let now = Moment.seconds(1_700_000_000)
    // Cool a third: the candidates selection hands out first (fill-first: a contiguous prefix).
    var cooled = 0
    while cooled < count / fraction {
        guard var attempt = try? state.begin(RouteRequest(model: "m"), snapshot: config, now: now),
              case .candidate(let pick) = state.next(&attempt, snapshot: config, now: now) else { break }
        _ = state.report(.failed(UpstreamFailure(status: 429, retryAfterMilliseconds: 3_600_000)), for: pick,
                         in: &attempt, snapshot: config, now: now)
        cooled += 1
    }
    let iterations = 200_000
    var served = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations {
        guard var attempt = try? state.begin(RouteRequest(model: "m"), snapshot: config, now: now),
              case .candidate(let pick) = state.next(&attempt, snapshot: config, now: now) else { continue }
        if state.report(.succeeded, for: pick, in: &attempt, snapshot: config, now: now) == .answer { served += 1 }
    }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    precondition(served == iterations && state.status(now: now).count == cooled)
    return Double(elapsed) / Double(iterations)
}

for strategy in [SelectionStrategy.roundRobin, .fillFirst, .stickyRoundRobin] {
    for count in [10, 1_000, 10_000] {
        let ns = measure(count, strategy)
        print("\(strategy.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(count).padding(toLength: 6, withPad: " ", startingAt: 0)) credentials, \(count / 3) cooling: \(String(format: "%7.0f", ns)) ns/selection")
    }
}
