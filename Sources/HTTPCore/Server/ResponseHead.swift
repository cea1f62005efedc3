/// Serialises a response head; the server owns the framing fields.
enum ResponseHead {
    /// Fields a handler may not set: framing and persistence are decided by the connection.
    private static let reserved = ["connection", "content-length", "transfer-encoding", "keep-alive", "date", "x-request-id"]
    private static let statusLines: [Int: [UInt8]] = Dictionary(uniqueKeysWithValues: (100...599).map {
        ($0, Array("HTTP/1.1 \($0) \(reasonPhrase($0))\r\n".utf8))
    })
    private static let crlf: [UInt8] = [13, 10]

    static func bytes(status: Int, headers: HTTPHeaders, framing: Framing, keepAlive: Bool, minorVersion: Int,
                      requestID: String, date: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: statusLines[status] ?? Array("HTTP/1.1 \(status) Status\r\n".utf8))
        for field in headers where isValid(field) && !reserved.contains(where: field.name.equalsIgnoringASCIICase) {
            out.append(contentsOf: field.name.utf8)
            out.append(58)
            out.append(32)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nX-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        out.append(contentsOf: crlf)
        switch framing {
        case .length(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(length, to: &out)
            out.append(contentsOf: crlf)
        case .chunked: out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .none, .untilClose: break
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if minorVersion == 0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: crlf)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(48 + value % 10))
    }

    /// How the body after the head is delimited.
    enum Framing {
        case length(Int)
        case chunked
        case untilClose
        case none
    }

    /// Drops fields whose name or value could split the head (response splitting).
    private static func isValid(_ field: HTTPHeaders.Field) -> Bool {
        !field.name.isEmpty && field.name.utf8.allSatisfy(Ascii.isTokenByte)
            && field.value.utf8.allSatisfy { $0 == Ascii.tab || ($0 >= 0x20 && $0 != 0x7F) }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        case 529: "Overloaded"
        default: "Status \(status)"
        }
    }
}
