import Store

/// The router's live state that the admin API presents (`/v1/status`, `/v1/sessions`,
/// `/v1/explain`, `/v1/usage`, `/metrics`) and acts on (credential reset, session deletion).
public struct RouterRuntime: Sendable {
    public let registry: RoutingRegistry
    public let metrics: Metrics
    public let usage: UsageWriter?
    public let refresher: OAuthRefresher?
    public let persister: RuntimePersister
    /// Gauges only the process knows (open connections per listener…), sampled at scrape time.
    public let gauges: @Sendable () -> [Gauge]

    public init(registry: RoutingRegistry, metrics: Metrics, usage: UsageWriter?, refresher: OAuthRefresher?,
                persister: RuntimePersister, gauges: @escaping @Sendable () -> [Gauge] = { [] }) {
        self.registry = registry
        self.metrics = metrics
        self.usage = usage
        self.refresher = refresher
        self.persister = persister
        self.gauges = gauges
    }

    /// Removes matching session bindings from the live registry and the Store, never racing a
    /// batch of persisted changes; returns how many live bindings were removed.
    public func deleteSessions(provider: String?, session: String?) async throws(StoreError) -> Int {
        try await persister.deleteSessions(in: registry, provider: provider, session: session)
    }
}
