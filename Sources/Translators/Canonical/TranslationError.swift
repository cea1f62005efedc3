/// Why a body could not be translated.
public enum TranslationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not valid JSON.
    case invalidJSON(JSONError)
    /// The JSON is valid but does not follow the dialect's schema (`path` like `messages[2].content`).
    case malformed(path: String, message: String)
    /// `feature` cannot be expressed in the target `dialect`: in strict mode, or where dropping
    /// it would leave nothing of a message.
    case unsupported(feature: String, dialect: Dialect)
    /// A stream could not be decoded.
    case invalidStream(String)

    public var description: String {
        switch self {
        case .invalidJSON(let error): "invalid JSON: \(error)"
        case .malformed(let path, let message): path.isEmpty ? message : "\(path): \(message)"
        case .unsupported(let feature, let dialect):
            "'\(feature)' cannot be expressed in the \(dialect.rawValue) format"
        case .invalidStream(let message): "invalid upstream stream: \(message)"
        }
    }

    /// The canonical error to answer the client with (400, or 422 for strict refusals).
    public var gatewayError: GatewayError {
        switch self {
        case .unsupported: GatewayError(kind: .unprocessable, message: description, code: "translation_dropped_feature")
        case .invalidStream: GatewayError(kind: .api, message: description, status: 502)
        default: GatewayError(kind: .invalidRequest, message: description)
        }
    }
}

/// Options that shape an encoding.
public struct TranslationOptions: Sendable, Equatable {
    /// Throw `TranslationError.unsupported` instead of dropping a feature.
    public var strict: Bool
    /// Ask an OpenAI upstream for a stream's usage chunk (`stream_options.include_usage`); off
    /// for a server that refuses the field.
    public var streamUsage: Bool

    public init(strict: Bool = false, streamUsage: Bool = true) {
        self.strict = strict
        self.streamUsage = streamUsage
    }
}

/// Collects the features an encoder dropped, or throws on the first one in strict mode.
public struct DropLog: Sendable, Equatable {
    public let target: Dialect
    public let strict: Bool
    /// Dropped feature names in first-seen order.
    public private(set) var features: [String] = []

    public init(target: Dialect, strict: Bool) {
        self.target = target
        self.strict = strict
    }

    /// Records every field the client's dialect had and the canonical model could not carry.
    public mutating func dropUnsupported(_ request: ChatRequest) throws {
        for field in request.unsupportedFields { try drop(field) }
    }

    /// Records that `feature` could not be expressed.
    public mutating func drop(_ feature: String) throws {
        if strict { throw TranslationError.unsupported(feature: feature, dialect: target) }
        if !features.contains(feature) { features.append(feature) }
    }

    /// The `X-Switchyard-Dropped` header value, or `nil` when nothing was dropped.
    public var headerValue: String? { features.isEmpty ? nil : features.joined(separator: ",") }
}

/// An encoded upstream body and what was dropped to produce it.
public struct EncodedBody: Sendable, Equatable {
    public var body: [UInt8]
    /// Features dropped (for `X-Switchyard-Dropped`).
    public var dropped: [String]

    public init(body: [UInt8], dropped: [String] = []) {
        self.body = body
        self.dropped = dropped
    }
}
