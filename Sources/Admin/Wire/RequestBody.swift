import HTTPCore
import JSON

/// Reading request bodies and query flags, and writing JSON responses.
enum Wire {
    /// Parses the body as a JSON object: 400 when it is empty, malformed, or not an object.
    static func object(_ request: HTTPRequest) throws(AdminError) -> JSONObject {
        guard !request.body.isEmpty else { throw .malformedJSON("the request body must be a JSON object") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(request.body)
        } catch {
            throw .malformedJSON("malformed JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw .malformed(code: "invalid_json", message: "the request body must be a JSON object, not \(value.typeName)", field: nil)
        }
        return object
    }

    /// A boolean query flag (`true`/`false`); absent is false, anything else is a 400.
    static func flag(_ request: HTTPRequest, _ name: String) throws(AdminError) -> Bool {
        switch request.queryItem(name) {
        case nil, "false": return false
        case "true": return true
        default: throw .malformed(code: "invalid_query", message: "\(name) must be true or false", field: name)
        }
    }

    /// A JSON response.
    static func json(_ status: Int, _ value: JSONValue, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(status, value.serialized(), headers: headers)
    }

    /// A JSON list response: `{"data":[…]}`.
    static func list(_ items: [JSONValue]) -> HTTPResponse {
        json(200, ["data": .array(items)])
    }

    /// 204 No Content.
    static func noContent() -> HTTPResponse { HTTPResponse(status: 204) }

    /// The path parameter `name` (always present when the route matched).
    static func parameter(_ request: HTTPRequest, _ name: String) -> String {
        request.pathParameters[name] ?? ""
    }
}

extension JSONValue {
    /// A string, or null for nil.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// An array of strings.
    static func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    /// An integer.
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
}

extension Wire {
    /// A query parameter, percent-decoded: nil when absent; a 400 `invalid_query` when its
    /// escapes are malformed.
    static func query(_ request: HTTPRequest, _ name: String) throws(AdminError) -> String? {
        if let value = request.queryItem(name) { return value }
        let prefix = name + "="
        guard request.query?.split(separator: "&").contains(where: { $0 == name || $0.hasPrefix(prefix) }) == true else {
            return nil
        }
        throw .malformed(code: "invalid_query", message: "\(name) is not a well-escaped query value", field: name)
    }

    /// An optional filter: absent is nil; present but empty is a 422.
    static func filter(_ request: HTTPRequest, _ name: String) throws(AdminError) -> String? {
        guard let value = try query(request, name) else { return nil }
        guard !value.isEmpty else { throw .invalid(name, "must not be empty") }
        return value
    }
}
