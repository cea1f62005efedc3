import Foundation
import HTTPCore
import Store
import Translators
import UpstreamHTTP

/// The public port: every model endpoint of SPEC §3 in the three formats, routed through one
/// attempt loop with failover, answering in the caller's own format.
public final class Gateway: Sendable {
    let store: Store
    let registry: RoutingRegistry
    let exchange: UpstreamExchange
    let loop: AttemptLoop
    let refresher: OAuthRefresher
    let observer: RequestObserver
    /// Ids for translated responses whose upstream gave none (a Gemini body without `responseId`).
    let responseIDs = RequestIDGenerator(prefix: "gen_")
    /// Provider models that refused `stream_options` (until a restart): their streams go without.
    let usageRequestRefusals = UsageRequestRefusals()

    public init(store: Store, registry: RoutingRegistry, client: UpstreamClient, refresher: OAuthRefresher,
                observer: RequestObserver) {
        self.store = store
        self.registry = registry
        self.refresher = refresher
        self.observer = observer
        exchange = UpstreamExchange(client: client, clock: registry.clock)
        loop = AttemptLoop(registry: registry)
    }

    /// Every gateway route; errors are rendered by `renderError` in the endpoint's dialect.
    public func routes() -> HTTPRoutes {
        var routes = HTTPRoutes()
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        routes.add("POST", "/v1/chat/completions") { [self] in try await generate($0, dialect: .openai) }
        routes.add("POST", "/v1/messages") { [self] in try await generate($0, dialect: .anthropic) }
        routes.add("POST", "/v1/messages/count_tokens") { [self] in try await countTokens($0, dialect: .anthropic) }
        // Gemini under v1beta (SPEC §3) and v1 (the current google-genai SDK's default version).
        for version in ["v1beta", "v1"] {
            routes.add("POST", "/\(version)/models/{model}:generateContent") { [self] in try await generate($0, dialect: .gemini) }
            routes.add("POST", "/\(version)/models/{model}:streamGenerateContent") { [self] in
                try await generate($0, dialect: .gemini, geminiStream: true)
            }
            routes.add("POST", "/\(version)/models/{model}:countTokens") { [self] in try await countTokens($0, dialect: .gemini) }
            // Any other action (`:embedContent`, …) is an endpoint Switchyard does not have, not a wrong method.
            routes.add("POST", "/\(version)/models/{model}") { throw HTTPRouteError.notFound(path: $0.path) }
        }
        // Model lists: /v1beta is Gemini's; /v1 answers in the format the caller's headers reveal.
        routes.add("GET", "/v1/models") { [self] in try listModels($0, dialect: GatewayErrorRenderer.listingDialect($0)) }
        routes.add("GET", "/v1/models/{model}") { [self] in try getModel($0, dialect: GatewayErrorRenderer.listingDialect($0)) }
        routes.add("GET", "/v1beta/models") { [self] in try listModels($0, dialect: .gemini) }
        routes.add("GET", "/v1beta/models/{model}") { [self] in try getModel($0, dialect: .gemini) }
        return routes
    }

    /// The one place gateway errors become responses.
    public func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        GatewayErrorRenderer.render(error, request)
    }

    // MARK: Endpoints

    private func generate(_ http: HTTPRequest, dialect: Dialect, geminiStream: Bool = false) async throws -> HTTPResponse {
        var trace = RequestTrace(id: http.id, path: http.path, dialect: dialect)
        do {
            let snapshot = store.snapshot
            let key = try ClientAuthentication.authenticate(http, in: snapshot)
            trace.clientKeyID = key.id
            let call = try GatewayCall.decode(http, dialect: dialect, countTokens: false, pathModel: geminiModel(http),
                                              geminiStream: geminiStream)
            trace.requestedModel = call.requestedModel
            trace.stream = call.isStream
            let route = RouteRequest(model: call.requestedModel, clientKey: key, session: SessionKey(SessionFacts(call, http)))
            let created = Int(Date().timeIntervalSince1970)
            if call.isStream {
                let (relay, dropped) = try await loop.run(route, snapshot: snapshot, trace: &trace) { target throws(GatewayFailure) in
                    try await openStream(call, target: target, settings: snapshot.settings, created: created)
                }
                var headers = droppedHeader(dropped)
                headers.add("Content-Type", StreamEncoder.contentType(for: dialect, geminiFraming: call.geminiFraming))
                headers.add("Cache-Control", "no-cache")
                trace.status = 200
                let committed = trace
                return HTTPResponse(status: 200, headers: headers, body: .stream { [observer, registry] writer in
                    var trace = committed
                    observer.metrics.streamStarted()
                    defer {
                        observer.metrics.streamEnded()
                        observer.finish(trace)
                    }
                    guard let failure = try await relay.relay(to: writer, trace: &trace),
                          let served = trace.attempts.indices.last else { return }
                    // Too late to fail over, not too late to cool: the next requests go elsewhere.
                    let attempt = trace.attempts[served]
                    registry.reportAfterCommit(failure, of: Candidate(credentialID: attempt.credentialID, provider: attempt.provider,
                                                                      model: attempt.model), snapshot: snapshot)
                    trace.attempts[served].failure = failure.summary
                    trace.attempts[served].failedAfterCommit = true
                })
            }
            let (answer, dropped) = try await loop.run(route, snapshot: snapshot, trace: &trace) { target throws(GatewayFailure) in
                try await complete(call, target: target, settings: snapshot.settings, created: created)
            }
            trace.status = 200
            var response = HTTPResponse.json(200, answer.body, headers: droppedHeader(dropped))
            let finished = trace
            response.afterSending = { [observer] in
                var trace = finished
                trace.usage = answer.usage
                observer.finish(trace)
            }
            return response
        } catch {
            finish(&trace, of: http, failedWith: error)
            throw error
        }
    }

    private func countTokens(_ http: HTTPRequest, dialect: Dialect) async throws -> HTTPResponse {
        var trace = RequestTrace(id: http.id, path: http.path, dialect: dialect)
        do {
            let snapshot = store.snapshot
            let key = try ClientAuthentication.authenticate(http, in: snapshot)
            trace.clientKeyID = key.id
            let call = try GatewayCall.decode(http, dialect: dialect, countTokens: true, pathModel: geminiModel(http), geminiStream: false)
            trace.requestedModel = call.requestedModel
            let route = RouteRequest(model: call.requestedModel, clientKey: key, session: nil)
            let tokens = try await loop.run(route, snapshot: snapshot, trace: &trace) { target throws(GatewayFailure) in
                try await count(call, target: target, settings: snapshot.settings)
            }
            trace.status = 200
            observer.finish(trace)
            return .json(200, Translator.encodeCountTokensResponse(tokens, to: dialect))
        } catch {
            finish(&trace, of: http, failedWith: error)
            throw error
        }
    }

    private func finish(_ trace: inout RequestTrace, of http: HTTPRequest, failedWith error: any Error) {
        let canonical = GatewayErrorRenderer.canonical(error)
        trace.status = GatewayErrorRenderer.status(canonical, dialect: trace.dialect)
        trace.errorCode = canonical.code
        if http.wasAnsweredByServer {
            // Cancelled at the drain deadline: the client got the server's 503, not nothing.
            trace.status = HTTPServerError.shuttingDown.status
            trace.errorCode = HTTPServerError.shuttingDown.code
        }
        observer.finish(trace)
    }

    private func listModels(_ http: HTTPRequest, dialect: Dialect) throws -> HTTPResponse {
        let snapshot = store.snapshot
        let key = try ClientAuthentication.authenticate(http, in: snapshot)
        return .json(200, ModelListing.list(ModelAccess.listModels(for: key, in: snapshot), dialect: dialect))
    }

    /// One listed model; a model that resolves but is not listable (a glob match) is answered too.
    private func getModel(_ http: HTTPRequest, dialect: Dialect) throws -> HTTPResponse {
        let snapshot = store.snapshot
        let key = try ClientAuthentication.authenticate(http, in: snapshot)
        let requested = geminiModel(http) ?? ""
        // `models/x:generateContent` and the like are actions, POST only: not a model named so.
        if requested.contains(":") { throw HTTPRouteError.methodNotAllowed(allowed: ["POST"]) }
        let listed = ModelAccess.listModels(for: key, in: snapshot).first { $0.id.lowercased() == requested.lowercased() }
        if let listed { return .json(200, ModelListing.single(listed, dialect: dialect)) }
        if let error = registry.explain(RouteRequest(model: requested, clientKey: key), snapshot: snapshot).error {
            throw AttemptLoop.failure(error)
        }
        return .json(200, ModelListing.single(ListedModel(id: requested, ownedBy: "switchyard"), dialect: dialect))
    }

    private func geminiModel(_ http: HTTPRequest) -> String? {
        http.pathParameters["model"].map { $0.hasPrefix("models/") ? String($0.dropFirst(7)) : $0 }
    }

    private func droppedHeader(_ dropped: [String]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if !dropped.isEmpty { headers.add("X-Switchyard-Dropped", dropped.joined(separator: ",")) }
        return headers
    }
}
