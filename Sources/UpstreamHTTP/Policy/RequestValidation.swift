import Reactor

extension UpstreamRequest {
    /// Checks everything that can be refused before a connection is attempted: URL, scheme,
    /// metadata host names, method and header tokens (no CR/LF/NUL can reach the wire).
    /// Returns the parsed URL.
    @discardableResult
    func validate() throws(UpstreamError) -> URLParts {
        guard !method.isEmpty, method.utf8.allSatisfy(HTTPToken.isTokenByte) else {
            throw .invalidRequest("method is not an HTTP token")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPToken.isTokenByte) else {
                throw .invalidRequest("header name \(name.debugDescription) is not an HTTP token")
            }
            guard value.utf8.allSatisfy(HTTPToken.isFieldValueByte) else {
                throw .invalidRequest("header \(name) has a control character in its value")
            }
        }
        let parts = try URLParts.cached(url)
        guard parts.scheme == "http" || parts.scheme == "https" else {
            throw .invalidRequest("scheme \(parts.scheme) is not http or https")
        }
        if AddressPolicy.isForbiddenHostName(parts.host) {
            throw .hostRefused(parts.host)
        }
        return parts
    }
}

/// Scheme and host of a URL, parsed by curl's own URL parser so that the check and the
/// connection agree on what the host is.
struct URLParts: Sendable {
    let scheme: String
    let host: String
    /// Set for a plain-http URL whose host needs no resolver (see `NativeTarget`).
    let nativeTarget: NativeTarget?

    /// Recently parsed URLs: a gateway calls the same few provider URLs on every request, and
    /// curl's URL parser costs more than the rest of the validation together.
    private static let recent = Locked([String: URLParts]())
    private static let recentLimit = 512

    static func cached(_ url: String) throws(UpstreamError) -> URLParts {
        if let known = recent.withLock({ $0[url] }) { return known }
        let parts = try URLParts(url)
        recent.withLock { cache in
            if cache.count >= recentLimit { cache.removeAll(keepingCapacity: true) }
            cache[url] = parts
        }
        return parts
    }

    init(_ url: String) throws(UpstreamError) {
        guard let handle = curl_url() else { throw .invalidRequest("out of memory") }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else {
            throw .invalidRequest("malformed URL")
        }
        guard let scheme = Self.part(handle, CURLUPART_SCHEME), let host = Self.part(handle, CURLUPART_HOST),
              !host.isEmpty else {
            throw .invalidRequest("URL has no scheme or host")
        }
        self.scheme = scheme.lowercased()
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        // Credentials in the URL become curl's Basic auth header: such URLs stay on curl.
        if self.scheme == "http", Self.part(handle, CURLUPART_USER) == nil, let port = Self.part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)),
           let path = Self.part(handle, CURLUPART_PATH) {
            let query = Self.part(handle, CURLUPART_QUERY).map { "?" + $0 } ?? ""
            nativeTarget = NativeTarget(urlHost: host, bareHost: self.host, port: port, pathAndQuery: path + query)
        } else {
            nativeTarget = nil
        }
    }

    private static func part(_ handle: OpaquePointer, _ part: CURLUPart, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}

/// RFC 9110 character classes.
enum HTTPToken {
    /// tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~".
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// field-vchar or SP/HTAB: anything but other control characters and DEL.
    static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == 0x09 || (b >= 0x20 && b != 0x7F)
    }
}
