import HTTPCore

/// `/_mock/...`: script faults and read the request log (JSON in and out, no auth).
///
/// - `POST /_mock/faults` `{"key"?, "model"?, "fault": {...}, "times"?}` → 201 the rule with its `id`
/// - `GET /_mock/faults` → `[{"id", "key", "model", "fault", "remaining"}]`
/// - `DELETE /_mock/faults` → `{"deleted": N}`; `DELETE /_mock/faults/{id}` → 200 or 404
/// - `GET /_mock/requests` → `[{"method", "path", "api", "key", "model", "body_sha256", "stream", "fault"}]`
///   (header `X-Mock-Total`: requests received, including any no longer kept)
/// - `DELETE /_mock/requests` → `{"deleted": N}`; `POST /_mock/reset` clears both and restarts ids.
/// - `GET /_mock/stats` → `{"open_connections": N}` (this request's own connection included).
struct ControlAPI {
    let mock: MockUpstream

    func register(_ routes: inout HTTPRoutes) {
        let mock = self.mock
        routes.add("POST", "/_mock/faults") { request in Self.addFault(mock, request) }
        routes.add("GET", "/_mock/faults") { _ in
            .json(200, Array(("[" + mock.faults.rules.map(Self.json).joined(separator: ",") + "]").utf8))
        }
        routes.add("DELETE", "/_mock/faults") { _ in
            let count = mock.faults.rules.count
            mock.faults.clear()
            return .json(200, Array("{\"deleted\":\(count)}".utf8))
        }
        routes.add("DELETE", "/_mock/faults/{id}") { request in
            guard let id = request.pathParameters["id"].flatMap({ Int($0) }), mock.faults.remove(id: id) else {
                return Self.problem(404, "no such fault rule")
            }
            return .json(200, Array("{\"deleted\":1}".utf8))
        }
        routes.add("GET", "/_mock/requests") { _ in
            .json(200, Array(mock.log.json.utf8), headers: ["X-Mock-Total": String(mock.log.total)])
        }
        routes.add("DELETE", "/_mock/requests") { _ in
            let count = mock.log.total
            mock.log.clear()
            return .json(200, Array("{\"deleted\":\(count)}".utf8))
        }
        routes.add("GET", "/_mock/stats") { _ in
            .json(200, Array("{\"open_connections\":\(mock.openConnections)}".utf8))
        }
        routes.add("POST", "/_mock/reset") { _ in
            mock.reset()
            return .json(200, Array("{\"reset\":true}".utf8))
        }
    }

    private static func addFault(_ mock: MockUpstream, _ request: HTTPRequest) -> HTTPResponse {
        guard let object = JSONText.object(request.body) else { return problem(400, "body must be a JSON object") }
        for field in object.keys where !["key", "model", "fault", "times"].contains(field) {
            return problem(400, "unknown field \"\(field)\"")
        }
        let key = object["key"] as? String, model = object["model"] as? String
        if object["key"] != nil && key == nil { return problem(400, "key must be a string") }
        if object["model"] != nil && model == nil { return problem(400, "model must be a string") }
        guard let faultObject = JSONRead.object(object["fault"]) else { return problem(400, "fault must be an object") }
        let spec: FaultSpec
        do { spec = try FaultSpec.parse(faultObject) } catch { return problem(400, error.message) }
        var times: Int?
        if let raw = object["times"] {
            guard let count = JSONRead.int(raw), count >= 1 else { return problem(400, "times must be a positive integer") }
            times = count
        }
        let rule = mock.faults.add(key: key, model: model, fault: ScriptedFault(spec: spec, json: JSONText.encode(faultObject)), times: times)
        return .json(201, Array(json(rule).utf8))
    }

    private static func json(_ rule: FaultBook.Rule) -> String {
        "{\"id\":\(rule.id),\"key\":\(JSONText.quote(rule.key)),\"model\":\(JSONText.quote(rule.model)),"
            + "\"fault\":\(rule.fault.json),\"remaining\":\(rule.remaining.map(String.init) ?? "null")}"
    }

    private static func problem(_ status: Int, _ message: String) -> HTTPResponse {
        .json(status, Array("{\"error\":{\"message\":\(JSONText.quote(message))}}".utf8))
    }
}
