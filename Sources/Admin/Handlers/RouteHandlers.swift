import HTTPCore
import JSON
import Store

/// `/v1/routes`: one handler per operation.
enum RouteHandlers {
    static func list(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.list(try await context.store.routes().map(RouteCodec.encode))
    }

    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.json(200, RouteCodec.encode(try await context.store.route(named: Wire.parameter(request, "name"))))
    }

    /// Creates a route named in the body; 409 if the name is taken.
    static func create(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let route = try decode(try Wire.object(request), name: nil, context.snapshot)
        try await context.store.createRoute(route)
        return Wire.json(201, RouteCodec.encode(route)).located("/v1/routes/" + pathSegment(route.name))
    }

    static func put(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let name = Wire.parameter(request, "name")
        let route = try decode(try Wire.object(request), name: name, context.snapshot)
        let outcome = try await context.store.putRoute(route)
        return Wire.json(outcome == .created ? 201 : 200, RouteCodec.encode(route))
    }

    static func delete(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        try await context.store.deleteRoute(named: Wire.parameter(request, "name"))
        return Wire.noContent()
    }

    /// Reads and validates a route body; 422 listing every issue.
    static func decode(_ object: JSONObject, name: String?, _ snapshot: ConfigSnapshot) throws(AdminError) -> Route {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let route = RouteCodec.decode(&reader, name: name)
        reader.finish()
        RouteCodec.validate(route, providers: Set(snapshot.providersByName.keys), issues: issues)
        try issues.check()
        return route
    }
}
