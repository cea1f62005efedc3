import Foundation

/// A usage record column that `GET /v1/usage` can group by.
public enum UsageGrouping: String, Sendable, CaseIterable {
    case clientKey = "client_key"
    case route
    case provider
    case credential
    /// The model the client asked for.
    case model

    /// The column; a fixed name from this table, never user text.
    var column: String {
        switch self {
        case .clientKey: return "client_key_id"
        case .route: return "route"
        case .provider: return "provider"
        case .credential: return "credential_id"
        case .model: return "requested_model"
        }
    }
}

/// The width of a time bucket of `GET /v1/usage` (UTC, aligned to the Unix epoch).
public enum UsageBucket: String, Sendable, CaseIterable {
    case minute, hour, day

    /// The width in seconds.
    public var seconds: Int {
        switch self {
        case .minute: return 60
        case .hour: return 3_600
        case .day: return 86_400
        }
    }
}

/// Sums over a set of usage records.
public struct UsageTotals: Sendable, Equatable {
    public var requests = 0
    /// Requests answered with a status of 400 or more, or whose stream ended in an error event
    /// after it began (status 200 with an error code: the upstream broke off, or the server shut
    /// down; a client that left is no error).
    public var errors = 0
    public var attempts = 0
    public var inputTokens = 0
    public var outputTokens = 0
    public var cachedTokens = 0
    public var reasoningTokens = 0
    /// Mean latency in milliseconds; nil without requests.
    public var latencyAverageMilliseconds: Double?
    /// 95th percentile latency (nearest rank) in milliseconds; nil without requests.
    public var latencyP95Milliseconds: Int?

    public init() {}
}

/// `GET /v1/usage`: totals over a window, per group and per time bucket, aggregated in SQL.
public struct UsageSummary: Sendable, Equatable {
    /// One group's totals; `key` is nil for records without a value in the grouped column.
    public struct Group: Sendable, Equatable {
        public var key: String?
        public var totals: UsageTotals
    }

    /// One time bucket's totals, starting at `start`.
    public struct Bucket: Sendable, Equatable {
        public var start: Date
        public var totals: UsageTotals
    }

    public var totals: UsageTotals
    /// Ordered by request count, descending, then key; empty without a grouping.
    public var groups: [Group]
    /// Oldest first; only buckets holding records; empty without a bucket width.
    public var buckets: [Bucket]
}

extension Store {
    /// Aggregates the usage records with `from <= at < to`: totals, then per `groupBy` value and
    /// per `bucket`. One `GROUP BY` query per level (plus one for the 95th percentiles), on the
    /// read connection; no record is loaded into memory.
    public func usageSummary(from: Date, to: Date, groupBy: UsageGrouping? = nil,
                             bucket: UsageBucket? = nil) async throws(StoreError) -> UsageSummary {
        let window: [SQLValue] = [.integer(Timestamp.milliseconds(from)), .integer(Timestamp.milliseconds(to))]
        return try await read { db, _ throws(StoreError) in
            let totals = try UsageQueries.aggregate(db, key: "NULL", window).first?.totals ?? UsageTotals()
            var groups: [UsageSummary.Group] = []
            if let groupBy {
                groups = try UsageQueries.aggregate(db, key: groupBy.column, window)
                    .map { UsageSummary.Group(key: $0.key, totals: $0.totals) }
                    .sorted { ($0.totals.requests, $1.key ?? "") > ($1.totals.requests, $0.key ?? "") }
            }
            var buckets: [UsageSummary.Bucket] = []
            if let bucket {
                let width = Int64(bucket.seconds) * 1000
                buckets = try UsageQueries.aggregate(db, key: "(at / \(width)) * \(width)", window).map { row in
                    UsageSummary.Bucket(start: Timestamp.date(milliseconds: row.key.flatMap { Int64($0) } ?? 0),
                                        totals: row.totals)
                }.sorted { $0.start < $1.start }
            }
            return UsageSummary(totals: totals, groups: groups, buckets: buckets)
        }
    }
}

/// The SQL of `usageSummary`. `key` expressions come from `UsageGrouping` and `UsageBucket`
/// only; the window is bound as parameters.
enum UsageQueries {
    /// Totals per value of `key` (one row when `key` is `NULL`), with the nearest-rank 95th
    /// percentile latency of each from a window function.
    static func aggregate(_ db: SQLiteConnection, key: String, _ window: [SQLValue])
        throws(StoreError) -> [(key: String?, totals: UsageTotals)] {
        let rows = try db.query("""
            SELECT \(key) AS k, COUNT(*), SUM(status >= 400 OR (error_code IS NOT NULL AND error_code != '\(UsageRecord.clientDisconnected)')), SUM(attempts), SUM(input_tokens), SUM(output_tokens),
                SUM(cached_tokens), SUM(reasoning_tokens), AVG(latency_ms)
            FROM usage_records WHERE at >= ?1 AND at < ?2 GROUP BY k
            """, window)
        let percentiles = try db.query("""
            SELECT k, latency_ms FROM (
                SELECT \(key) AS k, latency_ms,
                    ROW_NUMBER() OVER (PARTITION BY \(key) ORDER BY latency_ms) AS n,
                    COUNT(*) OVER (PARTITION BY \(key)) AS c
                FROM usage_records WHERE at >= ?1 AND at < ?2)
            WHERE n = (c * 95 + 99) / 100
            """, window)
        var p95: [String?: Int] = [:]
        for row in percentiles { p95[row.optionalString(0)] = row.int(1) }
        return rows.compactMap { row in
            guard row.int(1) > 0 else { return nil }
            var totals = UsageTotals()
            totals.requests = row.int(1)
            totals.errors = row.int(2)
            totals.attempts = row.int(3)
            totals.inputTokens = row.int(4)
            totals.outputTokens = row.int(5)
            totals.cachedTokens = row.int(6)
            totals.reasoningTokens = row.int(7)
            if case .real(let average) = row.values[8] { totals.latencyAverageMilliseconds = average }
            else if case .integer(let average) = row.values[8] { totals.latencyAverageMilliseconds = Double(average) }
            totals.latencyP95Milliseconds = p95[row.optionalString(0)]
            return (key: row.optionalString(0), totals: totals)
        }
    }
}
