import Synchronization

/// Counters and histograms for `GET /metrics`, updated once per finished request (never per
/// stream event) under one short lock; gauges are read at scrape time by the caller.
public final class Metrics: Sendable {
    /// Upper bounds (seconds) of the latency and time-to-first-byte histograms.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var total = 0

        mutating func observe(_ value: Double) {
            if let bucket = Metrics.buckets.firstIndex(where: { value <= $0 }) { counts[bucket] += 1 }
            sum += value
            total += 1
        }
    }

    /// Label values of one request series; a struct key costs no array or status string per request.
    private struct RequestSeries: Hashable {
        let endpoint: String
        let provider: String
        let model: String
        let status: Int
    }

    private struct State {
        var requests: [RequestSeries: Int] = [:]
        var attempts: [[String]: Int] = [:]
        var failovers: [[String]: Int] = [:]
        var latency: [String: Histogram] = [:]
        var firstByte: [String: Histogram] = [:]
        /// Served attempts by provider (the `ok` outcome), kept apart from failures for the same reason.
        var served: [String: Int] = [:]
        /// Requests a listener answered itself (`HTTPRefusal`), by listener and status.
        var refusals: [[String]: Int] = [:]
    }

    private let state = Mutex(State())
    private let streams = Atomic<Int>(0)

    public init() {}

    /// Streams being relayed right now.
    public var activeStreams: Int { streams.load(ordering: .relaxed) }
    func streamStarted() { streams.add(1, ordering: .relaxed) }
    func streamEnded() { streams.subtract(1, ordering: .relaxed) }

    func record(_ trace: RequestTrace) {
        let served = trace.attempts.last
        let provider = served?.provider ?? "", model = Self.modelLabel(trace)
        let latency = Self.seconds(ContinuousClock.now - trace.started)
        state.withLock { s in
            s.requests[RequestSeries(endpoint: trace.endpoint, provider: provider, model: model, status: trace.status), default: 0] += 1
            for attempt in trace.attempts {
                guard let failure = attempt.failure else {
                    s.served[attempt.provider, default: 0] += 1
                    continue
                }
                s.attempts[[attempt.provider, Self.reason(failure)], default: 0] += 1
                if !attempt.failedAfterCommit { s.failovers[[attempt.provider, Self.reason(failure)], default: 0] += 1 }
            }
            if let served, served.failure == nil {
                s.latency[served.provider, default: Histogram()].observe(latency)
                if let ttfb = trace.firstByte { s.firstByte[served.provider, default: Histogram()].observe(Self.seconds(ttfb)) }
            }
        }
    }

    /// A request `listener` answered itself, never reaching the gateway or admin API.
    public func recordRefusal(listener: String, status: Int) {
        state.withLock { $0.refusals[[listener, String(status)], default: 0] += 1 }
    }

    /// The Prometheus text exposition of the counters and histograms, then `gauges`.
    public func render(gauges: [Gauge]) -> String {
        let s = state.withLock { $0 }
        var out = PrometheusText()
        let requests = Dictionary(uniqueKeysWithValues: s.requests.map { series, count in
            ([series.endpoint, series.provider, series.model, String(series.status)], count)
        })
        var attempts = s.attempts
        for (provider, count) in s.served { attempts[[provider, "ok"]] = count }
        func histograms(_ byProvider: [String: Histogram]) -> [[String]: ([Int], Double, Int)] {
            Dictionary(uniqueKeysWithValues: byProvider.map { ([$0.key], ($0.value.counts, $0.value.sum, $0.value.total)) })
        }
        out.counter("switchyard_requests_total", "Gateway requests by endpoint, provider, model and status.",
                    ["endpoint", "provider", "model", "status"], requests)
        out.counter("switchyard_upstream_attempts_total", "Upstream attempts by provider and outcome.", ["provider", "outcome"], attempts)
        out.counter("switchyard_failovers_total", "Attempts that failed over, by provider and reason.", ["provider", "reason"], s.failovers)
        out.counter("switchyard_http_refusals_total",
                    "Requests a listener answered itself (framing errors, limits, timeouts, connections past the limit).",
                    ["listener", "status"], s.refusals)
        out.histogram("switchyard_upstream_latency_seconds", "Latency of served requests by provider.", ["provider"],
                      histograms(s.latency))
        out.histogram("switchyard_upstream_ttfb_seconds", "Time to first byte of served streams by provider.", ["provider"],
                      histograms(s.firstByte))
        out.gauge("switchyard_active_streams", "Streams being relayed.", [], [[]: Double(activeStreams)])
        for gauge in gauges { out.gauge(gauge.name, gauge.help, gauge.labels, gauge.values) }
        return out.text
    }

    /// The requested model, for requests that named one Switchyard serves: a request refused
    /// before any upstream (unknown or forbidden model, bad body) is counted under `""`, so a
    /// client cannot add a series per name it makes up.
    static func modelLabel(_ trace: RequestTrace) -> String {
        if trace.attempts.isEmpty && (400..<429).contains(trace.status) { return "" }
        return trace.requestedModel ?? ""
    }

    /// The failure summary's leading word (`HTTP 429` → `429`, `timeout`, `connect`…), bounding label values.
    static func reason(_ summary: String) -> String {
        let parts = summary.split(separator: " ")
        if parts.first == "HTTP", parts.count > 1 { return String(parts[1]) }
        return String(parts.first ?? "error")
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// A gauge family sampled at scrape time.
public struct Gauge: Sendable {
    public let name: String
    public let help: String
    public let labels: [String]
    public let values: [[String]: Double]

    public init(name: String, help: String, labels: [String] = [], values: [[String]: Double]) {
        self.name = name
        self.help = help
        self.labels = labels
        self.values = values
    }
}

/// Builds Prometheus text format 0.0.4: HELP and TYPE lines, escaped label values, sorted series.
struct PrometheusText {
    private(set) var text = ""

    mutating func counter(_ name: String, _ help: String, _ labels: [String], _ values: [[String]: Int]) {
        header(name, help, "counter")
        for (key, value) in values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            text += "\(name)\(Self.labels(labels, key)) \(value)\n"
        }
    }

    mutating func gauge(_ name: String, _ help: String, _ labels: [String], _ values: [[String]: Double]) {
        header(name, help, "gauge")
        for (key, value) in values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            text += "\(name)\(Self.labels(labels, key)) \(Self.number(value))\n"
        }
    }

    mutating func histogram(_ name: String, _ help: String, _ labels: [String], _ values: [[String]: ([Int], Double, Int)]) {
        header(name, help, "histogram")
        for (key, (counts, sum, total)) in values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var cumulative = 0
            for (bound, count) in zip(Metrics.buckets, counts) {
                cumulative += count
                text += "\(name)_bucket\(Self.labels(labels + ["le"], key + [Self.number(bound)])) \(cumulative)\n"
            }
            text += "\(name)_bucket\(Self.labels(labels + ["le"], key + ["+Inf"])) \(total)\n"
            text += "\(name)_sum\(Self.labels(labels, key)) \(Self.number(sum))\n"
            text += "\(name)_count\(Self.labels(labels, key)) \(total)\n"
        }
    }

    private mutating func header(_ name: String, _ help: String, _ type: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    static func labels(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let pairs = zip(names, values).map { "\($0)=\"\(escape($1))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and newline.
    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
