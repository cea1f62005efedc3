import Foundation
import HTTPCore
import JSON
import Router
import Store

/// The admin API served on the admin port: every resource of SPEC §4 over one `Store`.
public struct AdminAPI: Sendable {
    public let store: Store
    /// Where the live router registers its reset callback and live health source.
    public let hooks: AdminHooks
    /// The live router behind `/v1/status`, `/v1/sessions`, `/v1/explain`, `/v1/usage` and
    /// `/metrics`; without it those answer 503 `runtime_unavailable`.
    public let runtime: RouterRuntime?
    let now: @Sendable () -> Date
    let auth: AdminAuth

    /// `failuresPerAddress` wrong tokens are answered 401, then 429 until the bucket regains a
    /// try (one every `failureRefillSeconds`).
    public init(store: Store, now: @escaping @Sendable () -> Date = { Date() }, hooks: AdminHooks = AdminHooks(),
                runtime: RouterRuntime? = nil, failuresPerAddress: Int = 10, failureRefillSeconds: Double = 6) {
        self.store = store
        self.now = now
        self.hooks = hooks
        self.runtime = runtime
        auth = AdminAuth(buckets: FailureBuckets(capacity: failuresPerAddress, refillInterval: failureRefillSeconds), now: now)
    }

    typealias Operation = @Sendable (AdminContext, HTTPRequest) async throws -> HTTPResponse

    /// Every admin operation: (method, path pattern, handler). `openapi.yaml` documents exactly these.
    static let operations: [(String, String, Operation)] = [
        ("GET", "/v1/providers", ProviderHandlers.list),
        ("POST", "/v1/providers", ProviderHandlers.create),
        ("GET", "/v1/providers/{name}", ProviderHandlers.get),
        ("PUT", "/v1/providers/{name}", ProviderHandlers.put),
        ("PATCH", "/v1/providers/{name}", ProviderHandlers.patch),
        ("DELETE", "/v1/providers/{name}", ProviderHandlers.delete),
        ("GET", "/v1/credentials", CredentialHandlers.list),
        ("POST", "/v1/credentials", CredentialHandlers.create),
        ("GET", "/v1/credentials/{id}", CredentialHandlers.get),
        ("PUT", "/v1/credentials/{id}", CredentialHandlers.put),
        ("PATCH", "/v1/credentials/{id}", CredentialHandlers.patch),
        ("DELETE", "/v1/credentials/{id}", CredentialHandlers.delete),
        ("POST", "/v1/credentials/{id}/reset", CredentialHandlers.reset),
        ("GET", "/v1/routes", RouteHandlers.list),
        ("POST", "/v1/routes", RouteHandlers.create),
        ("GET", "/v1/routes/{name}", RouteHandlers.get),
        ("PUT", "/v1/routes/{name}", RouteHandlers.put),
        ("DELETE", "/v1/routes/{name}", RouteHandlers.delete),
        ("GET", "/v1/client-keys", ClientKeyHandlers.list),
        ("POST", "/v1/client-keys", ClientKeyHandlers.create),
        ("GET", "/v1/client-keys/{id}", ClientKeyHandlers.get),
        ("PUT", "/v1/client-keys/{id}", ClientKeyHandlers.put),
        ("PATCH", "/v1/client-keys/{id}", ClientKeyHandlers.patch),
        ("DELETE", "/v1/client-keys/{id}", ClientKeyHandlers.delete),
        ("GET", "/v1/settings", SettingsHandlers.get),
        ("PATCH", "/v1/settings", SettingsHandlers.patch),
        ("GET", "/v1/config", ConfigHandlers.get),
        ("PUT", "/v1/config", ConfigHandlers.put),
        ("GET", "/v1/status", StatusHandler.get),
        ("GET", "/v1/sessions", SessionHandlers.list),
        ("DELETE", "/v1/sessions", SessionHandlers.delete),
        ("POST", "/v1/explain", ExplainHandler.post),
        ("GET", "/v1/usage", UsageHandler.get),
        ("GET", "/metrics", MetricsHandler.get),
    ]

    /// Every admin route (all but `/healthz` behind the admin token), errors rendered by `renderError`.
    public func routes() -> HTTPRoutes {
        var routes = HTTPRoutes()
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        let context = AdminContext(store: store, now: now, hooks: hooks, runtime: runtime)
        let auth = auth
        for (method, pattern, operation) in Self.operations {
            routes.add(method, pattern) { request in
                try auth.check(request, snapshot: context.snapshot)
                return try await operation(context, request)
            }
        }
        return routes
    }

    /// The one place admin errors become responses: `{"error":{"code","message","field"}}`.
    public func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        ErrorRenderer.render(error)
    }

    /// Applies a declarative configuration file (the shape of `PUT /v1/config`) at start; throws
    /// (changing nothing) when it cannot be read or is invalid.
    public func applyConfigFile(_ path: String) async throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AdminError.malformed(code: "unreadable", message: "cannot read \(path)", field: nil)
        }
        let value: JSONValue
        do { value = try JSONValue.parse(Array(data)) } catch { throw AdminError.malformedJSON("malformed JSON: \(error)") }
        guard case .object(let object) = value else { throw AdminError.malformedJSON("the configuration must be a JSON object") }
        let snapshot = store.snapshot
        let configuration = try ConfigurationCodec.decode(object, current: snapshot.configuration, now: now())
        try await store.replaceConfiguration(configuration, expectedVersion: snapshot.version)
    }
}
