import Foundation
@testable import Store

/// A temporary directory removed when the test is done.
final class TempDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("storetests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var databasePath: String { url.appendingPathComponent("switchyard.db").path }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A fixed clock value: tests pass `now` explicitly.
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

let testKey = try! MasterKey(bytes: Array(repeating: 7, count: 32))
let otherKey = try! MasterKey(bytes: Array(repeating: 9, count: 32))

func openStore(_ dir: TempDirectory, key: MasterKey = testKey, previous: [MasterKey] = []) async throws(StoreError) -> Store {
    try await Store.open(path: dir.databasePath, keyring: Keyring(current: key, previous: previous), now: t0)
}

/// Runs `body` and returns the `StoreError` it threw, or nil if it succeeded.
func storeError(_ body: () async throws(StoreError) -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}

enum Sample {
    static func openAI(_ name: String = "openai") -> Provider {
        Provider(name: name, type: .openai, baseURL: "https://api.openai.com/v1", models: ["gpt-*"])
    }

    static func anthropic() -> Provider {
        Provider(name: "anthropic", type: .anthropic, baseURL: "https://api.anthropic.com",
                 headers: ["anthropic-beta": "prompt-caching-2024-07-31"], models: ["claude-*"],
                 quotaScope: .credential)
    }

    static func credential(_ id: String, provider: String = "openai", key: String = "sk-test-0123456789abcdef",
                           label: String = "") -> Credential {
        Credential(id: id, provider: provider, label: label, secret: .apiKey(Secret(key)))
    }

    static func route(_ name: String = "smart", providers: [String] = ["openai"]) -> Route {
        Route(name: name, targets: providers.map { RouteTarget(provider: $0, model: "gpt-4o") }, strategy: .roundRobin)
    }
}
