/// A table of (method, path pattern) → handler, with typed routing errors rendered by the
/// application's one error renderer.
///
/// Patterns are `/`-separated; a segment `{name}` captures one path segment, and
/// `{name}:action` captures the part before a literal `:action` suffix (Gemini's form).
public struct HTTPRoutes: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse
    /// Turns any error thrown by routing or a handler into the response the client gets.
    public typealias ErrorRenderer = @Sendable (any Error, HTTPRequest) -> HTTPResponse

    private struct Route: Sendable {
        let method: String
        let pattern: RoutePattern
        let handler: Handler
    }

    private var routes: [Route] = []
    /// Routes whose patterns have no parameters, by exact path: matched without decoding.
    private var literal: [String: [Route]] = [:]

    public init() {}

    /// Every (method, pattern) served, for checking against the API documentation.
    public var operations: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern.text) } }

    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let route = Route(method: method, pattern: RoutePattern(pattern), handler: handler)
        routes.append(route)
        if route.pattern.isLiteral { literal[route.pattern.text, default: []].append(route) }
    }

    /// The server handler: match, run, and render every error in one place.
    public func handler(renderingErrorsWith render: @escaping ErrorRenderer) -> @Sendable (HTTPRequest) async -> HTTPResponse {
        let routes = self.routes
        let literal = self.literal
        return { request in
            var request = request
            do {
                let method = request.method == "HEAD" ? "GET" : request.method
                if let exact = literal[request.path], let route = exact.first(where: { $0.method == method }) {
                    return try await route.handler(request)
                }
                guard let segments = RoutePattern.decodedSegments(request.path) else {
                    throw HTTPRouteError.notFound(path: request.path)
                }
                var allowed: [String] = []
                for route in routes {
                    guard let parameters = route.pattern.match(segments) else { continue }
                    guard route.method == method else {
                        // Several patterns may match one path (a Gemini action and its catch-all).
                        if !allowed.contains(route.method) { allowed.append(route.method) }
                        continue
                    }
                    request.pathParameters = parameters
                    return try await route.handler(request)
                }
                if !allowed.isEmpty { throw HTTPRouteError.methodNotAllowed(allowed: allowed) }
                throw HTTPRouteError.notFound(path: request.path)
            } catch {
                var response = render(error, request)
                if case HTTPRouteError.methodNotAllowed(let allowed) = error {
                    response.headers.set("Allow", allowed.joined(separator: ", "))
                }
                return response
            }
        }
    }
}

/// No route matched the request (HTTP-level routing, not model routing).
public enum HTTPRouteError: Error, Equatable, Sendable {
    case notFound(path: String)
    case methodNotAllowed(allowed: [String])

    public var status: Int {
        switch self {
        case .notFound: 404
        case .methodNotAllowed: 405
        }
    }

    public var message: String {
        switch self {
        case .notFound(let path): "no such endpoint: \(path)"
        case .methodNotAllowed(let allowed): "method not allowed; use \(allowed.joined(separator: ", "))"
        }
    }
}

/// A parsed route pattern.
struct RoutePattern: Sendable {
    enum Segment: Sendable {
        case literal(String)
        case parameter(name: String, suffix: String)
    }

    let text: String
    let segments: [Segment]
    var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    init(_ text: String) {
        self.text = text
        segments = text.split(separator: "/").map { part in
            guard part.hasPrefix("{"), let close = part.firstIndex(of: "}") else { return .literal(String(part)) }
            let name = String(part[part.index(after: part.startIndex)..<close])
            return .parameter(name: name, suffix: String(part[part.index(after: close)...]))
        }
    }

    /// Percent-decoded path segments; nil for empty inner segments or malformed escapes.
    static func decodedSegments(_ path: String) -> [String]? {
        var parts = path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false).dropFirst()
        if parts.last?.isEmpty == true { parts = parts.dropLast() }
        var decoded: [String] = []
        decoded.reserveCapacity(parts.count)
        for part in parts {
            guard !part.isEmpty, let segment = PercentDecoding.decode(Substring(part)) else { return nil }
            decoded.append(segment)
        }
        return decoded
    }

    func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .parameter(let name, let suffix):
                // May capture nothing before a suffix (`models/:generateContent`): the handler
                // refuses the empty name in its own format, rather than another pattern's 405.
                guard value.hasSuffix(suffix) else { return nil }
                parameters[name] = String(value.dropLast(suffix.count))
            }
        }
        return parameters
    }
}
