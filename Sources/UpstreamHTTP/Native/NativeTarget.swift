/// Where a plain-http request goes over the native transport: literal addresses, no resolver.
///
/// Only IP literals and exactly `localhost` qualify (a name needing DNS stays on curl, whose
/// resolver runs off the loop). `localhost` means 127.0.0.1, then ::1 when that is refused.
struct NativeTarget: Sendable {
    /// Addresses to try in order.
    let addresses: [IPAddress]
    let port: UInt16
    /// The Host header: the URL's host (IPv6 in brackets), with the port unless it is 80.
    let hostHeader: String
    /// The request target: absolute path and query, as curl's URL parser normalised them.
    let pathAndQuery: String

    /// nil when the host needs a resolver or the URL cannot be sent as-is.
    init?(urlHost: String, bareHost: String, port: String, pathAndQuery: String) {
        guard let number = UInt16(port), number > 0 else { return nil }
        if bareHost.asciiCaseInsensitiveEquals("localhost") {
            addresses = [IPAddress(bytes: [127, 0, 0, 1])!, IPAddress(bytes: Array(repeating: 0, count: 15) + [1])!]
        } else if let literal = IPAddress(bareHost) {
            // inet_pton accepts only canonical literals: "2852039166" or "0x7f.1" are not literals here.
            addresses = [literal]
        } else {
            return nil
        }
        // The request line must not carry anything the parser of the upstream could split on.
        guard pathAndQuery.utf8.first == UInt8(ascii: "/"),
              pathAndQuery.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        self.port = number
        self.hostHeader = number == 80 ? urlHost : "\(urlHost):\(number)"
        self.pathAndQuery = pathAndQuery
    }
}
