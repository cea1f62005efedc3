/// An upstream response whose status and headers have arrived; the body streams behind it.
public struct UpstreamResponse: Sendable {
    /// HTTP status code of the final (non-1xx) response.
    public let status: Int
    /// Response headers in arrival order, names as sent.
    public let headers: [(name: String, value: String)]
    /// Body chunks as they arrive; dropping every copy of the response cancels the transfer.
    public let body: UpstreamBody
    /// Which of the client's event loops ran the exchange (its index in the group).
    package let loopIndex: Int

    init(head: ResponseHead, body: UpstreamBody, loopIndex: Int) {
        self.status = head.status
        self.headers = head.headers
        self.body = body
        self.loopIndex = loopIndex
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.asciiCaseInsensitiveEquals(name) }?.value
    }

    /// Every value of the header `name`, compared case-insensitively, in order.
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.asciiCaseInsensitiveEquals(name) }.map(\.value)
    }

    /// Aborts the transfer now; the upstream sees its connection closed, the body ends with `.cancelled`.
    public func cancel() {
        body.cancel()
    }
}

/// Status and headers of a final response, as parsed on the curl driver.
struct ResponseHead: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
}

extension String {
    /// ASCII case-insensitive equality, as HTTP header names need.
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A)
        }
    }
}
