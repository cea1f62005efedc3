import HTTPCore
import JSON
import Store

/// `/v1/providers`: one handler per operation.
enum ProviderHandlers {
    static func list(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.list(try await context.store.providers().map(ProviderCodec.encode))
    }

    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let provider = try await context.store.provider(named: Wire.parameter(request, "name"))
        return Wire.json(200, ProviderCodec.encode(provider))
    }

    static func create(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let object = try Wire.object(request)
        let provider = try decode(object, base: nil, existing: nil, name: nil)
        try await context.store.createProvider(provider)
        return Wire.json(201, ProviderCodec.encode(provider)).located("/v1/providers/" + pathSegment(provider.name))
    }

    static func put(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let name = Wire.parameter(request, "name")
        let object = try Wire.object(request)
        let provider = try decode(object, base: nil, existing: context.snapshot.providersByName[name], name: name)
        let outcome = try await context.store.putProvider(provider)
        return Wire.json(outcome == .created ? 201 : 200, ProviderCodec.encode(provider))
    }

    static func patch(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let name = Wire.parameter(request, "name")
        guard let current = context.snapshot.providersByName[name] else { throw StoreError.notFound(.provider, name) }
        let object = try Wire.object(request)
        _ = try decode(object, base: current, existing: current, name: name)
        let updated = try await context.store.updateProvider(named: name) { provider throws(StoreError) in
            do throws(AdminError) { provider = try decode(object, base: provider, existing: provider, name: name) } catch {
                throw .invalid(error.storeIssues)
            }
        }
        return Wire.json(200, ProviderCodec.encode(updated))
    }

    static func delete(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        try await context.store.deleteProvider(named: Wire.parameter(request, "name"))
        return Wire.noContent()
    }

    /// Reads and validates a provider body; 422 listing every issue.
    static func decode(_ object: JSONObject, base: Provider?, existing: Provider?, name: String?) throws(AdminError) -> Provider {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let provider = ProviderCodec.decode(&reader, base: base, existing: existing, name: name)
        reader.finish()
        ProviderCodec.validate(provider, issues: issues)
        try issues.check()
        return provider
    }
}

extension AdminError {
    /// The issues of a 422, as Store issues (to throw from inside a Store transform).
    var storeIssues: [ValidationIssue] {
        guard case .invalid(let issues) = self else { return [ValidationIssue(field: "", message: description)] }
        return issues.map { ValidationIssue(field: $0.field ?? "", message: $0.message) }
    }
}
