import HTTPCore
import Store

/// Finds and checks the client key wherever each SDK sends it.
enum ClientAuthentication {
    /// The presented key: `Authorization: Bearer`, `x-api-key`, `x-goog-api-key`, then `?key=`.
    static func presentedKey(_ request: HTTPRequest) -> String? {
        if let authorization = request.headers["authorization"], let token = bearerToken(authorization) { return token }
        for name in ["x-api-key", "x-goog-api-key"] {
            if let key = request.headers[name], !key.isEmpty { return key }
        }
        return request.queryItem("key")
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, surrounding spaces dropped).
    static func bearerToken(_ authorization: String) -> String? {
        let utf8 = authorization.utf8
        guard utf8.count > 7, let space = utf8.firstIndex(of: UInt8(ascii: " ")),
              utf8.distance(from: utf8.startIndex, to: space) == 6,
              authorization[..<space].lowercased() == "bearer" else { return nil }
        let token = String(authorization[authorization.index(after: space)...]).trimmingSpaces()
        return token.isEmpty ? nil : token
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
