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

    public init(store: Store, registry: RoutingRegistry, client: UpstreamClient, refresher: OAuthRefresher) {
        self.store = store
        self.registry = registry
        self.refresher = refresher
        exchange = UpstreamExchange(client: client)
        loop = AttemptLoop(registry: registry)
    }

    /// Every gateway route; errors are rendered by `renderError` in the endpoint's dialect.
    public func routes() -> HTTPRoutes {
        var routes = HTTPRoutes()
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        routes.add("POST", "/v1/chat/completions") { [self] in try await generate($0, dialect: .openai) }
        routes.add("GET", "/v1/models") { [self] in try listModels($0, dialect: .openai) }
        routes.add("POST", "/v1/messages") { [self] in try await generate($0, dialect: .anthropic) }
        routes.add("POST", "/v1/messages/count_tokens") { [self] in try await countTokens($0, dialect: .anthropic) }
        routes.add("POST", "/v1beta/models/{model}:generateContent") { [self] in try await generate($0, dialect: .gemini) }
        routes.add("POST", "/v1beta/models/{model}:streamGenerateContent") { [self] in
            try await generate($0, dialect: .gemini, geminiStream: true)
        }
        routes.add("POST", "/v1beta/models/{model}:countTokens") { [self] in try await countTokens($0, dialect: .gemini) }
        routes.add("GET", "/v1beta/models") { [self] in try listModels($0, dialect: .gemini) }
        return routes
    }

    /// The one place gateway errors become responses.
    public func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        GatewayErrorRenderer.render(error, request)
    }

    // MARK: Endpoints

    private func generate(_ http: HTTPRequest, dialect: Dialect, geminiStream: Bool = false) async throws -> HTTPResponse {
        let snapshot = store.snapshot
        let key = try ClientAuthentication.authenticate(http, in: snapshot)
        let call = try GatewayCall.decode(http, dialect: dialect, countTokens: false, pathModel: geminiModel(http),
                                          geminiStream: geminiStream)
        let route = RouteRequest(model: call.requestedModel, clientKey: key, session: SessionKey(SessionFacts(call, http)))
        let created = Int(Date().timeIntervalSince1970)
        if call.isStream {
            let (relay, dropped) = try await loop.run(route, snapshot: snapshot) { target throws(GatewayFailure) in
                try await openStream(call, target: target, settings: snapshot.settings, created: created)
            }
            var headers = droppedHeader(dropped)
            headers.add("Content-Type", StreamEncoder.contentType(for: dialect, geminiFraming: call.geminiFraming))
            headers.add("Cache-Control", "no-cache")
            return HTTPResponse(status: 200, headers: headers, body: .stream { writer in try await relay.relay(to: writer) })
        }
        let (body, dropped) = try await loop.run(route, snapshot: snapshot) { target throws(GatewayFailure) in
            try await complete(call, target: target, settings: snapshot.settings, created: created)
        }
        return .json(200, body, headers: droppedHeader(dropped))
    }

    private func countTokens(_ http: HTTPRequest, dialect: Dialect) async throws -> HTTPResponse {
        let snapshot = store.snapshot
        let key = try ClientAuthentication.authenticate(http, in: snapshot)
        let call = try GatewayCall.decode(http, dialect: dialect, countTokens: true, pathModel: geminiModel(http), geminiStream: false)
        let route = RouteRequest(model: call.requestedModel, clientKey: key, session: nil)
        let tokens = try await loop.run(route, snapshot: snapshot) { target throws(GatewayFailure) in
            try await count(call, target: target, settings: snapshot.settings)
        }
        return .json(200, Translator.encodeCountTokensResponse(tokens, to: dialect))
    }

    private func listModels(_ http: HTTPRequest, dialect: Dialect) throws -> HTTPResponse {
        let snapshot = store.snapshot
        let key = try ClientAuthentication.authenticate(http, in: snapshot)
        return .json(200, ModelListing.body(ModelAccess.listModels(for: key, in: snapshot), dialect: dialect))
    }

    private func geminiModel(_ http: HTTPRequest) -> String? {
        http.pathParameters["model"].map { $0.hasPrefix("models/") ? String($0.dropFirst(7)) : $0 }
    }

    private func droppedHeader(_ dropped: [String]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if !dropped.isEmpty { headers.add("X-Switchyard-Dropped", dropped.joined(separator: ",")) }
        return headers
    }

    // MARK: What one attempt does

    private func upstreamRequest(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings)
        async throws(GatewayFailure) -> (UpstreamRequest, Dialect, [String]) {
        let dialect = ProviderRequest.dialect(target.provider.type)
        let encoded = try call.upstreamBody(for: dialect, model: target.model)
        let credential = await refresher.fresh(target.credential)
        let request = ProviderRequest.make(provider: target.provider, credential: credential, model: target.model,
                                           operation: call.operation, body: encoded.body, clientHeaders: call.clientHeaders,
                                           settings: settings)
        return (request, dialect, encoded.dropped)
    }

    private func complete(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings,
                          created: Int) async throws(GatewayFailure) -> AttemptResult<([UInt8], [String])> {
        let (request, dialect, dropped) = try await upstreamRequest(call, target: target, settings: settings)
        switch await exchange.send(request, dialect: dialect) {
        case .failure(let failure, let error): return .failure(failure, clientError: error)
        case .success(let response):
            let body: [UInt8]
            do {
                body = try await response.body.collect()
            } catch {
                return UpstreamExchange.transportFailure(error)
            }
            if dialect == call.dialect { return .success((body, dropped)) }
            do {
                var decoded = try Translator.decodeResponse(body, from: dialect, model: target.model)
                decoded.model = call.requestedModel
                return .success((Translator.encodeResponse(decoded, to: call.dialect, created: created), dropped))
            } catch {
                return .failure(UpstreamFailure(status: 502),
                                clientError: GatewayError(kind: .api, message: "upstream sent an unreadable response", status: 502,
                                                          code: "upstream_bad_response"))
            }
        }
    }

    private func openStream(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings,
                            created: Int) async throws(GatewayFailure) -> AttemptResult<(StreamRelay, [String])> {
        let (request, dialect, dropped) = try await upstreamRequest(call, target: target, settings: settings)
        switch await exchange.send(request, dialect: dialect) {
        case .failure(let failure, let error): return .failure(failure, clientError: error)
        case .success(let response):
            switch await StreamRelay.open(response, call: call, upstream: dialect, model: target.model, created: created) {
            case .success(let relay): return .success((relay, dropped))
            case .failure(let failure, let error): return .failure(failure, clientError: error)
            }
        }
    }

    private func count(_ call: GatewayCall, target: AttemptLoop.Target,
                       settings: Settings) async throws(GatewayFailure) -> AttemptResult<Int> {
        let dialect = ProviderRequest.dialect(target.provider.type)
        if dialect == .openai { return .success(TokenEstimator.estimate(call.request)) }
        let (request, _, _) = try await upstreamRequest(call, target: target, settings: settings)
        switch await exchange.send(request, dialect: dialect) {
        case .failure(let failure, let error): return .failure(failure, clientError: error)
        case .success(let response):
            do {
                return .success(try Translator.decodeCountTokensResponse(try await response.body.collect(), from: dialect))
            } catch {
                return .failure(UpstreamFailure(status: 502),
                                clientError: GatewayError(kind: .api, message: "upstream sent an unreadable token count", status: 502,
                                                          code: "upstream_bad_response"))
            }
        }
    }
}
