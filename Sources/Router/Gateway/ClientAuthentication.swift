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
        var header = authorization
        // On the contiguous bytes: the generic UTF-8 view walk cost more than the rest of authentication.
        return header.withUTF8 { bytes -> String? in
            let scheme = "bearer "
            guard bytes.count > scheme.utf8.count,
                  zip(bytes, scheme.utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }  // ASCII letters and space only
            var start = scheme.utf8.count
            var end = bytes.count
            while start < end && bytes[start] == UInt8(ascii: " ") { start += 1 }
            while end > start && bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            return start == end ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
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
