import HTTPCore
import Router
import Store

/// `POST /v1/explain`: which candidate would serve a request now and why each other one was
/// passed over — a dry run on a copy of the live routing state. A model the gateway would not
/// find is a 404 (`model_not_found`), one the client key may not use a 403 (`model_not_allowed`).
enum ExplainHandler {
    static func post(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let runtime = try context.requireRuntime()
        let snapshot = context.snapshot
        let input = try ExplainRequest.decode(Wire.object(request), snapshot: snapshot)
        let explanation = runtime.registry.explain(input.routeRequest, snapshot: snapshot)
        switch explanation.error {
        case .modelNotFound(let model)?:
            throw AdminError.routing(status: 404, code: "model_not_found", message: "no route, provider or alias serves model '\(model)'",
                                     field: "model")
        case .modelNotAllowed(let model)?:
            throw AdminError.routing(status: 403, code: "model_not_allowed",
                                     message: "client key '\(input.clientKey?.id ?? "")' may not use model '\(model)'", field: "model")
        case .noneEnabled?, nil:
            let now = runtime.registry.clock.now()
            return Wire.json(200, ExplanationCodec.encode(explanation, input: input, settings: snapshot.settings, now: now))
        }
    }
}
