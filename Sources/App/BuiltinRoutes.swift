import HTTPCore

/// The gateway's routes (public port).
enum GatewayRoutes {
    static func make() -> HTTPRoutes {
        var routes = HTTPRoutes()
        routes.add("GET", "/healthz") { _ in .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        return routes
    }

    static func renderError(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        let (status, message) = statusAndMessage(error)
        let body = #"{"error":{"message":"\#(jsonEscaped(message))","type":"invalid_request_error","code":"\#(status == 404 ? "not_found" : "error")"}}"#
        return .json(status, Array(body.utf8))
    }
}

private func statusAndMessage(_ error: any Error) -> (Int, String) {
    if let routing = error as? RoutingError { return (routing.status, routing.message) }
    return (500, "internal error")
}

/// Escapes text for a JSON string literal.
func jsonEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
