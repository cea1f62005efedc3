import HTTPCore
import JSON
import Router

/// `/v1/sessions`: the live session bindings, and their removal (from the router and the Store);
/// both take optional `?provider=` and `?session=` filters.
enum SessionHandlers {
    static func list(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let registry = try context.requireRuntime().registry
        let (provider, session) = try filters(request)
        let bindings = registry.sessions().filter { entry in
            (provider == nil || entry.key.provider == provider) && (session == nil || entry.key.session == session)
        }
        return Wire.list(bindings.map { key, binding in
            [
                "provider": .string(key.provider), "session": .string(key.session), "model": .string(key.model),
                "credential_id": .string(binding.credentialID),
                "expires_at": .string(Timestamps.format(binding.expiresAt.date)),
                "updated_at": .string(Timestamps.format(binding.updatedAt.date)),
            ]
        })
    }

    /// Removes matching bindings from the live registry, then from the Store (so a restart does
    /// not bring them back); answers how many live bindings were removed.
    static func delete(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let runtime = try context.requireRuntime()
        let (provider, session) = try filters(request)
        let deleted = try await runtime.deleteSessions(provider: provider, session: session)
        return Wire.json(200, ["deleted": .int(deleted)])
    }

    private static func filters(_ request: HTTPRequest) throws(AdminError) -> (provider: String?, session: String?) {
        (try Wire.filter(request, "provider"), try Wire.filter(request, "session"))
    }
}
