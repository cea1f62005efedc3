import HTTPCore
import JSON
import Store

/// `/v1/client-keys`: one handler per operation. The key is shown once, when generated.
enum ClientKeyHandlers {
    static func list(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.list(try await context.store.clientKeys().map { ClientKeyCodec.encode($0) })
    }

    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.json(200, ClientKeyCodec.encode(try await context.store.clientKey(id: Wire.parameter(request, "id"))))
    }

    /// Generates a key (or takes one supplied in `key`) and returns it once.
    static func create(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let object = try Wire.object(request)
        let (input, issues) = read(object, id: nil, storedHint: nil)
        if input.name.isAbsent { issues.require("name") }
        let id = input.id ?? RandomKey.identifier(prefix: "key")
        var (key, secret) = ClientKey.issue(id: id, name: input.name.value ?? "", now: context.now())
        input.apply(to: &key)
        issues.add(store: key.validationIssues())
        try issues.check()
        if context.snapshot.clientKeysByID[id] != nil { throw StoreError.conflict("client key '\(id)' already exists") }
        try await context.store.putClientKey(key)
        let shown = input.key == nil ? secret : nil
        return Wire.json(201, ClientKeyCodec.encode(key, revealing: shown)).located("/v1/client-keys/" + pathSegment(id))
    }

    /// Creates or replaces a key's name, models and enabled flag; a new key is generated (and
    /// returned once) only when the id is new and no `key` is supplied.
    static func put(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let id = Wire.parameter(request, "id")
        let (input, issues) = read(try Wire.object(request), id: id, storedHint: context.snapshot.clientKeysByID[id]?.hint)
        if input.name.isAbsent { issues.require("name") }
        var key: ClientKey
        var shown: Secret?
        if let stored = context.snapshot.clientKeysByID[id] {
            key = stored
            key.models = []
            key.enabled = true
        } else {
            let issued = ClientKey.issue(id: id, name: "", now: context.now())
            key = issued.0
            shown = input.key == nil ? issued.1 : nil
        }
        input.apply(to: &key)
        issues.add(store: key.validationIssues())
        try issues.check()
        let outcome = try await context.store.putClientKey(key)
        return Wire.json(outcome == .created ? 201 : 200, ClientKeyCodec.encode(key, revealing: outcome == .created ? shown : nil))
    }

    static func patch(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let id = Wire.parameter(request, "id")
        guard var current = context.snapshot.clientKeysByID[id] else { throw StoreError.notFound(.clientKey, id) }
        let (input, issues) = read(try Wire.object(request), id: id, allowKey: false, storedHint: current.hint)
        input.apply(to: &current)
        issues.add(store: current.validationIssues())
        try issues.check()
        let updated = try await context.store.updateClientKey(id: id) { key throws(StoreError) in input.apply(to: &key) }
        return Wire.json(200, ClientKeyCodec.encode(updated))
    }

    static func delete(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        try await context.store.deleteClientKey(id: Wire.parameter(request, "id"))
        return Wire.noContent()
    }

    private static func read(_ object: JSONObject, id: String?, allowKey: Bool = true,
                             storedHint: String?) -> (ClientKeyCodec.Input, Issues) {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let input = ClientKeyCodec.Input.read(&reader, id: id, allowKey: allowKey, storedHint: storedHint)
        reader.finish()
        return (input, issues)
    }
}
