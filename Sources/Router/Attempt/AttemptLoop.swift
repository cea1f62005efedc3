import Store
import Translators

/// The one attempt loop shared by generate, stream and count-tokens (SPEC §6): resolve, pick,
/// call, report, fail over, wait for the soonest recovery when it is near, and turn exhaustion
/// into the final answer. Only "what one attempt does" varies, passed in as `attempt`.
struct AttemptLoop: Sendable {
    let registry: RoutingRegistry

    /// What an attempt is given: the pick and the configuration it refers to.
    struct Target: Sendable {
        let pick: Pick
        let provider: Provider
        let credential: Credential
        /// The model name sent upstream.
        var model: String { pick.candidate.model }
    }

    func run<Success: Sendable>(
        _ request: RouteRequest, snapshot: ConfigSnapshot, trace: inout RequestTrace,
        attempt: (Target) async throws(GatewayFailure) -> AttemptResult<Success>
    ) async throws(GatewayFailure) -> Success {
        var walk: RoutingAttempt
        var first: NextStep?
        do {
            (walk, first) = try registry.start(request, snapshot: snapshot)
        } catch {
            throw Self.failure(error)
        }
        if case .route(let name, _) = walk.resolution.kind { trace.route = name }
        let settings = snapshot.settings
        var lastFailure: GatewayError?
        while true {
            let step = first ?? registry.next(&walk, snapshot: snapshot)
            first = nil
            switch step {
            case .candidate(let pick):
                guard let credential = snapshot.credentialsByID[pick.candidate.credentialID],
                      let provider = snapshot.providersByName[pick.candidate.provider] else {
                    _ = registry.report(.abandoned, for: pick, in: &walk, snapshot: snapshot)
                    continue
                }
                trace.attempts.append(.init(credentialID: credential.id, provider: provider.name, model: pick.candidate.model))
                let result: AttemptResult<Success>
                do {
                    result = try await attempt(Target(pick: pick, provider: provider, credential: credential))
                } catch {
                    _ = registry.report(.abandoned, for: pick, in: &walk, snapshot: snapshot)
                    throw error
                }
                if Task.isCancelled {
                    _ = registry.report(.abandoned, for: pick, in: &walk, snapshot: snapshot)
                    throw .clientClosedRequest
                }
                switch result {
                case .success(let value):
                    _ = registry.report(.succeeded, for: pick, in: &walk, snapshot: snapshot)
                    return value
                case .failure(let failure, let clientError):
                    trace.attempts[trace.attempts.count - 1].failure = failure.summary
                    switch registry.report(.failed(failure), for: pick, in: &walk, snapshot: snapshot) {
                    case .returnToClient, .answer: throw .upstream(clientError)
                    case .failOver: lastFailure = clientError
                    }
                }
            case .exhausted(let why):
                if let earliest = why.earliest, why.kind != .allUnauthorized, walk.round < settings.retry.maxAttempts {
                    let wait = earliest.retryAt.milliseconds(since: registry.clock.now())
                    if wait <= Int64(settings.retry.maxWaitSeconds) * 1000 {
                        try? await Task.sleep(for: .milliseconds(max(wait, 1)))
                        if Task.isCancelled { throw .clientClosedRequest }
                        registry.nextRound(&walk)
                        continue
                    }
                }
                let quotaHit = walk.failures.contains { $0.failureClass == .quota }
                throw Self.failure(why, model: request.model, lastFailure: lastFailure, quotaHit: quotaHit, now: registry.clock.now())
            }
        }
    }

    /// The final answer when no candidate is left (SPEC §6 limits). Everything cooling is a 429,
    /// unless this request's own attempts failed and none of them for a quota (`quotaHit`): it
    /// gets the last of those failures (a 404 stays a 404, an unavailable or overloaded upstream
    /// a 503 or 529; other server, transport and credential failures are the gateway's 502),
    /// rather than a rate limit it never hit. That
    /// answer carries no `Retry-After` of the cooldown: SDKs honour one of up to 60 s before
    /// each retry, which turned one failed upstream call into minutes of waiting; only an
    /// upstream's own hint is passed on.
    static func failure(_ why: Exhaustion, model: String, lastFailure: GatewayError?, quotaHit: Bool, now: Moment) -> GatewayFailure {
        if !quotaHit, why.kind != .allUnauthorized, let lastFailure, lastFailure.status != 429 {
            let status = switch lastFailure.status {
            case 401, 402, 403: 502  // the gateway's credentials, not the client's problem
            case 503, 529: lastFailure.status
            case 500...: 502
            default: lastFailure.status
            }
            return .upstream(GatewayError(kind: lastFailure.kind, message: lastFailure.message, status: status,
                                          code: lastFailure.code, retryAfterSeconds: lastFailure.retryAfterSeconds))
        }
        let retryAfter = why.earliest?.retryAfterSeconds(now: now)
        switch why.kind {
        case .allUnauthorized:
            return .allUnauthorized(model: model)
        case .allCooling, .triedAll:
            if let earliest = why.earliest, let retryAfter {
                return .allCooling(model: earliest.candidate.model, retryAfterSeconds: retryAfter, reason: earliest.reason.rawValue)
            }
            if let lastFailure { return .upstream(lastFailure) }
            return why.kind == .allCooling ? .noneEnabled(model: model) : .upstreamUnavailable("no upstream could serve model '\(model)'")
        }
    }

    static func failure(_ error: RoutingError) -> GatewayFailure {
        switch error {
        case .modelNotFound(let model): .modelNotFound(model)
        case .modelNotAllowed(let model): .modelNotAllowed(model)
        case .noneEnabled(let model): .noneEnabled(model: model)
        }
    }
}
