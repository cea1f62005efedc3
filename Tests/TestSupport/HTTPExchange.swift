#if canImport(Glibc)
import Glibc
#endif

/// A whole response read until the server closed the connection, with a chunked body decoded.
public struct FullResponse: Sendable {
    public var status: Int
    public var head: String
    /// The body bytes (de-chunked when the response was chunked).
    public var bodyBytes: [UInt8]
    /// The response's own framing was satisfied: the final empty chunk, or all of Content-Length.
    public var complete: Bool
    /// The sizes of the chunks received, in order (empty when not chunked).
    public var chunkSizes: [Int]

    public var body: String { String(decoding: bodyBytes, as: UTF8.self) }

    public init(status: Int, head: String, bodyBytes: [UInt8], complete: Bool, chunkSizes: [Int]) {
        self.status = status
        self.head = head
        self.bodyBytes = bodyBytes
        self.complete = complete
        self.chunkSizes = chunkSizes
    }

    /// The first value of a response header (case-insensitive name), if any.
    public func header(_ name: String) -> String? {
        RawResponse(status: status, head: head, body: "").header(name)
    }

    /// Splits raw response bytes into head and decoded body.
    public static func parse(_ bytes: [UInt8]) -> FullResponse? {
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { return nil }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var response = FullResponse(status: status, head: head, bodyBytes: [], complete: false, chunkSizes: [])
        let rest = Array(bytes[end.upperBound...])
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            let decoded = ChunkedDecoder.decode(rest)
            response.bodyBytes = decoded.body
            response.complete = decoded.complete
            response.chunkSizes = decoded.sizes
        } else if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.bodyBytes = Array(rest.prefix(length))
            response.complete = rest.count >= length
        } else {
            response.bodyBytes = rest
            response.complete = true
        }
        return response
    }
}

/// Decodes an HTTP/1.1 chunked body as far as it goes.
public enum ChunkedDecoder {
    public static func decode(_ bytes: [UInt8]) -> (body: [UInt8], complete: Bool, sizes: [Int]) {
        var body: [UInt8] = [], sizes: [Int] = []
        var index = 0
        while let lineEnd = bytes[index...].firstRange(of: [13, 10]) {
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16) else { break }
            if size == 0 { return (body, true, sizes) }
            let start = lineEnd.upperBound
            guard start + size + 2 <= bytes.count else {
                body += bytes[start..<min(bytes.count, start + size)]
                break
            }
            body += bytes[start..<(start + size)]
            sizes.append(size)
            index = start + size + 2
        }
        return (body, false, sizes)
    }
}

/// One server-sent event.
public struct SSEEvent: Sendable, Equatable {
    public var event: String?
    public var data: String
}

/// A minimal SSE reader for tests: blank-line separated events, LF or CRLF line ends.
public enum SSEParser {
    public static func parse(_ text: String) -> [SSEEvent] {
        let normalized = text.replacingAll("\r\n", with: "\n")
        var events: [SSEEvent] = []
        for block in normalized.components(separatedByString: "\n\n") where !block.isEmpty {
            var event: String?
            var data: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event:") { event = line.dropFirst(6).trimmingCharacters(in: " ") }
                else if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: " ")) }
            }
            if event != nil || !data.isEmpty { events.append(SSEEvent(event: event, data: data.joined(separator: "\n"))) }
        }
        return events
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        components(separatedByString: target).joined(separator: replacement)
    }

    fileprivate func components(separatedByString separator: String) -> [String] {
        var parts: [String] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

/// One request on a fresh `Connection: close` connection, read until the server closes it
/// (or the receive timeout passes); nil when the server cannot be reached or sent no head.
public func rawExchange(port: UInt16, method: String = "POST", path: String, headers: [String] = [], body: String? = nil,
                        receiveTimeout: Double = 5) -> FullResponse? {
    guard let client = try? RawClient(port: port, receiveTimeout: receiveTimeout) else { return nil }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for line in headers { head += line + "\r\n" }
    let bytes = body.map { Array($0.utf8) } ?? []
    if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n" }
    client.send(Array((head + "\r\n").utf8) + bytes)
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = recv(client.fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        received += buffer[0..<count]
    }
    return FullResponse.parse(received)
}
