import Store

/// Changes to persist, taken in batches by a background writer (never on the request path).
public struct RuntimeChanges: Sendable, Equatable {
    /// Health states to upsert (`Store.saveHealth`).
    public var health: [ModelHealthRecord] = []
    /// (credential, model) pairs that recovered and should be deleted.
    public var removedHealth: [HealthKey] = []
    /// Session bindings to upsert (`Store.saveSessionBindings`).
    public var bindings: [SessionBindingRecord] = []

    public var isEmpty: Bool { health.isEmpty && removedHealth.isEmpty && bindings.isEmpty }
}

extension RoutingState {
    /// Everything changed since the last call, as Store records; clears the change sets.
    public mutating func takeChanges(now: Moment) -> RuntimeChanges {
        var changes = RuntimeChanges()
        for key in dirtyHealth.sorted(by: { ($0.credentialID, $0.model) < ($1.credentialID, $1.model) }) {
            if let state = health.states[key] {
                changes.health.append(Self.record(key, state, now: now))
            } else {
                changes.removedHealth.append(key)
            }
        }
        for key in dirtyBindings {
            if let binding = bindings.entries[key] { changes.bindings.append(Self.record(key, binding)) }
        }
        dirtyHealth = []
        dirtyBindings = []
        return changes
    }

    /// Every health state as records (a full export).
    public func exportHealth(now: Moment) -> [ModelHealthRecord] {
        health.states.map { Self.record($0.key, $0.value, now: now) }
            .sorted { ($0.credentialID, $0.model) < ($1.credentialID, $1.model) }
    }

    /// Every live binding as records.
    public func exportBindings(now: Moment) -> [SessionBindingRecord] {
        bindings.entries.filter { $0.value.expiresAt > now }.map { Self.record($0.key, $0.value) }
    }

    /// Seeds the state at start from persisted records. Deadlines are absolute, so a cooldown
    /// keeps its end across the restart; one that ended meanwhile is half-open (probed once).
    /// A probe in flight at shutdown was not persisted and is free again.
    public mutating func restore(health records: [ModelHealthRecord], bindings saved: [SessionBindingRecord], now: Moment) {
        for record in records {
            let key = HealthKey(credentialID: record.credentialID, model: record.model)
            let updated = Moment(record.updatedAt)
            var phase = CooldownState.Phase.ready
            if let reason = CooldownReason(rawValue: record.reason) {
                let until = record.cooldownUntil.map(Moment.init) ?? updated
                let cooldown = Cooldown(reason: reason, since: min(updated, until), until: until,
                                        probeAt: record.probeAt.map(Moment.init))
                phase = .cooling(cooldown)
            }
            let state = CooldownState(phase: phase, backoffLevel: record.backoffLevel, lastStatus: record.lastStatus,
                                      lastError: record.lastError, updatedAt: updated)
            health.store(state, for: key, now: now)
            refresh(key, now: now)
        }
        for record in saved where Moment(record.expiresAt) > now {
            bindings.restore(BindingKey(provider: record.provider, session: record.session, model: record.model),
                             SessionBinding(credentialID: record.credentialID, expiresAt: Moment(record.expiresAt),
                                            updatedAt: Moment(record.updatedAt)))
        }
    }

    static func record(_ key: HealthKey, _ state: CooldownState, now: Moment) -> ModelHealthRecord {
        let cooldown = state.cooldown
        return ModelHealthRecord(credentialID: key.credentialID, model: key.model,
                                 reason: cooldown?.reason.rawValue ?? "recovered", cooldownUntil: cooldown?.until.date,
                                 backoffLevel: state.backoffLevel, lastStatus: state.lastStatus, lastError: state.lastError,
                                 probeAt: cooldown?.probeAt?.date, updatedAt: state.updatedAt.date)
    }

    static func record(_ key: BindingKey, _ binding: SessionBinding) -> SessionBindingRecord {
        SessionBindingRecord(provider: key.provider, session: key.session, model: key.model, credentialID: binding.credentialID,
                             expiresAt: binding.expiresAt.date, updatedAt: binding.updatedAt.date)
    }
}
