import Logging

/// Where finished requests go: a usage record for the writer and one JSON log line.
public final class RequestObserver: Sendable {
    let logger: Logger
    let usage: UsageWriter?

    public init(logger: Logger, usage: UsageWriter?) {
        self.logger = logger
        self.usage = usage
    }

    func finish(_ trace: RequestTrace) {
        usage?.enqueue(trace.usageRecord)
        let severity: LogLevel = trace.status >= 500 ? .warning : .info
        if logger.enabled(severity) { logger.log(severity, "request", fields: trace.logFields) }
    }
}
