import Foundation
import HTTPCore
import Store
import Translators
import UpstreamHTTP

/// What one attempt does for each operation; the attempt loop decides everything else.
extension Gateway {
    /// A complete (non-streamed) answer in the client's format, and its token usage.
    struct Answer: Sendable {
        let body: [UInt8]
        private let decodedUsage: Usage?
        /// A body passed through as the upstream sent it: its usage is read from it only for the
        /// records, once the answer is on its way (off the client's latency).
        private let usageDialect: Dialect?

        init(translated body: [UInt8], usage: Usage?) {
            self.body = body
            decodedUsage = usage
            usageDialect = nil
        }

        init(passedThrough body: [UInt8], dialect: Dialect) {
            self.body = body
            decodedUsage = nil
            usageDialect = dialect
        }

        var usage: Usage? { decodedUsage ?? usageDialect.flatMap { Translator.usage(ofResponse: body, from: $0) } }
    }

    /// The upstream request of one attempt, its dialect, the features dropped to build it, and
    /// the secret values it carries (to redact from upstream error messages).
    func upstreamRequest(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings, streamUsage: Bool = true)
        async throws(GatewayFailure) -> (request: UpstreamRequest, dialect: Dialect, dropped: [String], secrets: SecretRedactor) {
        let dialect = ProviderRequest.dialect(target.provider.type)
        let encoded = try call.upstreamBody(for: dialect, model: target.model, streamUsage: streamUsage)
        let credential = await refresher.fresh(target.credential)
        let request = ProviderRequest.make(provider: target.provider, credential: credential, model: target.model,
                                           operation: call.operation, body: encoded.body, clientHeaders: call.clientHeaders,
                                           settings: settings)
        return (request, dialect, encoded.dropped,
                SecretRedactor([credential.secret.bearerValue] + Array(target.provider.headers.values)))
    }

    func complete(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings,
                          created: Int) async throws(GatewayFailure) -> AttemptResult<(Answer, [String])> {
        let (request, dialect, dropped, secrets) = try await upstreamRequest(call, target: target, settings: settings)
        switch await exchange.send(request, dialect: dialect, secrets: secrets) {
        case .failure(let failure, let error): return .failure(failure, clientError: error)
        case .success(let response):
            let body: [UInt8]
            do {
                body = try await response.body.collect()
            } catch {
                return UpstreamExchange.transportFailure(error)
            }
            if let (failure, error) = UpstreamExchange.errorAnswer(body) { return .failure(failure, clientError: secrets.redact(error)) }
            // Same format: the upstream's bytes as they are; only the usage is read, for the records.
            if dialect == call.dialect {
                return .success((Answer(passedThrough: body, dialect: dialect), dropped))
            }
            do {
                // The upstream's own model name, as a passthrough answer and a translated stream carry it.
                let decoded = try Translator.decodeResponse(body, from: dialect, model: target.model, fallbackID: responseIDs.next())
                let encoded = Translator.encodeResponse(decoded, to: call.dialect, created: created)
                return .success((Answer(translated: encoded, usage: decoded.usage), dropped))
            } catch {
                return .failure(UpstreamFailure(status: 502),
                                clientError: GatewayError(kind: .api, message: "upstream sent an unreadable response", status: 502,
                                                          code: "upstream_bad_response"))
            }
        }
    }

    /// `streamUsage`: whether to ask for the usage chunk (nil: unless the target refused it before).
    func openStream(_ call: GatewayCall, target: AttemptLoop.Target, settings: Settings, created: Int,
                    streamUsage asked: Bool? = nil) async throws(GatewayFailure) -> AttemptResult<(StreamRelay, [String])> {
        let streamUsage = asked ?? (call.asksForUsageItself(of: ProviderRequest.dialect(target.provider.type))
            && !usageRequestRefusals.contains(target))
        let (request, dialect, dropped, secrets) = try await upstreamRequest(call, target: target, settings: settings,
                                                                             streamUsage: streamUsage)
        switch await exchange.send(request, dialect: dialect, secrets: secrets) {
        case .failure(let failure, let error):
            // A server that refuses `stream_options` (older vLLM, some hosted APIs) when Switchyard
            // added it: asked again without; when that works, so is every later stream to that
            // model there (a refusal that merely echoes the text is not taken for one).
            if streamUsage, [400, 422].contains(failure.status), error.message.lowercased().contains("stream_options") {
                let retried = try await openStream(call, target: target, settings: settings, created: created, streamUsage: false)
                if case .success = retried { usageRequestRefusals.insert(target) }
                return retried
            }
            return .failure(failure, clientError: error)
        case .success(let response):
            // Only a Gemini stream may lack an id of its own.
            switch await StreamRelay.open(response, call: call, upstream: dialect, model: target.model,
                                          responseID: dialect == .gemini ? responseIDs.next() : "", created: created, secrets: secrets) {
            case .success(let relay): return .success((relay, dropped))
            case .failure(let failure, let error): return .failure(failure, clientError: error)
            }
        }
    }

    func count(_ call: GatewayCall, target: AttemptLoop.Target,
                       settings: Settings) async throws(GatewayFailure) -> AttemptResult<Int> {
        let dialect = ProviderRequest.dialect(target.provider.type)
        if dialect == .openai { return .success(TokenEstimator.estimate(try call.request())) }
        let (request, _, _, secrets) = try await upstreamRequest(call, target: target, settings: settings)
        switch await exchange.send(request, dialect: dialect, secrets: secrets) {
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
