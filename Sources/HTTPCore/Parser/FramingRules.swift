/// Decides body framing, persistence and expectations from parsed fields (RFC 9112 §6, §9).
///
/// Anything that two HTTP implementations could read two ways is rejected here.
enum FramingRules {
    static func resolve(method: String, target rawTarget: String, minorVersion: Int, headers: HTTPHeaders,
                        maxBodyBytes: Int) throws(HTTPParseError) -> RequestHead {
        let target = try originForm(rawTarget, method: method)

        // One pass over the fields, collecting only those that decide framing.
        var hostCount = 0
        var lengths: [String] = [], codings: [String] = []
        var connectionClose = false, connectionKeepAlive = false
        var expectation: String?
        for field in headers {
            switch field.name.utf8.count {
            case 4 where field.name.equalsIgnoringASCIICase("host"):
                hostCount += 1
                guard isValidHost(field.value) else { throw .badRequest("invalid Host header") }
            case 6 where field.name.equalsIgnoringASCIICase("expect"): expectation = expectation ?? field.value
            case 10 where field.name.equalsIgnoringASCIICase("connection"):
                forEachListItem(field.value) { item in
                    if item.elementsEqual("close".utf8, by: { asciiLower($0) == $1 }) { connectionClose = true }
                    if item.elementsEqual("keep-alive".utf8, by: { asciiLower($0) == $1 }) { connectionKeepAlive = true }
                }
            case 14 where field.name.equalsIgnoringASCIICase("content-length"): lengths.append(field.value)
            case 17 where field.name.equalsIgnoringASCIICase("transfer-encoding"): codings.append(field.value)
            default: break
            }
        }
        if minorVersion == 1, hostCount != 1 { throw .badRequest("HTTP/1.1 requires exactly one Host header") }
        if hostCount > 1 { throw .badRequest("more than one Host header") }

        let framing: RequestHead.BodyFraming
        if !codings.isEmpty {
            guard lengths.isEmpty else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            guard minorVersion == 1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            framing = try transferCoding(codings)
        } else if !lengths.isEmpty {
            let length = try contentLength(lengths)
            guard length <= maxBodyBytes else { throw .bodyTooLarge }
            framing = .length(length)
        } else {
            framing = .none
        }
        let keepAlive = minorVersion == 1 ? !connectionClose : connectionKeepAlive && !connectionClose

        var expectsContinue = false
        if let expectation {
            guard expectation.equalsIgnoringASCIICase("100-continue") else { throw .expectationFailed }
            expectsContinue = minorVersion == 1
        }
        return RequestHead(method: method, target: target, minorVersion: minorVersion, headers: headers,
                           framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    /// `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2): a bracketed IP literal, or a
    /// registered name / IPv4 address of unreserved, sub-delims and percent characters; empty is
    /// allowed (a target without authority).
    static func isValidHost(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) }) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let end = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            guard bytes[..<end].allSatisfy(isRegisteredNameByte) else { return false }
            bytes = bytes[end...]
        }
        guard let colon = bytes.first else { return true }
        return colon == UInt8(ascii: ":") && bytes.dropFirst().count <= 5
            && bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    /// unreserved / sub-delims / "%" (the escapes' digits are letters and digits anyway).
    private static func isRegisteredNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=%".utf8.contains(byte)
        }
    }

    /// Accepts origin form and rewrites absolute form to it; `*` only for OPTIONS.
    private static func originForm(_ target: String, method: String) throws(HTTPParseError) -> String {
        if target.hasPrefix("/") { return target }
        if target == "*", method == "OPTIONS" { return target }
        for scheme in ["http://", "https://"] where target.utf8.count > scheme.utf8.count && target.lowercased().hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let path = String(rest[slash...])
            return path.hasPrefix("/") ? path : "/" + path
        }
        throw .badRequest("unsupported request target form")
    }

    /// Only `chunked`, exactly once and last, is accepted.
    private static func transferCoding(_ values: [String]) throws(HTTPParseError) -> RequestHead.BodyFraming {
        let codings = values.flatMap(tokens)
        guard let last = codings.last, !codings.contains(where: \.isEmpty) else {
            throw .badRequest("empty Transfer-Encoding")
        }
        if codings == ["chunked"] { return .chunked }
        if codings.contains("chunked") {
            throw .badRequest(last == "chunked" ? "unsupported transfer coding before chunked" : "chunked is not the final transfer coding")
        }
        throw .unsupportedTransferEncoding(last)
    }

    /// Digits only; repeated values must agree (RFC 9110 §8.6).
    private static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        var result: Int?
        var failure: HTTPParseError?
        for value in values {
            forEachListItem(value) { digits in
                guard failure == nil else { return }
                guard !digits.isEmpty, digits.allSatisfy(Ascii.isDigit) else {
                    failure = .badRequest("malformed Content-Length")
                    return
                }
                // A valid number too large for any body we accept is simply too large.
                guard digits.count <= 18 else {
                    failure = .bodyTooLarge
                    return
                }
                let length = digits.reduce(0) { $0 * 10 + Int($1 &- Ascii.zero) }
                if let previous = result, previous != length { failure = .badRequest("conflicting Content-Length values") }
                result = length
            }
        }
        if let failure { throw failure }
        guard let length = result else { throw .badRequest("malformed Content-Length") }
        return length
    }

    /// Comma-separated tokens, trimmed and lowercased.
    private static func tokens(_ value: String) -> [String] {
        var tokens: [String] = []
        forEachListItem(value) { tokens.append(String(decoding: $0.map(asciiLower), as: UTF8.self)) }
        return tokens
    }

    /// Calls `body` with each comma-separated item of a field value, optional whitespace
    /// trimmed, empty items included; on the UTF-8 bytes, as this runs for every request.
    private static func forEachListItem(_ value: String, _ body: (Substring.UTF8View) -> Void) {
        var rest = Substring(value).utf8[...]
        while true {
            let comma = rest.firstIndex(of: Ascii.comma)
            var item = rest[..<(comma ?? rest.endIndex)]
            while let first = item.first, first == Ascii.space || first == Ascii.tab { item = item.dropFirst() }
            while let last = item.last, last == Ascii.space || last == Ascii.tab { item = item.dropLast() }
            body(item)
            guard let comma else { return }
            rest = rest[rest.index(after: comma)...]
        }
    }
}
