import Synchronization

/// A complete request as handlers see it: head, whole body, and per-request context.
///
/// A value with its fields in one shared box (copied on write): every layer between the socket
/// and a handler passes it on and async frames keep copies, each a single retain this way.
public struct HTTPRequest: Sendable {
    private final class Storage: @unchecked Sendable {  // never mutated once shared (see `writable`)
        var method: String
        var path: String
        var query: String?
        var headers: HTTPHeaders
        var body: [UInt8]
        var id: String
        var remoteAddress: String
        var pathParameters: [String: String]
        /// The storage the connection made, which copies point back to: what the server learns
        /// of the request once it is handled (`answeredByServer`) is shared by every copy.
        let original: Storage?
        let answeredByServer = Atomic<Bool>(false)

        init(method: String, path: String, query: String?, headers: HTTPHeaders, body: [UInt8], id: String,
             remoteAddress: String, pathParameters: [String: String], original: Storage? = nil) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
            self.id = id
            self.remoteAddress = remoteAddress
            self.pathParameters = pathParameters
            self.original = original
        }

        func copy() -> Storage {
            Storage(method: method, path: path, query: query, headers: headers, body: body, id: id,
                    remoteAddress: remoteAddress, pathParameters: pathParameters, original: original ?? self)
        }
    }

    private var storage: Storage

    /// The storage, unshared first.
    private var writable: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public var method: String {
        get { storage.method }
        set { writable.method = newValue }
    }
    /// The path part of the target, still percent-encoded.
    public var path: String {
        get { storage.path }
        set { writable.path = newValue }
    }
    /// The raw query string without `?`, if any.
    public var query: String? {
        get { storage.query }
        set { writable.query = newValue }
    }
    public var headers: HTTPHeaders {
        get { storage.headers }
        set { writable.headers = newValue }
    }
    public var body: [UInt8] {
        get { storage.body }
        set { writable.body = newValue }
    }
    /// The id returned to the client in `X-Request-Id`.
    public var id: String {
        get { storage.id }
        set { writable.id = newValue }
    }
    /// The peer's numeric address, without port (for rate limiting and logs).
    public var remoteAddress: String {
        get { storage.remoteAddress }
        set { writable.remoteAddress = newValue }
    }
    /// Parameters captured by the matched route pattern, percent-decoded.
    public var pathParameters: [String: String] {
        get { storage.pathParameters }
        set { writable.pathParameters = newValue }
    }

    public init(method: String, target: String, headers: HTTPHeaders, body: [UInt8], id: String, remoteAddress: String) {
        let utf8 = target.utf8
        let path: String
        let query: String?
        if let mark = utf8.firstIndex(of: 0x3F) {
            path = String(target[..<mark])
            query = String(target[utf8.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        storage = Storage(method: method, path: path, query: query, headers: headers, body: body, id: id,
                          remoteAddress: remoteAddress, pathParameters: [:])
    }

    /// The server answered this request itself while it was being handled (`503
    /// server_shutting_down` at the drain deadline, which also cancels the handler): the handler
    /// records that answer, not a client that left.
    public var wasAnsweredByServer: Bool {
        (storage.original ?? storage).answeredByServer.load(ordering: .acquiring)
    }

    func markAnsweredByServer() {
        (storage.original ?? storage).answeredByServer.store(true, ordering: .releasing)
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
