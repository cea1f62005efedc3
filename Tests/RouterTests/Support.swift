import Foundation
import Store
@testable import Router

/// Builders for configuration snapshots and helpers that drive the routing state like the
/// gateway's attempt loop would.
enum Fixture {
    static let t0 = Moment.seconds(1_700_000_000)

    static func provider(_ name: String, _ type: ProviderType = .openai, models: [String] = ["*"],
                         scope: QuotaScope = .model, enabled: Bool = true) -> Provider {
        Provider(name: name, type: type, baseURL: "https://\(name).example.com/v1", models: models,
                 quotaScope: scope, enabled: enabled)
    }

    static func credential(_ id: String, _ provider: String, tier: Int = 0, priority: Int = 0, prefix: String? = nil,
                           models: [String] = [], aliases: [(String, String)] = [], enabled: Bool = true) -> Credential {
        Credential(id: id, provider: provider, secret: .apiKey(Secret("sk-test-\(id)")), tier: tier, priority: priority,
                   prefix: prefix, models: models, aliases: aliases.map { ModelAlias(alias: $0.0, model: $0.1) },
                   enabled: enabled)
    }

    static func snapshot(providers: [Provider], credentials: [Credential], routes: [Route] = [],
                         clientKeys: [ClientKey] = [], version: UInt64 = 1,
                         settings: (inout Settings) -> Void = { _ in }) -> ConfigSnapshot {
        var s = Settings()
        settings(&s)
        return ConfigSnapshot(version: version, configuration: Configuration(
            providers: providers, credentials: credentials, routes: routes, clientKeys: clientKeys, settings: s),
                              adminTokenHash: nil)
    }

    static func clientKey(models: [String]) -> ClientKey {
        ClientKey.issue(name: "k", models: models, now: Date(timeIntervalSince1970: 1_700_000_000)).0
    }
}

/// A routing state driven with an explicit clock, like the attempt loop would.
struct Driver {
    var state = RoutingState()
    var snapshot: ConfigSnapshot
    var now = Fixture.t0

    init(_ snapshot: ConfigSnapshot) { self.snapshot = snapshot }

    mutating func advance(_ seconds: Double) { now = now.adding(milliseconds: Int64(seconds * 1000)) }

    /// The first candidate `next` hands out for a fresh request (reported as `outcome`).
    @discardableResult
    mutating func serve(_ model: String, session: SessionKey? = nil, outcome: AttemptOutcome = .succeeded) -> Candidate? {
        guard var attempt = try? state.begin(RouteRequest(model: model, session: session), snapshot: snapshot, now: now),
              case .candidate(let pick) = state.next(&attempt, snapshot: snapshot, now: now) else { return nil }
        _ = state.report(outcome, for: pick, in: &attempt, snapshot: snapshot, now: now)
        return pick.candidate
    }

    /// Runs a whole request: fails over through candidates with `outcomes[credentialID]` (default success).
    mutating func run(_ model: String, session: SessionKey? = nil,
                      outcomes: [String: AttemptOutcome] = [:]) -> (served: Candidate?, tried: [String], end: Exhaustion?) {
        guard var attempt = try? state.begin(RouteRequest(model: model, session: session), snapshot: snapshot, now: now) else {
            return (nil, [], nil)
        }
        var tried: [String] = []
        while true {
            switch state.next(&attempt, snapshot: snapshot, now: now) {
            case .exhausted(let why):
                return (nil, tried, why)
            case .candidate(let pick):
                tried.append(pick.candidate.credentialID)
                let outcome = outcomes[pick.candidate.credentialID] ?? .succeeded
                switch state.report(outcome, for: pick, in: &attempt, snapshot: snapshot, now: now) {
                case .answer: return (pick.candidate, tried, nil)
                case .failOver: continue
                case .returnToClient: return (nil, tried, nil)
                }
            }
        }
    }

    /// Credential ids served by `count` consecutive successful requests.
    mutating func sequence(_ model: String, _ count: Int) -> [String] {
        (0..<count).map { _ in serve(model)?.credentialID ?? "-" }
    }

    mutating func fail(_ credentialID: String, model: String, _ failure: UpstreamFailure) {
        let key = failure.failureClass.isCredentialWide ? HealthKey.credential(credentialID)
            : HealthKey(credentialID: credentialID, model: model)
        state.record(.failed(failure), key, policy: HealthPolicy(snapshot.settings), now: now)
    }
}

extension UpstreamFailure {
    static let quota = UpstreamFailure(status: 429)
    static let unauthorized = UpstreamFailure(status: 401)
    static let server = UpstreamFailure(status: 500)
    static func quota(hint seconds: Double) -> UpstreamFailure {
        UpstreamFailure(status: 429, retryAfterMilliseconds: Int64(seconds * 1000))
    }
}
