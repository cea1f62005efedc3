import Foundation
import JSON
import Translators
import UpstreamHTTP

/// Sends one upstream request and classifies anything but a success response (SPEC §6 table).
struct UpstreamExchange: Sendable {
    let client: UpstreamClient
    /// The routing clock, for retry hints given as HTTP dates.
    let clock: any WallClock
    /// How much of an error body is read for classification.
    static let maxErrorBodyBytes = 256 * 1024

    /// The response when its status is 2xx; otherwise the classified failure, with the attempt's
    /// secrets redacted from the upstream's message before a client can see it.
    func send(_ request: UpstreamRequest, dialect: Dialect, secrets: SecretRedactor) async -> AttemptResult<UpstreamResponse> {
        let response: UpstreamResponse
        do {
            response = try await client.send(request)
        } catch {
            return Self.transportFailure(error)
        }
        guard (200..<300).contains(response.status) else {
            switch await Self.statusFailure(response, dialect: dialect, now: clock.now()) {
            case .failure(let failure, let error):
                return .failure(failure, clientError: secrets.redact(error))
            case .success(let response):
                return .success(response)
            }
        }
        return .success(response)
    }

    /// Classifies a non-2xx response from its status, headers and (bounded) error body.
    static func statusFailure(_ response: UpstreamResponse, dialect: Dialect, now: Moment) async -> AttemptResult<UpstreamResponse> {
        let body = await errorBody(of: response)
        var error = ErrorCodec.decode(body, status: response.status, dialect: dialect)
        let text = String(decoding: body, as: UTF8.self)
        let hint = RetryHint.parse(header: { response.header($0) }, body: text, now: now)
        let failure = UpstreamFailure(status: response.status, errorType: error.code ?? errorType(error),
                                      message: error.message, retryAfterMilliseconds: hint)
        // The upstream's own hint goes with its error to the client, whole seconds rounded up.
        if error.retryAfterSeconds == nil, let hint { error.retryAfterSeconds = Int((hint + 999) / 1000) }
        return .failure(failure, clientError: error)
    }

    /// Up to `maxErrorBodyBytes` of a response read for its error, the transfer then ended.
    static func errorBody(of response: UpstreamResponse) async -> [UInt8] {
        var body: [UInt8] = []
        do {
            for try await chunk in response.body {
                body += chunk
                if body.count >= maxErrorBodyBytes { break }
            }
        } catch {}
        response.cancel()
        return body
    }

    /// A 2xx answer whose body is an error object and no answer: OpenRouter reports a failure
    /// of its provider so, with the status it stands for as `error.code`. Classified like that
    /// status, so that it fails over and cools instead of reaching the client as an empty answer.
    static func errorAnswer(_ body: [UInt8]) -> (failure: UpstreamFailure, error: GatewayError)? {
        // Most answers never name an error: one byte search keeps them from being parsed twice.
        guard ByteSearch.firstIndex(of: errorKey, in: body) != nil, case .object(let root)? = try? JSONValue.parse(body),
              root["error"] != nil, root["choices"] == nil, root["candidates"] == nil, root["content"] == nil else { return nil }
        // The status it stands for: a numeric `code`, else its type's (a 400 for an
        // `invalid_request_error` such as `context_length_exceeded`), else a bad gateway.
        var decoded = ErrorCodec.decode(body, status: nil, dialect: .openai)
        if !(400...599).contains(decoded.status) || decoded.kind == .api { decoded.status = 502 }
        return (UpstreamFailure(status: decoded.status, errorType: decoded.code ?? errorType(decoded), message: decoded.message), decoded)
    }

    private static let errorKey = Array(#""error""#.utf8)

    /// A transport failure: connect, timeout or reset, always transient.
    static func transportFailure<T>(_ error: UpstreamError) -> AttemptResult<T> {
        let kind = transportKind(of: error)
        let client = if case .timeout(let which) = error {
            GatewayError(kind: .timeout, message: "upstream \(which) timeout", status: 504, code: "upstream_timeout")
        } else {
            GatewayError(kind: .api, message: "upstream connection failed", status: 502,
                         code: kind == .connect ? "upstream_connect_failed" : "upstream_reset")
        }
        return .failure(UpstreamFailure(transport: kind), clientError: client)
    }

    /// How a transport error is classified for the credential's health (before or after the
    /// first byte of a stream alike).
    static func transportKind(of error: UpstreamError) -> TransportErrorKind {
        switch error {
        case .timeout: .timeout
        case .dnsFailed, .connectFailed, .tls, .addressRefused, .hostRefused, .invalidRequest: .connect
        default: .reset
        }
    }

    /// The provider's error type name for the kind, when the body named none.
    private static func errorType(_ error: GatewayError) -> String? {
        error.kind == .invalidRequest ? "invalid_request_error" : nil
    }
}
