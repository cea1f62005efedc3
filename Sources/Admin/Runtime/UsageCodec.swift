import JSON
import Store

/// The body of `GET /v1/usage`.
enum UsageCodec {
    static func encode(_ summary: UsageSummary, _ query: UsageQuery) -> JSONValue {
        [
            "from": .string(Timestamps.format(query.from)),
            "to": .string(Timestamps.format(query.to)),
            "group_by": .optional(query.groupBy?.rawValue),
            "bucket": .optional(query.bucket?.rawValue),
            "totals": encode(summary.totals),
            "groups": .array(summary.groups.map { ["key": .optional($0.key), "totals": encode($0.totals)] }),
            "buckets": .array(summary.buckets.map { ["start": .string(Timestamps.format($0.start)), "totals": encode($0.totals)] }),
        ]
    }

    /// Latency in milliseconds: the mean to 0.1 ms, the 95th percentile by nearest rank.
    static func encode(_ totals: UsageTotals) -> JSONValue {
        [
            "requests": .int(totals.requests), "errors": .int(totals.errors), "attempts": .int(totals.attempts),
            "input_tokens": .int(totals.inputTokens), "output_tokens": .int(totals.outputTokens),
            "cached_tokens": .int(totals.cachedTokens), "reasoning_tokens": .int(totals.reasoningTokens),
            "latency_ms_avg": totals.latencyAverageMilliseconds.map { .number(JSONNumber(($0 * 10).rounded() / 10)) } ?? .null,
            "latency_ms_p95": totals.latencyP95Milliseconds.map(JSONValue.int) ?? .null,
        ]
    }
}
