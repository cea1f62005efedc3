import Foundation

/// Rows of `credential_model_state`, `session_bindings` and `usage_records`. Rows naming a
/// credential that no longer exists are skipped rather than failing the batch.
enum RuntimeStateTables {
    static func upsertHealth(_ db: SQLiteConnection, _ r: ModelHealthRecord) throws(StoreError) {
        try db.execute("""
            INSERT INTO credential_model_state (credential_id, model, reason, cooldown_until, backoff_level,
                last_status, last_error, probe_at, updated_at)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE EXISTS (SELECT 1 FROM credentials WHERE id = ?1)
            ON CONFLICT (credential_id, model) DO UPDATE SET reason = excluded.reason,
                cooldown_until = excluded.cooldown_until, backoff_level = excluded.backoff_level,
                last_status = excluded.last_status, last_error = excluded.last_error,
                probe_at = excluded.probe_at, updated_at = excluded.updated_at
            """, [.text(r.credentialID), .text(r.model), .text(r.reason), milliseconds(r.cooldownUntil),
                  .int(r.backoffLevel), r.lastStatus.map(SQLValue.int) ?? .null, .optionalText(r.lastError),
                  milliseconds(r.probeAt), .integer(Timestamp.milliseconds(r.updatedAt))])
    }

    static func loadHealth(_ db: SQLiteConnection) throws(StoreError) -> [ModelHealthRecord] {
        try db.query("""
            SELECT credential_id, model, reason, cooldown_until, backoff_level, last_status, last_error, probe_at, updated_at
            FROM credential_model_state ORDER BY credential_id, model
            """).map { row in
            ModelHealthRecord(
                credentialID: row.string(0), model: row.string(1), reason: row.string(2), cooldownUntil: date(row, 3),
                backoffLevel: row.int(4), lastStatus: row.optionalString(5).flatMap { Int($0) },
                lastError: row.optionalString(6), probeAt: date(row, 7),
                updatedAt: Timestamp.date(milliseconds: row.int64(8)))
        }
    }

    static func upsertBinding(_ db: SQLiteConnection, _ b: SessionBindingRecord) throws(StoreError) {
        try db.execute("""
            INSERT INTO session_bindings (provider, session, model, credential_id, expires_at, updated_at)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM credentials WHERE id = ?4)
            ON CONFLICT (provider, session, model) DO UPDATE SET credential_id = excluded.credential_id,
                expires_at = excluded.expires_at, updated_at = excluded.updated_at
            """, [.text(b.provider), .text(b.session), .text(b.model), .text(b.credentialID),
                  .integer(Timestamp.milliseconds(b.expiresAt)), .integer(Timestamp.milliseconds(b.updatedAt))])
    }

    static func loadBindings(_ db: SQLiteConnection, notExpiredAt now: Int64) throws(StoreError) -> [SessionBindingRecord] {
        try db.query("""
            SELECT provider, session, model, credential_id, expires_at, updated_at FROM session_bindings
            WHERE expires_at > ? ORDER BY provider, session, model
            """, [.integer(now)]).map { row in
            SessionBindingRecord(
                provider: row.string(0), session: row.string(1), model: row.string(2), credentialID: row.string(3),
                expiresAt: Timestamp.date(milliseconds: row.int64(4)), updatedAt: Timestamp.date(milliseconds: row.int64(5)))
        }
    }

    /// Rows per multi-row INSERT: one statement run, one bindings array and one reset per 32 rows
    /// (608 parameters, far below SQLite's limit of 32,766).
    static let usageRowsPerInsert = 32
    private static let usageColumns = 19
    private static let insertOneUsage = insertUsageSQL(rows: 1)
    private static let insertManyUsage = insertUsageSQL(rows: usageRowsPerInsert)

    private static func insertUsageSQL(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: usageColumns).joined(separator: ", ") + ")"
        return """
            INSERT INTO usage_records (at, request_id, client_key_id, route, provider, credential_id, requested_model,
                upstream_model, client_format, stream, status, error_code, attempts, latency_ms, ttfb_ms,
                input_tokens, output_tokens, cached_tokens, reasoning_tokens)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }

    /// Whole groups of `usageRowsPerInsert` in one statement each, the rest one by one.
    static func insertUsage(_ db: SQLiteConnection, _ records: ArraySlice<UsageRecord>) throws(StoreError) {
        let whole = records.startIndex + records.count / usageRowsPerInsert * usageRowsPerInsert
        try db.executeEach(insertManyUsage, stride(from: records.startIndex, to: whole, by: usageRowsPerInsert)) { start in
            bindings(records[start..<(start + usageRowsPerInsert)])
        }
        try db.executeEach(insertOneUsage, whole..<records.endIndex) { bindings(records[$0...$0]) }
    }

    /// The records' values in column order, appended one by one (an array literal per row would
    /// allocate what the multi-row statement saves).
    private static func bindings(_ records: ArraySlice<UsageRecord>) -> [SQLValue] {
        var bindings: [SQLValue] = []
        bindings.reserveCapacity(usageColumns * records.count)
        for u in records {
            bindings.append(.integer(Timestamp.milliseconds(u.at)))
            bindings.append(.text(u.requestID))
            for text in [u.clientKeyID, u.route, u.provider, u.credentialID, u.requestedModel, u.upstreamModel, u.clientFormat] {
                bindings.append(.optionalText(text))
            }
            bindings.append(.bool(u.stream))
            bindings.append(.int(u.status))
            bindings.append(.optionalText(u.errorCode))
            bindings.append(.int(u.attempts))
            bindings.append(.int(u.latencyMilliseconds))
            bindings.append(u.timeToFirstByteMilliseconds.map(SQLValue.int) ?? .null)
            for count in [u.inputTokens, u.outputTokens, u.cachedTokens, u.reasoningTokens] { bindings.append(.int(count)) }
        }
        return bindings
    }

    static func loadUsage(_ db: SQLiteConnection, from: Int64, to: Int64) throws(StoreError) -> [UsageRecord] {
        try db.query("""
            SELECT at, request_id, client_key_id, route, provider, credential_id, requested_model, upstream_model,
                client_format, stream, status, error_code, attempts, latency_ms, ttfb_ms, input_tokens, output_tokens,
                cached_tokens, reasoning_tokens
            FROM usage_records WHERE at >= ? AND at < ? ORDER BY at, id
            """, [.integer(from), .integer(to)]).map { r in
            UsageRecord(
                at: Timestamp.date(milliseconds: r.int64(0)), requestID: r.string(1), clientKeyID: r.optionalString(2),
                route: r.optionalString(3), provider: r.optionalString(4), credentialID: r.optionalString(5),
                requestedModel: r.optionalString(6), upstreamModel: r.optionalString(7), clientFormat: r.optionalString(8),
                stream: r.bool(9), status: r.int(10), errorCode: r.optionalString(11), attempts: r.int(12),
                latencyMilliseconds: r.int(13), timeToFirstByteMilliseconds: r.optionalString(14).flatMap { Int($0) },
                inputTokens: r.int(15), outputTokens: r.int(16), cachedTokens: r.int(17), reasoningTokens: r.int(18))
        }
    }

    private static func milliseconds(_ date: Date?) -> SQLValue {
        date.map { .integer(Timestamp.milliseconds($0)) } ?? .null
    }

    private static func date(_ row: Row, _ index: Int) -> Date? {
        row.optionalString(index) == nil ? nil : Timestamp.date(milliseconds: row.int64(index))
    }
}
