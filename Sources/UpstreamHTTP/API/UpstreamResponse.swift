/// An upstream response whose status and headers have arrived; the body streams behind it.
public struct UpstreamResponse: Sendable {
    /// HTTP status code of the final (non-1xx) response.
    public let status: Int
    /// Response header fields in arrival order, names as sent.
    public let fields: ResponseHeaderFields
    /// Body chunks as they arrive; dropping every copy of the response cancels the transfer.
    public let body: UpstreamBody
    /// Which of the client's event loops ran the exchange (its index in the group).
    package let loopIndex: Int

    init(head: ResponseHead, body: UpstreamBody, loopIndex: Int) {
        self.status = head.status
        self.fields = head.fields
        self.body = body
        self.loopIndex = loopIndex
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        fields.first(name)
    }

    /// Every value of the header `name`, compared case-insensitively, in order.
    public func headers(named name: String) -> [String] {
        fields.values(name)
    }

    /// Aborts the transfer now; the upstream sees its connection closed, the body ends with `.cancelled`.
    public func cancel() {
        body.cancel()
    }
}

/// Status and header fields of a final response, as parsed by either driver.
struct ResponseHead: Sendable {
    var status: Int
    var fields: ResponseHeaderFields

}

extension String {
    /// ASCII case-insensitive equality, as HTTP header names need.
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        asciiCaseInsensitiveEqual(utf8, other.utf8)
    }
}

/// ASCII case-insensitive equality of two byte strings.
func asciiCaseInsensitiveEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { x, y in
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A)
    }
}
