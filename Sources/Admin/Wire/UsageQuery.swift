import Foundation
import HTTPCore
import Store

/// The query of `GET /v1/usage`, validated as a whole (every problem reported in one 422):
/// `from` and `to` as RFC 3339 or Unix seconds (default: the 24 hours up to now; `from < to`),
/// `group_by` and `bucket` from their enumerations, at most `maxBuckets` buckets in the window.
struct UsageQuery {
    static let defaultWindow: TimeInterval = 86_400
    static let maxBuckets = 10_000
    /// 9999-12-31T23:59:59Z: later times are refused rather than overflowing.
    static let latestSeconds: Double = 253_402_300_799

    let from: Date
    let to: Date
    let groupBy: UsageGrouping?
    let bucket: UsageBucket?

    static func parse(_ request: HTTPRequest, now: Date) throws(AdminError) -> UsageQuery {
        let issues = Issues()
        let fromText = try Wire.query(request, "from"), toText = try Wire.query(request, "to")
        let from = fromText.flatMap { time($0, "from", issues) }
        let to = toText.flatMap { time($0, "to", issues) }
        let groupBy = try Wire.query(request, "group_by").flatMap { choice($0, "group_by", UsageGrouping.self, issues) }
        let bucket = try Wire.query(request, "bucket").flatMap { choice($0, "bucket", UsageBucket.self, issues) }
        try issues.check()
        let end = to ?? now
        let start = from ?? end.addingTimeInterval(-defaultWindow)
        if start >= end { issues.add("invalid_value", "from", "must be before to") }
        if let bucket, end.timeIntervalSince(start) / Double(bucket.seconds) > Double(maxBuckets) {
            issues.add("invalid_value", "bucket", "the window holds more than \(maxBuckets) \(bucket.rawValue) buckets; widen the bucket or narrow the window")
        }
        try issues.check()
        return UsageQuery(from: start, to: end, groupBy: groupBy, bucket: bucket)
    }

    /// RFC 3339 (`2026-01-02T03:04:05Z`, fractions and offsets allowed) or Unix seconds (`1767323045`, fractions allowed).
    static func time(_ text: String, _ field: String, _ issues: Issues) -> Date? {
        if let date = Timestamps.parse(text) {
            if date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 <= latestSeconds { return date }
        } else if text.first?.isNumber == true, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let seconds = Double(text), seconds <= latestSeconds {
            return Date(timeIntervalSince1970: seconds)
        }
        issues.add("invalid_value", field, "must be an RFC 3339 timestamp or Unix seconds between 1970 and 9999")
        return nil
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ text: String, _ field: String, _ type: E.Type,
                                                            _ issues: Issues) -> E? where E.RawValue == String {
        if let value = E(rawValue: text) { return value }
        issues.add("invalid_value", field, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }
}
