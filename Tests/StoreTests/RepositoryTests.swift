import Foundation
import Testing
@testable import Store

@Suite struct RepositoryTests {
    @Test func providerCRUD() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        try await store.createProvider(Sample.anthropic())
        #expect(try await store.providers() == [Sample.openAI(), Sample.anthropic()])
        #expect(try await store.provider(named: "anthropic") == Sample.anthropic())
        #expect(await storeError { () throws(StoreError) in try await store.createProvider(Sample.openAI()) }
            == .conflict("provider 'openai' already exists"))
        let patched = try await store.updateProvider(named: "openai") { $0.enabled = false; $0.models.append("o3*") }
        #expect(patched.enabled == false)
        #expect(try await store.provider(named: "openai").models == ["gpt-*", "o3*"])
        try await store.deleteProvider(named: "anthropic")
        #expect(await storeError { () throws(StoreError) in _ = try await store.provider(named: "anthropic") }
            == .notFound(.provider, "anthropic"))
        #expect(await storeError { () throws(StoreError) in try await store.deleteProvider(named: "anthropic") }
            == .notFound(.provider, "anthropic"))
    }

    @Test func concurrentCreationsOfOneRouteNameLetExactlyOneWin() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        let outcomes = await withTaskGroup(of: StoreError?.self) { group in
            for _ in 0..<8 {
                group.addTask { await storeError { () throws(StoreError) in try await store.createRoute(Sample.route()) } }
            }
            return await group.reduce(into: [StoreError?]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.compactMap { $0 } == Array(repeating: .conflict("route 'smart' already exists"), count: 7))
        #expect(await storeError { () throws(StoreError) in try await store.createRoute(Sample.route("other", providers: ["nope"])) }
            == .invalid([ValidationIssue(field: "targets[0].provider", message: "unknown provider 'nope'")]))
    }

    @Test func credentialCRUDWithAliasesAndOAuth() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.anthropic())
        let oauth = Credential(
            id: "claude-max", provider: "anthropic", label: "Claude Max",
            secret: .oauth(OAuthToken(accessToken: Secret("sk-ant-oat01-abcdefghijklmnop"),
                                      refreshToken: Secret("sk-ant-ort01-abcdefghijklmnop"),
                                      expiresAt: Date(timeIntervalSince1970: 1_800_000_123.4567),
                                      tokenURL: "https://console.anthropic.com/v1/oauth/token", clientID: "client-1")),
            tier: 1, priority: 5, prefix: "max", models: ["claude-sonnet-*"],
            aliases: [ModelAlias(alias: "fast", model: "claude-haiku-4"), ModelAlias(alias: "fast", model: "claude-3-5-haiku")])
        try await store.createCredential(oauth)
        let read = try await store.credential(id: "claude-max")
        #expect(read == oauth)
        #expect(read.secret.hint == "sk-ant-…mnop")
        #expect(read.aliases.map(\.model) == ["claude-haiku-4", "claude-3-5-haiku"])

        #expect(await storeError { () throws(StoreError) in
            try await store.createCredential(Sample.credential("x", provider: "nope"))
        } == .invalid("provider", "unknown provider 'nope'"))

        let refreshed = try await store.updateCredential(id: "claude-max") {
            guard case .oauth(var token) = $0.secret else { return }
            token.accessToken = Secret("sk-ant-oat01-zyxwvutsrqponmlk")
            $0.secret = .oauth(token)
        }
        #expect(refreshed.secret.hint == "sk-ant-…nmlk")
        #expect(store.snapshot.credentialsByID["claude-max"]?.secret.hint == "sk-ant-…nmlk")
        try await store.deleteCredential(id: "claude-max")
        #expect(try await store.credentials().isEmpty)
    }

    @Test func deletingAProviderInUseIsAConflictNamingItsUsers() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        try await store.createProvider(Sample.anthropic())
        try await store.createCredential(Sample.credential("c1"))
        try await store.createCredential(Sample.credential("c2"))
        try await store.putRoute(Sample.route("smart", providers: ["anthropic", "openai"]))
        let error = await storeError { () throws(StoreError) in try await store.deleteProvider(named: "openai") }
        #expect(error == .conflict("provider 'openai' is still used by credentials 'c1' and 'c2' and route 'smart'"))
        #expect(try await store.providers().count == 2)

        try await store.deleteCredential(id: "c1")
        try await store.deleteCredential(id: "c2")
        #expect(await storeError { () throws(StoreError) in try await store.deleteProvider(named: "openai") }
            == .conflict("provider 'openai' is still used by route 'smart'"))
        try await store.deleteRoute(named: "smart")
        try await store.deleteProvider(named: "openai")
        #expect(store.snapshot.providers == [Sample.anthropic()])
    }

    @Test func createOrReplaceIsIdempotent() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        #expect(try await store.putProvider(Sample.openAI()) == .created)
        #expect(try await store.putProvider(Sample.openAI()) == .unchanged)
        #expect(try await store.putCredential(Sample.credential("c1")) == .created)
        let sealedBefore = try await store.writer.run { db throws(StoreError) in
            try db.query("SELECT secret_sealed FROM credentials")[0].blob(0)
        }
        let version = store.snapshot.version
        #expect(try await store.putCredential(Sample.credential("c1")) == .unchanged)
        #expect(try await store.putRoute(Sample.route()) == .created)
        #expect(try await store.putRoute(Sample.route()) == .unchanged)
        #expect(store.snapshot.version == version + 1)  // only the route creation counted
        let sealedAfter = try await store.writer.run { db throws(StoreError) in
            try db.query("SELECT secret_sealed FROM credentials")[0].blob(0)
        }
        #expect(sealedBefore == sealedAfter)  // identical PUT writes nothing
        #expect(try await store.putCredential(Sample.credential("c1", label: "renamed")) == .replaced)
        let counts = try await store.writer.run { db throws(StoreError) in
            (try db.query("SELECT count(*) FROM providers")[0].int(0), try db.query("SELECT count(*) FROM credentials")[0].int(0),
             try db.query("SELECT count(*) FROM route_targets")[0].int(0))
        }
        #expect(counts.0 == 1 && counts.1 == 1 && counts.2 == 1)
        #expect(try await store.credential(id: "c1").label == "renamed")
    }

    @Test func sqlLookingTextAndWildcardsAreStoredLiterally() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        try await store.createProvider(Sample.openAI())
        let nasty = "x'); DROP TABLE credentials; --"
        try await store.createCredential(Credential(
            id: "c_1", provider: "openai", label: nasty, secret: .apiKey(Secret("sk-%_abcdefghijklmnop")),
            models: ["gpt-%", "o_1", "*"], aliases: [ModelAlias(alias: "50%_off", model: "gpt-4o")]))
        try await store.createCredential(Sample.credential("c11"))
        try await store.putRoute(Route(name: "route%_'\"", targets: [RouteTarget(provider: "openai", model: "m%")]))
        let read = try await store.credential(id: "c_1")
        #expect(read.label == nasty)
        #expect(read.models == ["gpt-%", "o_1", "*"])
        #expect(read.aliases == [ModelAlias(alias: "50%_off", model: "gpt-4o")])
        #expect(read.secret == .apiKey(Secret("sk-%_abcdefghijklmnop")))
        // `_` and `%` are not wildcards in lookups: "c_1" does not match "c11" and vice versa.
        #expect(await storeError { () throws(StoreError) in _ = try await store.credential(id: "c%") } == .notFound(.credential, "c%"))
        #expect(try await store.credential(id: "c11").id == "c11")
        #expect(try await store.route(named: "route%_'\"").targets.first?.model == "m%")
        #expect(try await store.credentials().count == 2)
    }

    @Test func validationReportsEveryIssue() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let bad = Provider(name: "Bad Name", type: .openai, baseURL: "ftp://x", headers: ["bad header": "v"], models: [""])
        let error = await storeError { () throws(StoreError) in try await store.createProvider(bad) }
        guard case .invalid(let issues) = error else {
            Issue.record("expected invalid, got \(String(describing: error))")
            return
        }
        #expect(Set(issues.map(\.field)) == ["name", "base_url", "headers", "models[0]"])
        #expect(await storeError { () throws(StoreError) in
            try await store.putRoute(Route(name: "r", targets: [RouteTarget(provider: "ghost", model: "m")]))
        } == .invalid([ValidationIssue(field: "targets[0].provider", message: "unknown provider 'ghost'")]))
        #expect(store.snapshot.version == 1)
    }

    @Test func clientKeysStoreOnlyHashes() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let (record, key) = try await store.createClientKey(id: "k1", name: "ci", models: ["gpt-*"], now: t0)
        #expect(key.reveal().hasPrefix("sy-"))
        #expect(record.hint == key.hint)
        #expect(record.keyHash == KeyHash(of: key))
        #expect(store.snapshot.clientKey(presented: key.reveal())?.id == "k1")
        #expect(store.snapshot.clientKey(presented: key.reveal() + "x") == nil)
        let updated = try await store.updateClientKey(id: "k1") { $0.enabled = false }
        #expect(updated.enabled == false)
        #expect(store.snapshot.clientKey(presented: key.reveal())?.enabled == false)
        var duplicate = record
        duplicate.id = "k2"
        #expect(await storeError { () throws(StoreError) in try await store.putClientKey(duplicate) }
            == .conflict("the same key is already stored as client key 'k1'"))
        try await store.deleteClientKey(id: "k1")
        #expect(store.snapshot.clientKey(presented: key.reveal()) == nil)
    }

    @Test func adminTokenBootstrap() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let generated = try await store.bootstrapAdminToken(environmentToken: nil, now: t0)
        let token = try #require(generated)
        #expect(store.snapshot.isAdminToken(token.reveal()))
        #expect(try await store.bootstrapAdminToken(environmentToken: nil, now: t0) == nil)  // printed only once
        #expect(store.snapshot.isAdminToken(token.reveal()))
        #expect(try await store.bootstrapAdminToken(environmentToken: "an-operator-chosen-token", now: t0) == nil)
        #expect(store.snapshot.isAdminToken("an-operator-chosen-token"))
        #expect(!store.snapshot.isAdminToken(token.reveal()))
        #expect(await storeError { () throws(StoreError) in
            _ = try await store.bootstrapAdminToken(environmentToken: "short", now: t0)
        } != nil)
    }
}
