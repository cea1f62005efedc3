import HTTPCore
import Router
import Store

/// `GET /v1/status`: every credential's availability now, every non-ready health state of the
/// live router, and OAuth refreshes that failed; `?credential=ID` narrows all three to one.
enum StatusHandler {
    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let runtime = try context.requireRuntime()
        let filter = try Wire.filter(request, "credential")
        let snapshot = context.snapshot
        if let filter, snapshot.credentialsByID[filter] == nil { throw StoreError.notFound(.credential, filter) }
        let credentials = snapshot.credentials.filter { filter == nil || $0.id == filter }
        let state = runtime.registry.snapshot
        let now = runtime.registry.clock.now()
        let failures = (runtime.refresher?.failedRefreshes() ?? [:]).filter { filter == nil || $0.key == filter }
        return Wire.json(200, StatusCodec.encode(credentials: credentials, state: state, snapshot: snapshot,
                                                 failedRefreshes: failures, now: now))
    }
}
