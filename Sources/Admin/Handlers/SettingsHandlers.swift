import HTTPCore
import JSON
import Store

/// `/v1/settings`: read, and merge a partial document (PATCH).
enum SettingsHandlers {
    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        Wire.json(200, SettingsCodec.encode(try await context.store.settings()))
    }

    static func patch(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let object = try Wire.object(request)
        var preview = context.snapshot.settings
        let issues = Issues()
        SettingsCodec.merge(object, into: &preview, issues: issues)
        try issues.check()
        let updated = try await context.store.updateSettings { settings throws(StoreError) in
            let again = Issues()
            SettingsCodec.merge(object, into: &settings, issues: again)
            if !again.isEmpty { throw .invalid(again.all.map { ValidationIssue(field: $0.field ?? "", message: $0.message) }) }
        }
        return Wire.json(200, SettingsCodec.encode(updated))
    }
}
