import HTTPCore
import Router

/// `GET /metrics`: the Prometheus text exposition (format 0.0.4) of the router's counters and
/// histograms, with gauges sampled now (see `RuntimeGauges`).
enum MetricsHandler {
    static let contentType = "text/plain; version=0.0.4"

    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let runtime = try context.requireRuntime()
        let text = runtime.metrics.render(gauges: RuntimeGauges.sample(runtime, snapshot: context.snapshot) + runtime.gauges())
        var headers = HTTPHeaders()
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: 200, headers: headers, body: .bytes(Array(text.utf8)))
    }
}
