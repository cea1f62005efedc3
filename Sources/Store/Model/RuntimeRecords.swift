import Foundation

/// Persisted health of one (credential, model): the router's cooldown state, saved
/// asynchronously so it survives a restart (SPEC §6 "Recovery").
public struct ModelHealthRecord: Sendable, Equatable {
    public var credentialID: String
    /// The model, or `""` for the whole credential (401, 402/403, `quota_scope: credential`).
    public var model: String
    /// Why it is cooling: e.g. `quota`, `unauthorized`, `payment`, `not_found`, `model_unsupported`, `transient`.
    public var reason: String
    /// Absolute deadline; nil when not cooling (only a backoff level is kept).
    public var cooldownUntil: Date?
    public var backoffLevel: Int
    /// Last upstream HTTP status; nil for connect errors and timeouts.
    public var lastStatus: Int?
    /// A short, secret-free description of the last failure.
    public var lastError: String?
    /// When a long cooldown gets its early probe.
    public var probeAt: Date?
    public var updatedAt: Date

    public init(credentialID: String, model: String, reason: String, cooldownUntil: Date?, backoffLevel: Int = 0,
                lastStatus: Int? = nil, lastError: String? = nil, probeAt: Date? = nil, updatedAt: Date) {
        self.credentialID = credentialID
        self.model = model
        self.reason = reason
        self.cooldownUntil = cooldownUntil.map(Timestamp.normalized)
        self.backoffLevel = backoffLevel
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.probeAt = probeAt.map(Timestamp.normalized)
        self.updatedAt = Timestamp.normalized(updatedAt)
    }
}

/// A persisted session binding: (provider, session, model) → credential, with a sliding TTL.
public struct SessionBindingRecord: Sendable, Equatable {
    public var provider: String
    /// The session id or its hash; never message text.
    public var session: String
    public var model: String
    public var credentialID: String
    public var expiresAt: Date
    public var updatedAt: Date

    public init(provider: String, session: String, model: String, credentialID: String, expiresAt: Date, updatedAt: Date) {
        self.provider = provider
        self.session = session
        self.model = model
        self.credentialID = credentialID
        self.expiresAt = Timestamp.normalized(expiresAt)
        self.updatedAt = Timestamp.normalized(updatedAt)
    }
}

/// One usage record per gateway request (SPEC §8), written in batches off the request path.
public struct UsageRecord: Sendable, Equatable {
    /// The error code of a request whose client left before its answer ended: the one error code
    /// an answered (status < 400) request may carry that does not count it as an error.
    public static let clientDisconnected = "client_disconnected"

    /// Request start.
    public var at: Date
    public var requestID: String
    public var clientKeyID: String?
    public var route: String?
    public var provider: String?
    public var credentialID: String?
    public var requestedModel: String?
    public var upstreamModel: String?
    /// `openai`, `anthropic` or `gemini`: the dialect the client spoke.
    public var clientFormat: String?
    public var stream: Bool
    public var status: Int
    public var errorCode: String?
    public var attempts: Int
    public var latencyMilliseconds: Int
    public var timeToFirstByteMilliseconds: Int?
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedTokens: Int
    public var reasoningTokens: Int

    public init(at: Date, requestID: String, clientKeyID: String? = nil, route: String? = nil, provider: String? = nil,
                credentialID: String? = nil, requestedModel: String? = nil, upstreamModel: String? = nil,
                clientFormat: String? = nil, stream: Bool = false, status: Int, errorCode: String? = nil,
                attempts: Int = 1, latencyMilliseconds: Int, timeToFirstByteMilliseconds: Int? = nil,
                inputTokens: Int = 0, outputTokens: Int = 0, cachedTokens: Int = 0, reasoningTokens: Int = 0) {
        self.at = Timestamp.normalized(at)
        self.requestID = requestID
        self.clientKeyID = clientKeyID
        self.route = route
        self.provider = provider
        self.credentialID = credentialID
        self.requestedModel = requestedModel
        self.upstreamModel = upstreamModel
        self.clientFormat = clientFormat
        self.stream = stream
        self.status = status
        self.errorCode = errorCode
        self.attempts = attempts
        self.latencyMilliseconds = latencyMilliseconds
        self.timeToFirstByteMilliseconds = timeToFirstByteMilliseconds
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }
}
