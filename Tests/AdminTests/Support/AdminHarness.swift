import Admin
import Foundation
import HTTPCore
import JSON
import Router
import Store
import Synchronization
import TestSupport

/// The admin token every harness accepts.
let adminToken = "test-admin-token-0123456789abcdef"

/// A clock tests can move.
final class TestClock: Sendable {
    private let state = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { state.withLock { $0 } }
    func advance(_ seconds: Double) { state.withLock { $0 += seconds } }
}

/// A live admin server on 127.0.0.1:0 over a Store in a temporary directory.
final class AdminHarness: @unchecked Sendable {
    let directory: URL
    let store: Store
    let api: AdminAPI
    let group: EventLoopGroup
    let server: HTTPServer
    let clock = TestClock()

    /// The live router runtime, when the harness was built with one.
    let runtime: RouterRuntime?

    /// `runtime` builds the live router runtime the admin API presents (none: the runtime views answer 503).
    init(failuresPerAddress: Int = 10, runtime makeRuntime: ((Store, TestClock) -> RouterRuntime)? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("admintests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try MasterKey(bytes: Array(repeating: 5, count: 32))
        store = try await Store.open(path: directory.appendingPathComponent("switchyard.db").path,
                                     keyring: Keyring(current: key, previous: []), now: Date())
        _ = try await store.bootstrapAdminToken(environmentToken: adminToken, now: Date())
        let clock = clock
        runtime = makeRuntime?(store, clock)
        api = AdminAPI(store: store, now: { clock.now }, runtime: runtime, failuresPerAddress: failuresPerAddress)
        group = try EventLoopGroup(threads: 1)
        server = HTTPServer(configuration: ServerConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0)), group: group,
                            handler: api.routes().handler(renderingErrorsWith: api.renderError))
        try await server.start()
    }

    var port: UInt16 { server.port }

    func stop() async {
        await server.shutdown(drainTimeout: 0.1)
        group.shutdown()
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends an authorized request (unless `token` overrides it) and returns the response.
    func send(_ method: String, _ path: String, _ body: String? = nil, token: String? = adminToken,
              headers: [String] = []) -> Reply {
        var lines = headers
        if let token { lines.append("Authorization: Bearer \(token)") }
        let response = rawRequest(port: port, method: method, path: path, headers: lines, body: body)
        return Reply(response)
    }
}

/// A response with its body parsed as JSON when possible.
struct Reply {
    let status: Int
    let body: String
    let raw: RawResponse?
    let json: JSONValue?

    init(_ response: RawResponse?) {
        raw = response
        status = response?.status ?? 0
        body = response?.body ?? ""
        json = try? JSONValue.parse(body)
    }

    func header(_ name: String) -> String? { raw?.header(name) }

    /// The `error.code` of an error body.
    var errorCode: String? { json?["error"]?["code"]?.string }

    /// Every `field` of the `errors` list (or of `error`).
    var errorFields: [String] {
        if let list = json?["errors"]?.array { return list.compactMap { $0["field"]?.string } }
        return [json?["error"]?["field"]?.string].compactMap { $0 }
    }
}

/// Runs `body` with a fresh harness and stops it afterwards.
func withAdmin(failuresPerAddress: Int = 10, _ body: (AdminHarness) async throws -> Void) async throws {
    let harness = try await AdminHarness(failuresPerAddress: failuresPerAddress)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

/// Sample bodies.
enum Body {
    static let openAI = #"{"name":"openai","type":"openai","base_url":"https://api.openai.com/v1","models":["gpt-*"]}"#
    static let anthropic = #"{"name":"anthropic","type":"anthropic","base_url":"https://api.anthropic.com","models":["claude-*"],"headers":{"anthropic-beta":"prompt-caching-2024-07-31"}}"#
    static let rawKey = "sk-proj-SECRETabcdefghijklmnop9f2c"
    static func credential(_ provider: String = "openai", key: String = rawKey) -> String {
        #"{"provider":"\#(provider)","label":"main","api_key":"\#(key)","tier":1,"priority":5,"aliases":[{"alias":"fast","model":"gpt-4o-mini"},{"alias":"fast","model":"gpt-4.1-mini"}]}"#
    }
}
