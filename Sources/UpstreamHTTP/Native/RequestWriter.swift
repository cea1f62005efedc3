/// Serialises a request for the native transport: head and body in one buffer, so that one
/// `send` usually carries the whole request.
enum RequestWriter {
    /// `METHOD target HTTP/1.1`, Host, the caller's headers minus the framing and hop-by-hop
    /// ones (as the curl path drops them), Accept as curl adds it, Content-Length, body.
    static func serialize(_ request: UpstreamRequest, to target: NativeTarget) -> [UInt8] {
        let method = wireMethod(request.method)
        let sendsBody = method != "HEAD" && !(method == "GET" && request.body.isEmpty)
        var size = method.utf8.count + target.pathAndQuery.utf8.count + target.hostHeader.utf8.count + 64
        for (name, value) in request.headers { size += name.utf8.count + value.utf8.count + 4 }
        if sendsBody { size += request.body.count }

        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: method.utf8)
        out.append(0x20)
        out.append(contentsOf: target.pathAndQuery.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        var callerHost = false, callerAccept = false
        for (name, _) in request.headers {
            if name.asciiCaseInsensitiveEquals("Host") { callerHost = true }
            if name.asciiCaseInsensitiveEquals("Accept") { callerAccept = true }
        }
        if !callerHost { line(&out, "Host", target.hostHeader) }
        if !callerAccept { line(&out, "Accept", "*/*") }
        // Names and values were validated (tokens; no CR, LF or NUL) before the request got here.
        for (name, value) in request.headers
        where !EasyContext.managedHeaders.contains(where: { $0.asciiCaseInsensitiveEquals(name) }) {
            line(&out, name, value)
        }
        if sendsBody { line(&out, "Content-Length", String(request.body.count)) }
        out.append(contentsOf: "\r\n".utf8)
        if sendsBody { out.append(contentsOf: request.body) }
        return out
    }

    /// Whether the response to `method` has no body whatever its headers say.
    static func isHEAD(_ method: String) -> Bool {
        method.asciiCaseInsensitiveEquals("HEAD")
    }

    /// GET, HEAD and POST are sent upper-case (as curl does); other methods as given.
    private static func wireMethod(_ method: String) -> String {
        for known in ["GET", "HEAD", "POST"] where method.asciiCaseInsensitiveEquals(known) { return known }
        return method
    }

    private static func line(_ out: inout [UInt8], _ name: String, _ value: String) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: value.isEmpty ? ":".utf8 : ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(contentsOf: "\r\n".utf8)
    }
}
