import HTTPCore
import JSON
import Store

/// Turns every error a request can raise into the admin API's one error shape:
/// `{"error":{"code","message","field"}}`, plus `errors` listing every issue of a 422.
enum ErrorRenderer {
    static func render(_ error: any Error) -> HTTPResponse {
        var headers = HTTPHeaders()
        let (status, issues): (Int, [AdminIssue])
        switch error {
        case let error as AdminError:
            (status, issues) = map(error, &headers)
        case let error as StoreError:
            (status, issues) = map(error, &headers)
        case let error as HTTPRouteError:
            let code = error.status == 404 ? "not_found" : "method_not_allowed"
            (status, issues) = (error.status, [AdminIssue(code: code, field: nil, message: error.message)])
        default:
            (status, issues) = (500, [AdminIssue(code: "internal_error", field: nil, message: "internal error")])
        }
        return .json(status, body(issues, listAll: status == 422).serialized(), headers: headers)
    }

    private static func map(_ error: AdminError, _ headers: inout HTTPHeaders) -> (Int, [AdminIssue]) {
        switch error {
        case .malformed(let code, let message, let field):
            return (400, [AdminIssue(code: code, field: field, message: message)])
        case .invalid(let issues):
            return (422, issues.isEmpty ? [AdminIssue(code: "invalid_value", field: nil, message: "invalid")] : issues)
        case .unauthorized:
            headers.set("WWW-Authenticate", #"Bearer realm="switchyard-admin""#)
            return (401, [AdminIssue(code: "unauthorized", field: nil, message: "missing or wrong admin token")])
        case .rateLimited(let seconds):
            headers.set("Retry-After", String(seconds))
            headers.set("WWW-Authenticate", #"Bearer realm="switchyard-admin""#)
            return (429, [AdminIssue(code: "rate_limited",
                                     field: nil, message: "too many wrong admin tokens; retry in \(seconds) s")])
        case .preconditionFailed(let etag):
            headers.set("ETag", etag)
            return (412, [AdminIssue(code: "precondition_failed", field: nil,
                                     message: "If-Match does not match the current configuration \(etag)")])
        case .runtimeUnavailable:
            return (503, [AdminIssue(code: "runtime_unavailable", field: nil,
                                     message: "no live router is attached to this admin API")])
        case .routing(let status, let code, let message, let field):
            return (status, [AdminIssue(code: code, field: field, message: message)])
        }
    }

    private static func map(_ error: StoreError, _ headers: inout HTTPHeaders) -> (Int, [AdminIssue]) {
        switch error {
        case .notFound(let kind, let id):
            return (404, [AdminIssue(code: "not_found", field: nil, message: "\(kind.rawValue) '\(id)' not found")])
        case .conflict(let message):
            return (409, [AdminIssue(code: "conflict", field: nil, message: message)])
        case .invalid(let issues):
            return (422, issues.map { AdminIssue(code: "invalid_value", field: $0.field, message: $0.message) })
        case .versionMismatch(let current):
            let etag = ConfigETag.make(current)
            headers.set("ETag", etag)
            return (412, [AdminIssue(code: "precondition_failed", field: nil,
                                     message: "the configuration changed meanwhile; current ETag \(etag)")])
        case .newerDatabase, .masterKey, .decryption, .storage:
            return (500, [AdminIssue(code: "internal_error", field: nil, message: "storage error")])
        }
    }

    private static func body(_ issues: [AdminIssue], listAll: Bool) -> JSONValue {
        func encode(_ issue: AdminIssue) -> JSONValue {
            ["code": .string(issue.code), "message": .string(issue.message), "field": issue.field.map(JSONValue.string) ?? .null]
        }
        var object: JSONObject = ["error": encode(issues[0])]
        if listAll { object.append("errors", .array(issues.map(encode))) }
        return .object(object)
    }
}
