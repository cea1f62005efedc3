import Logging

/// Where finished requests go: metrics, a usage record for the writer and one JSON log line.
public final class RequestObserver: Sendable {
    let logger: Logger
    let usage: UsageWriter?
    public let metrics: Metrics

    public init(logger: Logger, usage: UsageWriter?, metrics: Metrics = Metrics()) {
        self.logger = logger
        self.usage = usage
        self.metrics = metrics
    }

    func finish(_ trace: RequestTrace) {
        metrics.record(trace)
        usage?.enqueue(trace.usageRecord)
        let severity: LogLevel = trace.status >= 500 ? .warning : .info
        if logger.enabled(severity) { logger.log(severity, "request", fields: trace.logFields) }
    }
}
