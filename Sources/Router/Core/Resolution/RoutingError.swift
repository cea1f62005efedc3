/// Why a request cannot be routed before any upstream is called; the gateway maps each case to
/// one status in the client's format.
public enum RoutingError: Error, Sendable, Equatable {
    /// No route, prefix, provider, glob or alias matches (404 `model_not_found`).
    case modelNotFound(String)
    /// The client key's allow-list excludes the model (403).
    case modelNotAllowed(String)
    /// Candidates exist but none is enabled (503).
    case noneEnabled(String)

    /// The HTTP status the gateway answers with.
    public var httpStatus: Int {
        switch self {
        case .modelNotFound: return 404
        case .modelNotAllowed: return 403
        case .noneEnabled: return 503
        }
    }

    /// A stable machine-readable code for error bodies.
    public var code: String {
        switch self {
        case .modelNotFound: return "model_not_found"
        case .modelNotAllowed: return "model_not_allowed"
        case .noneEnabled: return "no_enabled_credentials"
        }
    }
}
