import Foundation
import HTTPCore
import Store
import Synchronization
import Testing
import UpstreamHTTP
@testable import Router

/// What the token endpoint saw.
private final class TokenLog: Sendable {
    let forms = Mutex<[String]>([])
    var count: Int { forms.withLock { $0.count } }
}

/// A token endpoint on 127.0.0.1 that rotates refresh tokens (or fails with `status`).
private func tokenEndpoint(_ log: TokenLog, status: Int = 200) async throws -> (EventLoopGroup, HTTPServer) {
    let group = try EventLoopGroup(threads: 1)
    var routes = HTTPRoutes()
    routes.add("POST", "/token") { request in
        let number = log.forms.withLock { forms in
            forms.append(String(decoding: request.body, as: UTF8.self))
            return forms.count
        }
        try await Task.sleep(for: .milliseconds(100))  // long enough for callers to pile up
        guard status == 200 else { return .json(status, Array(#"{"error":"invalid_grant"}"#.utf8)) }
        return .json(200, Array(#"{"access_token":"at-\#(number)","refresh_token":"rt-\#(number)","expires_in":3600}"#.utf8))
    }
    let server = HTTPServer(configuration: ServerConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0)), group: group,
                            handler: routes.handler { _, _ in .json(500, []) })
    try await server.start()
    return (group, server)
}

@Suite(.serialized) struct OAuthRefresherTests {
    private func setUp(port: UInt16, expiresIn seconds: Double) async throws -> (Store, URL) {
        let (store, directory) = try await temporaryStore()
        _ = try await store.createProvider(Provider(name: "anthropic", type: .anthropic, baseURL: "http://127.0.0.1:\(port)",
                                                    allowPrivateNetwork: true))
        let token = OAuthToken(accessToken: Secret("at-0"), refreshToken: Secret("rt-0+/="), expiresAt: Date().addingTimeInterval(seconds),
                               tokenURL: "http://127.0.0.1:\(port)/token", clientID: "client-1")
        _ = try await store.createCredential(Credential(id: "c1", provider: "anthropic", secret: .oauth(token)))
        return (store, directory)
    }

    @Test func concurrentRequestsShareOneRefreshAndTheRotatedTokenIsStored() async throws {
        let log = TokenLog()
        let (group, server) = try await tokenEndpoint(log)
        let (store, directory) = try await setUp(port: server.port, expiresIn: 60)
        let refresher = OAuthRefresher(store: store, client: try UpstreamClient())
        let stale = try #require(store.snapshot.credentialsByID["c1"])
        let results = await withTaskGroup(of: Credential.self) { group in
            for _ in 0..<20 { group.addTask { await refresher.fresh(stale) } }
            var all: [Credential] = []
            for await credential in group { all.append(credential) }
            return all
        }
        #expect(log.count == 1)
        #expect(log.forms.withLock { $0.first } == "grant_type=refresh_token&refresh_token=rt-0%2B%2F%3D&client_id=client-1")
        #expect(results.allSatisfy { $0.secret.bearerValue == "at-1" })
        guard case .oauth(let stored) = try #require(store.snapshot.credentialsByID["c1"]).secret else {
            Issue.record("credential lost its OAuth secret")
            return
        }
        #expect(stored.refreshToken?.reveal() == "rt-1")
        #expect(stored.expiresAt.map { $0.timeIntervalSinceNow > 3000 } == true)
        // Fresh now: no second refresh.
        _ = await refresher.fresh(try #require(store.snapshot.credentialsByID["c1"]))
        #expect(log.count == 1)
        store.close()
        try? FileManager.default.removeItem(at: directory)
        await server.shutdown(drainTimeout: 0.1)
        group.shutdown()
    }

    @Test func aFailedRefreshBacksOffInsteadOfHammering() async throws {
        let log = TokenLog()
        let (group, server) = try await tokenEndpoint(log, status: 400)
        let (store, directory) = try await setUp(port: server.port, expiresIn: 10)
        let refresher = OAuthRefresher(store: store, client: try UpstreamClient())
        let stale = try #require(store.snapshot.credentialsByID["c1"])
        let first = await refresher.fresh(stale)
        #expect(first.secret.bearerValue == "at-0")
        for _ in 0..<5 { _ = await refresher.fresh(stale) }
        #expect(log.count == 1)
        #expect(refresher.failedRefreshes()["c1"] != nil)
        store.close()
        try? FileManager.default.removeItem(at: directory)
        await server.shutdown(drainTimeout: 0.1)
        group.shutdown()
    }

    @Test func apiKeysAndFarExpiriesAreLeftAlone() async throws {
        let log = TokenLog()
        let (group, server) = try await tokenEndpoint(log)
        let (store, directory) = try await setUp(port: server.port, expiresIn: 7200)
        let refresher = OAuthRefresher(store: store, client: try UpstreamClient())
        await refresher.refreshDue()
        _ = await refresher.fresh(Credential(id: "k", provider: "anthropic", secret: .apiKey(Secret("sk-1"))))
        #expect(log.count == 0)
        store.close()
        try? FileManager.default.removeItem(at: directory)
        await server.shutdown(drainTimeout: 0.1)
        group.shutdown()
    }
}

/// A store in a new temporary directory (the caller closes it and removes the directory).
func temporaryStore() async throws -> (Store, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try await Store.open(path: directory.appendingPathComponent("db").path,
                                     keyring: Keyring(current: try MasterKey(bytes: Array(repeating: 4, count: 32))), now: Date())
    return (store, directory)
}
