/// A complete request as handlers see it: head, whole body, and per-request context.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path part of the target, still percent-encoded.
    public var path: String
    /// The raw query string without `?`, if any.
    public var query: String?
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The id returned to the client in `X-Request-Id`.
    public var id: String
    /// The peer's numeric address, without port (for rate limiting and logs).
    public var remoteAddress: String
    /// Parameters captured by the matched route pattern, percent-decoded.
    public var pathParameters: [String: String] = [:]

    public init(method: String, target: String, headers: HTTPHeaders, body: [UInt8], id: String, remoteAddress: String) {
        self.method = method
        let utf8 = target.utf8
        if let mark = utf8.firstIndex(of: 0x3F) {
            path = String(target[..<mark])
            query = String(target[utf8.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        self.headers = headers
        self.body = body
        self.id = id
        self.remoteAddress = remoteAddress
    }

    /// The first value of a query parameter, percent-decoded (`+` as space).
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = PercentDecoding.decode(parts[0], plusAsSpace: true), key == name else { continue }
            return parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
        }
        return nil
    }
}

/// Percent-decoding of URL components; nil for malformed escapes or invalid UTF-8.
public enum PercentDecoding {
    public static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String? {
        guard text.utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next().flatMap(Ascii.hexValue), let low = iterator.next().flatMap(Ascii.hexValue) else {
                    return nil
                }
                bytes.append(UInt8(high << 4 | low))
            } else if plusAsSpace && byte == 0x2B {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
