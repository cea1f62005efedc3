import JSON
import Router
import Store

/// What the gateway would do with the explained request now, mirroring its attempt loop:
/// `serve` (200), `wait` (every candidate cools but one recovers within `max_wait_seconds`)
/// or `reject` with the status and code it would answer.
enum ExplainOutcome {
    static func encode(_ explanation: Explanation, settings: Settings, now: Moment) -> JSONValue {
        if let selected = explanation.selected {
            let probe = explanation.selectedIsProbe ? " as the single probe of its half-open cooldown" : ""
            return outcome("serve", 200, nil, "\(selected.credentialID) on \(selected.provider) would serve \(selected.model)\(probe)")
        }
        if case .noneEnabled? = explanation.error {
            return outcome("reject", 503, "no_enabled_credentials", "no candidate credential or provider is enabled")
        }
        guard let exhaustion = explanation.exhaustion else {
            return outcome("reject", 503, "no_candidate", "no candidate could serve the request")
        }
        if exhaustion.kind == .allUnauthorized {
            return outcome("reject", 502, "all_unauthorized", "every candidate credential failed authentication")
        }
        guard let earliest = exhaustion.earliest else {
            return outcome("reject", 503, "no_candidate", "no candidate could serve the request")
        }
        let seconds = earliest.retryAfterSeconds(now: now)
        let cooling = "\(earliest.candidate) cools (\(earliest.reason.rawValue)) for \(seconds) s"
        if settings.retry.maxAttempts > 1, earliest.retryAt.milliseconds(since: now) <= Int64(settings.retry.maxWaitSeconds) * 1000 {
            return outcome("wait", nil, nil, "every candidate is cooling; the gateway would wait: \(cooling)", retryAfter: seconds)
        }
        return outcome("reject", 429, "all_cooling", "every candidate is cooling; soonest: \(cooling)", retryAfter: seconds)
    }

    private static func outcome(_ action: String, _ status: Int?, _ code: String?, _ message: String,
                                retryAfter: Int? = nil) -> JSONValue {
        ["action": .string(action), "status": status.map(JSONValue.int) ?? .null, "code": .optional(code),
         "message": .string(message), "retry_after_seconds": retryAfter.map(JSONValue.int) ?? .null]
    }
}
