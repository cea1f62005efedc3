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
        let scheme = "bearer ".utf8
        guard utf8.count > scheme.count,
              zip(utf8, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }  // ASCII letters and space only
        var token = utf8.dropFirst(scheme.count)
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        while token.last == UInt8(ascii: " ") { token = token.dropLast() }
        return token.isEmpty ? nil : String(Substring(token))
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
