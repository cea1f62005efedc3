import Synchronization

/// A parsed fault with the JSON it was given as, for the request log.
struct ScriptedFault: Sendable {
    let spec: FaultSpec
    let json: String
}

/// Faults scripted through `POST /_mock/faults`, matched by API key and/or model.
///
/// Rules are tried in the order they were added; the first that matches is used and, when it
/// has a `times` budget, spent by one (it disappears when spent). A rule without key matches
/// every key, without model every model.
final class FaultBook: Sendable {
    /// One scripted rule.
    struct Rule: Sendable {
        let id: Int
        let key: String?
        let model: String?
        let fault: ScriptedFault
        var remaining: Int?
    }

    private let state = Mutex<(rules: [Rule], nextID: Int)>(([], 1))

    /// Adds a rule and returns it with its id.
    func add(key: String?, model: String?, fault: ScriptedFault, times: Int?) -> Rule {
        state.withLock { state in
            let rule = Rule(id: state.nextID, key: key, model: model, fault: fault, remaining: times)
            state.nextID += 1
            state.rules.append(rule)
            return rule
        }
    }

    /// The fault for a request, spending one use of the matching rule.
    func take(key: String?, model: String?) -> ScriptedFault? {
        state.withLock { state in
            guard !state.rules.isEmpty else { return nil }
            for index in state.rules.indices {
                let rule = state.rules[index]
                if let wanted = rule.key, wanted != key { continue }
                if let wanted = rule.model, wanted != model { continue }
                if let remaining = rule.remaining {
                    if remaining <= 1 { state.rules.remove(at: index) } else { state.rules[index].remaining = remaining - 1 }
                }
                return rule.fault
            }
            return nil
        }
    }

    var rules: [Rule] { state.withLock { $0.rules } }

    /// Removes one rule; false when there is none with that id.
    func remove(id: Int) -> Bool {
        state.withLock { state in
            guard let index = state.rules.firstIndex(where: { $0.id == id }) else { return false }
            state.rules.remove(at: index)
            return true
        }
    }

    func clear() { state.withLock { $0.rules.removeAll() } }
}
