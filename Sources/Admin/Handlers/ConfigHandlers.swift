import HTTPCore
import JSON
import Store

/// `/v1/config`: export with an ETag, and atomic replace (`If-Match`, `?dry_run=true`).
enum ConfigHandlers {
    static func get(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let snapshot = context.snapshot
        return Wire.json(200, ConfigurationCodec.encode(snapshot.configuration),
                         headers: ["ETag": ConfigETag.make(snapshot.version)])
    }

    static func put(_ context: AdminContext, _ request: HTTPRequest) async throws -> HTTPResponse {
        let dryRun = try Wire.flag(request, "dry_run")
        let ifMatch = request.headers["If-Match"]
        let object = try Wire.object(request)
        // Without If-Match, a change that lands between reading and writing is simply retried.
        var attempts = 0
        while true {
            attempts += 1
            let snapshot = context.snapshot
            // Validated first: an invalid document is a 422 whatever its If-Match.
            let configuration = try ConfigurationCodec.decode(object, current: snapshot.configuration, now: context.now())
            if let ifMatch, !ConfigETag.matches(ifMatch, version: snapshot.version) {
                throw AdminError.preconditionFailed(currentETag: ConfigETag.make(snapshot.version))
            }
            let diff = ConfigurationDiff(from: snapshot.configuration, to: configuration)
            if dryRun {
                return Wire.json(200, encode(diff, dryRun: true), headers: ["ETag": ConfigETag.make(snapshot.version)])
            }
            switch await replace(context.store, configuration, expectedVersion: snapshot.version) {
            case .success(let applied):
                return Wire.json(200, encode(diff, dryRun: false), headers: ["ETag": ConfigETag.make(applied.version)])
            case .failure(let error):
                if case .versionMismatch = error, ifMatch == nil, attempts < 5 { continue }
                throw error
            }
        }
    }

    private static func replace(_ store: Store, _ configuration: Configuration, expectedVersion: UInt64) async -> Result<ConfigSnapshot, StoreError> {
        do {
            return .success(try await store.replaceConfiguration(configuration, expectedVersion: expectedVersion))
        } catch {
            return .failure(error)
        }
    }

    /// `{"dry_run", "changes": {providers: {created, updated, deleted}, …, settings, reordered}}`.
    static func encode(_ diff: ConfigurationDiff, dryRun: Bool) -> JSONValue {
        func changes(_ c: ConfigurationDiff.Changes) -> JSONValue {
            ["created": .strings(c.created), "updated": .strings(c.updated), "deleted": .strings(c.deleted)]
        }
        return [
            "dry_run": .bool(dryRun),
            "changed": .bool(!diff.isEmpty),
            "changes": [
                "providers": changes(diff.providers),
                "credentials": changes(diff.credentials),
                "routes": changes(diff.routes),
                "client_keys": changes(diff.clientKeys),
                "settings": .strings(diff.settings),
                "reordered": .bool(diff.reordered),
            ],
        ]
    }
}

/// The configuration's entity tag: its version, quoted (`"cfg-42"`).
enum ConfigETag {
    static func make(_ version: UInt64) -> String { "\"cfg-\(version)\"" }

    /// Whether an `If-Match` value (`*`, or a list of strong tags) names `version`.
    static func matches(_ header: String, version: UInt64) -> Bool {
        let current = make(version)
        return header.split(separator: ",").contains { part in
            let tag = part.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == current
        }
    }
}
