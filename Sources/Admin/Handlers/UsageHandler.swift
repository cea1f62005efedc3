import HTTPCore
import JSON
import Store

/// `GET /v1/usage`: request, error, token, attempt and latency totals over a time window,
/// overall, per `group_by` value and per `bucket`; aggregated by the Store in SQL.
enum UsageHandler {
    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        _ = try context.requireRuntime()
        let query = try UsageQuery.parse(request, now: context.now())
        let summary = try await context.store.usageSummary(from: query.from, to: query.to, groupBy: query.groupBy, bucket: query.bucket)
        return Wire.json(200, UsageCodec.encode(summary, query))
    }
}
