import Foundation

/// Retry hints of upstream errors, in precedence order: `retry-after-ms`, `Retry-After`
/// (delay-seconds or HTTP-date), then Gemini's `RetryInfo.retryDelay` (`"12.5s"`) in the body.
/// Junk, negative values, zero and dates not in the future are ignored (nil: the backoff
/// applies; a zero hint would leave a rate-limited candidate to be hammered at once); values
/// above `cap` are clamped to it. All results are milliseconds.
public enum RetryHint {
    /// Six hours, the default `max_cooldown_seconds`.
    public static let defaultCapMilliseconds: Int64 = 21_600_000

    /// The hint of an error response. `header` looks a header up case-insensitively; `body` is the
    /// raw error body (parsed here only if it may carry a `retryDelay`).
    public static func parse(header: (String) -> String?, body: String? = nil, now: Moment,
                             capMilliseconds: Int64 = defaultCapMilliseconds) -> Int64? {
        if let value = header("retry-after-ms"), let ms = milliseconds(retryAfterMS: value), ms > 0 {
            return clamp(ms, capMilliseconds)
        }
        if let value = header("retry-after"), let ms = milliseconds(retryAfter: value, now: now), ms > 0 {
            return clamp(ms, capMilliseconds)
        }
        if let body, let ms = milliseconds(body: body), ms > 0 { return clamp(ms, capMilliseconds) }
        return nil
    }

    /// `retry-after-ms: 1500` (a non-negative decimal number of milliseconds).
    public static func milliseconds(retryAfterMS value: String) -> Int64? {
        guard let number = decimal(value.trimmingCharacters(in: .whitespaces)) else { return nil }
        return saturating(number)
    }

    /// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` relative to `now`.
    public static func milliseconds(retryAfter value: String, now: Moment) -> Int64? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = decimal(trimmed) { return saturating(seconds * 1000) }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        let delta = date.milliseconds(since: now)
        return delta >= 0 ? delta : nil
    }

    /// Gemini's duration form `"12.5s"` (also `"3s"`, `"0.250s"`).
    public static func milliseconds(googleDuration value: String) -> Int64? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("s"), let seconds = decimal(String(trimmed.dropLast())) else { return nil }
        return saturating(seconds * 1000)
    }

    /// Finds `"retryDelay": "…s"` in a raw error body (JSON or not).
    public static func milliseconds(body: String) -> Int64? {
        guard body.contains("retryDelay") else { return nil }
        if let data = body.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data),
           let ms = milliseconds(json: json) {
            return ms
        }
        guard let key = body.range(of: "\"retryDelay\"") else { return nil }
        let rest = body[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\t" || $0 == "\n" }
        guard rest.first == "\"" else { return nil }
        let value = rest.dropFirst().prefix { $0 != "\"" }
        return milliseconds(googleDuration: String(value))
    }

    /// Finds a `retryDelay` string anywhere in an already parsed JSON value (`JSONSerialization`
    /// shapes: dictionaries, arrays, strings), e.g. `error.details[].retryDelay` of a
    /// `google.rpc.RetryInfo` detail.
    public static func milliseconds(json: Any, depth: Int = 0) -> Int64? {
        guard depth < 8 else { return nil }
        if let object = json as? [String: Any] {
            if let delay = object["retryDelay"] as? String, let ms = milliseconds(googleDuration: delay) { return ms }
            for key in object.keys.sorted() {
                if let ms = milliseconds(json: object[key]!, depth: depth + 1) { return ms }
            }
        } else if let array = json as? [Any] {
            for element in array.prefix(32) {
                if let ms = milliseconds(json: element, depth: depth + 1) { return ms }
            }
        }
        return nil
    }

    /// A plain non-negative decimal: digits with at most one dot, no sign, no exponent.
    private static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 32, text.first != ".",
              text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private static func saturating(_ ms: Double) -> Int64 { ms >= 9.0e15 ? Int64(9.0e15) : Int64(ms.rounded(.up)) }

    private static func clamp(_ ms: Int64, _ cap: Int64) -> Int64 { min(max(0, ms), cap) }
}
