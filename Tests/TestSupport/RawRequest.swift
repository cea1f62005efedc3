/// One request with any method, headers and body on a fresh connection; nil when the server
/// cannot be reached. `headers` are full lines without the trailing CRLF.
public func rawRequest(port: UInt16, method: String, path: String, headers: [String] = [], body: String? = nil,
                       receiveTimeout: Double = 5) -> RawResponse? {
    guard let client = try? RawClient(port: port, receiveTimeout: receiveTimeout) else { return nil }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for line in headers { head += line + "\r\n" }
    let bytes = body.map { Array($0.utf8) } ?? []
    if body != nil || ["POST", "PUT", "PATCH"].contains(method) {
        head += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n"
    }
    client.send(Array((head + "\r\n").utf8) + bytes)
    return client.readResponses(1).first
}

extension RawResponse {
    /// The first value of a response header (case-insensitive name), if any.
    public func header(_ name: String) -> String? {
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: " ")
            }
        }
        return nil
    }
}
