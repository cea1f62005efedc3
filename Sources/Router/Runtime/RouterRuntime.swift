/// The router's live state that the admin API presents (`/v1/status`, `/v1/sessions`,
/// `/v1/explain`, `/v1/usage`, `/metrics`) and acts on (credential reset).
public struct RouterRuntime: Sendable {
    public let registry: RoutingRegistry
    public let metrics: Metrics
    public let usage: UsageWriter?
    public let refresher: OAuthRefresher?
    /// Gauges only the process knows (open connections per listener…), sampled at scrape time.
    public let gauges: @Sendable () -> [Gauge]

    public init(registry: RoutingRegistry, metrics: Metrics, usage: UsageWriter?, refresher: OAuthRefresher?,
                gauges: @escaping @Sendable () -> [Gauge] = { [] }) {
        self.registry = registry
        self.metrics = metrics
        self.usage = usage
        self.refresher = refresher
        self.gauges = gauges
    }
}
