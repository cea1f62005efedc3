import Foundation

/// Runtime state (health, session bindings, usage): written in batches by background services,
/// never on the request path. These writes do not change the configuration version.
extension Store {
    /// Upserts health records and deletes the listed (credential, model) pairs, in one transaction.
    public func saveHealth(
        _ records: [ModelHealthRecord], removing removed: [(credentialID: String, model: String)] = []
    ) async throws(StoreError) {
        let removed = removed.map { [$0.credentialID, $0.model] }
        try await stateWrite { db throws(StoreError) in
            for record in records { try RuntimeStateTables.upsertHealth(db, record) }
            for pair in removed {
                try db.execute("DELETE FROM credential_model_state WHERE credential_id = ? AND model = ?",
                               [.text(pair[0]), .text(pair[1])])
            }
        }
    }

    /// Every persisted health record, to seed the router's health machine at start.
    public func loadHealth() async throws(StoreError) -> [ModelHealthRecord] {
        try await read { db, _ throws(StoreError) in try RuntimeStateTables.loadHealth(db) }
    }

    /// Clears every health record of a credential (`POST /v1/credentials/{id}/reset`).
    public func clearHealth(credentialID: String) async throws(StoreError) {
        try await stateWrite { db throws(StoreError) in
            try db.execute("DELETE FROM credential_model_state WHERE credential_id = ?", [.text(credentialID)])
        }
    }

    /// Upserts session bindings and drops those that expired before `now`, in one transaction.
    public func saveSessionBindings(_ bindings: [SessionBindingRecord], now: Date) async throws(StoreError) {
        let now = Timestamp.milliseconds(now)
        try await stateWrite { db throws(StoreError) in
            for binding in bindings { try RuntimeStateTables.upsertBinding(db, binding) }
            try db.execute("DELETE FROM session_bindings WHERE expires_at <= ?", [.integer(now)])
        }
    }

    /// Bindings still valid at `now`.
    public func loadSessionBindings(now: Date) async throws(StoreError) -> [SessionBindingRecord] {
        let now = Timestamp.milliseconds(now)
        return try await read { db, _ throws(StoreError) in try RuntimeStateTables.loadBindings(db, notExpiredAt: now) }
    }

    /// Deletes session bindings: all of them, or those of one provider and/or session.
    public func deleteSessionBindings(provider: String? = nil, session: String? = nil) async throws(StoreError) {
        try await stateWrite { db throws(StoreError) in
            try db.execute("DELETE FROM session_bindings WHERE (?1 IS NULL OR provider = ?1) AND (?2 IS NULL OR session = ?2)",
                           [.optionalText(provider), .optionalText(session)])
        }
    }

    /// Appends a batch of usage records in one transaction.
    public func appendUsage(_ records: [UsageRecord]) async throws(StoreError) {
        try await appendUsage(records[...])
    }

    /// Appends usage records in one transaction (a slice of the writer's queue, not copied out).
    public func appendUsage(_ records: ArraySlice<UsageRecord>) async throws(StoreError) {
        guard !records.isEmpty else { return }
        try await stateWrite { db throws(StoreError) in
            try RuntimeStateTables.insertUsage(db, records)
        }
    }

    /// Usage records with `from <= at < to`, oldest first.
    public func usageRecords(from: Date, to: Date) async throws(StoreError) -> [UsageRecord] {
        let from = Timestamp.milliseconds(from)
        let to = Timestamp.milliseconds(to)
        return try await read { db, _ throws(StoreError) in try RuntimeStateTables.loadUsage(db, from: from, to: to) }
    }

    /// Deletes usage records older than `cutoff` (retention); returns how many.
    @discardableResult
    public func pruneUsage(before cutoff: Date) async throws(StoreError) -> Int {
        let cutoff = Timestamp.milliseconds(cutoff)
        return try await stateWrite { db throws(StoreError) in
            try db.execute("DELETE FROM usage_records WHERE at < ?", [.integer(cutoff)])
            return db.changes
        }
    }

    /// A write transaction on the writer queue that leaves the configuration snapshot alone.
    private func stateWrite<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await writer.run { db throws(StoreError) in
            try db.transaction { () throws(StoreError) -> T in try body(db) }
        }
    }
}
