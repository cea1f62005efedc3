import JSON
import Router
import Store

/// The body of `POST /v1/explain`: the outcome the gateway would reach now, the selected
/// candidate, the session affinity decision and every candidate with its verdict.
enum ExplanationCodec {
    static func encode(_ explanation: Explanation, input: ExplainRequest, settings: Settings, now: Moment) -> JSONValue {
        [
            "model": .string(input.model),
            "format": .optional(input.format?.rawValue),
            "client_key_id": .optional(input.clientKey?.id),
            "session_id": .optional(input.routeRequest.session?.ids.first),
            "resolution": explanation.resolution.map(encode) ?? .null,
            "outcome": ExplainOutcome.encode(explanation, settings: settings, now: now),
            "selected": explanation.selected.map { candidate in
                ["credential_id": .string(candidate.credentialID), "provider": .string(candidate.provider),
                 "model": .string(candidate.model), "probe": .bool(explanation.selectedIsProbe)]
            } ?? .null,
            "affinity": encode(explanation.affinity),
            "candidates": .array(explanation.entries.map { encode($0, explanation, now: now) }),
        ]
    }

    static func encode(_ resolution: Resolution) -> JSONValue {
        let (kind, name, strategy): (String, String?, String?) = switch resolution.kind {
        case .route(let name, let strategy): ("route", name, strategy.rawValue)
        case .prefix(let prefix): ("prefix", prefix, nil)
        case .provider(let provider): ("provider", provider, nil)
        case .match: ("match", nil, nil)
        }
        return ["kind": .string(kind), "name": .optional(name), "strategy": .optional(strategy),
                "pools": .strings(resolution.pools.map(\.description))]
    }

    static func encode(_ affinity: AffinityDecision) -> JSONValue {
        let (decision, key, credential): (String, BindingKey?, String?) = switch affinity {
        case .none: ("none", nil, nil)
        case .unbound: ("unbound", nil, nil)
        case .bound(let key, let id): ("bound", key, id)
        case .softEscape(let key, let id): ("soft_escape", key, id)
        case .rebind(let key, let id): ("rebind", key, id)
        }
        return ["decision": .string(decision), "session": .optional(key?.session), "credential_id": .optional(credential)]
    }

    /// One candidate: `verdict` is `selected`, `fallback` (tried next, at `position`), `cooling`,
    /// `not_reached` (`reason`: tier, priority, strategy or max_credentials) or `excluded`
    /// (`reason`: credential_disabled, provider_disabled or not_in_credential_allow_list).
    static func encode(_ entry: Explanation.Entry, _ explanation: Explanation, now: Moment) -> JSONValue {
        var verdict = "", reason: String?, position: Int?, until: Moment?, scope: String?, probing = false
        switch entry.verdict {
        case .selected:
            verdict = "selected"
            if explanation.selectedIsProbe { reason = "probe" } else if case .bound = explanation.affinity { reason = "affinity" }
        case .fallback(let index):
            (verdict, position) = ("fallback", index)
        case .cooling(let why, let deadline, let key, let inFlight):
            (verdict, reason, until, probing) = ("cooling", why.rawValue, deadline, inFlight)
            scope = key.isCredentialWide ? "credential" : "model"
        case .notReached(let because):
            (verdict, reason) = ("not_reached", because)
        case .excluded(let why):
            (verdict, reason) = ("excluded", why.rawValue)
        }
        let candidate = entry.candidate
        return [
            "credential_id": .string(candidate.credentialID), "provider": .string(candidate.provider),
            "model": .string(candidate.model), "tier": .int(entry.tier), "priority": .int(entry.priority),
            "verdict": .string(verdict), "reason": .optional(reason), "position": position.map(JSONValue.int) ?? .null,
            "until": .optional(until.map { Timestamps.format($0.date) }),
            "seconds_remaining": until.map { .int($0.secondsRoundedUp(after: now)) } ?? .null,
            "scope": .optional(scope), "probe_in_flight": .bool(probing),
        ]
    }
}
