import HTTPCore
import Store

/// Finds and checks the client key wherever each SDK sends it.
enum ClientAuthentication {
    /// The presented key: `Authorization: Bearer`, `x-api-key`, `x-goog-api-key`, then `?key=`.
    static func presentedKey(_ request: HTTPRequest) -> String? {
        if let authorization = request.headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingSpaces() }
        }
        for name in ["x-api-key", "x-goog-api-key"] {
            if let key = request.headers[name], !key.isEmpty { return key }
        }
        return request.queryItem("key")
    }

    /// The enabled client key the request presents; compared by hash in constant time.
    static func authenticate(_ request: HTTPRequest, in snapshot: ConfigSnapshot) throws(GatewayFailure) -> ClientKey {
        guard let presented = presentedKey(request), !presented.isEmpty,
              let key = snapshot.clientKey(presented: presented), key.enabled else {
            throw .unauthenticated
        }
        return key
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
