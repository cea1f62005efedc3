import Foundation
import HTTPCore
import JSON
import Store

/// `/v1/credentials`: one handler per operation; reads include live state.
enum CredentialHandlers {
    static func list(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let credentials = try await context.store.credentials()
        let health = try await context.hooks.liveHealth(store: context.store)
        let snapshot = context.snapshot
        return Wire.list(credentials.map {
            CredentialCodec.encode($0, state: CredentialState.encode($0, health, snapshot: snapshot, now: context.now()))
        })
    }

    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let credential = try await context.store.credential(id: Wire.parameter(request, "id"))
        return try await respond(200, credential, context)
    }

    static func create(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let object = try Wire.object(request)
        let id = object["id"]?.string ?? RandomKey.identifier(prefix: "cred")
        let credential = try decode(object, base: nil, existing: nil, id: id, idFromPath: false, context.snapshot)
        try await context.store.createCredential(credential)
        return try await respond(201, credential, context).located("/v1/credentials/" + pathSegment(id))
    }

    static func put(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let id = Wire.parameter(request, "id")
        let object = try Wire.object(request)
        let snapshot = context.snapshot
        let credential = try decode(object, base: nil, existing: snapshot.credentialsByID[id], id: id, idFromPath: true, snapshot)
        let outcome = try await context.store.putCredential(credential)
        return try await respond(outcome == .created ? 201 : 200, credential, context)
    }

    static func patch(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let id = Wire.parameter(request, "id")
        let snapshot = context.snapshot
        guard let current = snapshot.credentialsByID[id] else { throw StoreError.notFound(.credential, id) }
        let object = try Wire.object(request)
        _ = try decode(object, base: current, existing: current, id: id, idFromPath: true, snapshot)
        let store = context.store
        let updated = try await store.updateCredential(id: id) { credential throws(StoreError) in
            do throws(AdminError) { credential = try decode(object, base: credential, existing: credential, id: id, idFromPath: true, store.snapshot) } catch {
                throw .invalid(error.storeIssues)
            }
        }
        return try await respond(200, updated, context)
    }

    static func delete(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        try await context.store.deleteCredential(id: Wire.parameter(request, "id"))
        return Wire.noContent()
    }

    /// Clears the credential's stored health state, then tells the router (SPEC §4 reset).
    static func reset(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let id = Wire.parameter(request, "id")
        let credential = try await context.store.credential(id: id)
        try await context.store.clearHealth(credentialID: id)
        await context.hooks.credentialWasReset(id)
        return try await respond(200, credential, context)
    }

    private static func respond(_ status: Int, _ credential: Credential, _ context: AdminContext) async throws -> HTTPResponse {
        let health = try await context.hooks.liveHealth(store: context.store)
        let state = CredentialState.encode(credential, health, snapshot: context.snapshot, now: context.now())
        return Wire.json(status, CredentialCodec.encode(credential, state: state))
    }

    /// Reads and validates a credential body against `snapshot`'s providers; 422 listing every issue.
    static func decode(_ object: JSONObject, base: Credential?, existing: Credential?, id: String, idFromPath: Bool,
                       _ snapshot: ConfigSnapshot) throws(AdminError) -> Credential {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let credential = CredentialCodec.decode(&reader, base: base, existing: existing, id: id, idFromPath: idFromPath)
        reader.finish()
        let provider = snapshot.providersByName[credential.provider]
        if provider == nil && !credential.provider.isEmpty && !issues.all.contains(where: { $0.field == "provider" }) {
            issues.add("invalid_value", "provider", "unknown provider '\(credential.provider)'")
        }
        CredentialCodec.validate(credential, provider: provider, issues: issues)
        try issues.check()
        return credential
    }
}

/// A credential's live state: available or not, and each cooling model with reason and deadline.
enum CredentialState {
    /// Available: the credential and its provider are enabled and it is not cooling as a whole.
    static func encode(_ credential: Credential, _ health: [ModelHealthRecord], snapshot: ConfigSnapshot, now: Date) -> JSONValue {
        let providerEnabled = snapshot.providersByName[credential.provider]?.enabled ?? false
        let cooling = health.filter { $0.credentialID == credential.id && ($0.cooldownUntil.map { $0 > now } ?? false) }
            .sorted { ($0.model, $0.reason) < ($1.model, $1.reason) }
        let wholeCredential = cooling.contains { $0.model.isEmpty }
        return [
            "available": .bool(credential.enabled && providerEnabled && !wholeCredential),
            "cooling": .array(cooling.map { record in
                ["model": record.model.isEmpty ? .null : .string(record.model), "reason": .string(record.reason),
                 "until": .string(Timestamps.format(record.cooldownUntil ?? now))]
            }),
        ]
    }
}
