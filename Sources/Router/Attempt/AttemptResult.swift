import Translators

/// What one upstream attempt produced: a value to answer with, or a failure classified once,
/// with the error the client gets if this failure is returned as is.
enum AttemptResult<Success: Sendable>: Sendable {
    case success(Success)
    case failure(UpstreamFailure, clientError: GatewayError)
}
