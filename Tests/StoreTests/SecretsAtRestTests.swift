import Foundation
import Testing
@testable import Store

@Suite struct SecretsAtRestTests {
    static let canaries = [
        "sk-CANARYapikey0123456789", "CANARYaccess-token-abcdef", "CANARYrefresh-token-ghijkl",
        "CANARYheader-value-mnopqr",
    ]

    /// Bytes of the database and its WAL/SHM files.
    func rawFiles(_ dir: TempDirectory) -> [(String, Data)] {
        ["", "-wal", "-shm"].compactMap { suffix in
            let path = dir.databasePath + suffix
            return FileManager.default.contents(atPath: path).map { (path, $0) }
        }
    }

    @Test func rawDatabaseNeverContainsSecrets() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        var provider = Sample.openAI()
        provider.headers = ["x-gateway-auth": Self.canaries[3]]
        try await store.createProvider(provider)
        try await store.createCredential(Sample.credential("plain", key: Self.canaries[0]))
        try await store.createCredential(Credential(
            id: "oauth", provider: "openai",
            secret: .oauth(OAuthToken(accessToken: Secret(Self.canaries[1]), refreshToken: Secret(Self.canaries[2]),
                                      expiresAt: t0, tokenURL: "https://auth.example.com/token", clientID: "cli"))))
        let (_, clientKey) = try await store.createClientKey(name: "ci", now: t0)
        _ = try await store.bootstrapAdminToken(environmentToken: "admin-token-CANARY-0123456789", now: t0)

        let files = rawFiles(dir)
        #expect(files.count >= 2)  // the main file and the WAL (not yet checkpointed)
        let needles = Self.canaries + [clientKey.reveal(), "admin-token-CANARY-0123456789"]
        for (path, bytes) in files {
            for needle in needles {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(path) contains a secret in clear text")
            }
        }
        // The secrets are still there for the router once decrypted.
        let snapshot = store.snapshot
        #expect(snapshot.credentialsByID["plain"]?.secret == .apiKey(Secret(Self.canaries[0])))
        #expect(snapshot.providersByName["openai"]?.headers["x-gateway-auth"] == Self.canaries[3])
        #expect(snapshot.clientKey(presented: clientKey.reveal()) != nil)
        #expect(snapshot.isAdminToken("admin-token-CANARY-0123456789"))
        #expect(!snapshot.isAdminToken("admin-token-CANARY-0123456788"))

        // And still nothing in clear after a checkpoint folds the WAL into the main file.
        try await store.writer.run { db throws(StoreError) in try db.executeScript("PRAGMA wal_checkpoint(TRUNCATE)") }
        for (path, bytes) in rawFiles(dir) {
            for needle in needles { #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(path) after checkpoint") }
        }
    }

    @Test func openingWithTheWrongKeyFails() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            try await store.createProvider(Sample.openAI())
            try await store.createCredential(Sample.credential("c1"))
            store.close()
        }
        let error = await storeError { () throws(StoreError) in _ = try await openStore(dir, key: otherKey) }
        guard case .decryption(let message) = error else {
            Issue.record("expected a decryption error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("c1"))
        #expect(message.contains(testKey.idHex))
    }

    @Test func tamperedCiphertextInTheDatabaseIsDetected() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            try await store.createProvider(Sample.openAI())
            try await store.createCredential(Sample.credential("c1"))
            try await store.writer.run { db throws(StoreError) in
                var sealed = try db.query("SELECT secret_sealed FROM credentials WHERE id = 'c1'")[0].blob(0)
                sealed[sealed.count / 2] ^= 0x20
                try db.execute("UPDATE credentials SET secret_sealed = ? WHERE id = 'c1'", [.blob(sealed)])
            }
            store.close()
        }
        let error = await storeError { () throws(StoreError) in _ = try await openStore(dir) }
        guard case .decryption = error else {
            Issue.record("expected a decryption error, got \(String(describing: error))")
            return
        }
    }

    @Test func swappedCiphertextsBetweenRowsAreRejected() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            try await store.createProvider(Sample.openAI())
            try await store.createCredential(Sample.credential("a", key: "sk-aaaaaaaaaaaaaaaaaaaa"))
            try await store.createCredential(Sample.credential("b", key: "sk-bbbbbbbbbbbbbbbbbbbb"))
            try await store.writer.run { db throws(StoreError) in
                try db.execute("UPDATE credentials SET secret_sealed = (SELECT secret_sealed FROM credentials WHERE id = 'b') WHERE id = 'a'")
            }
            store.close()
        }
        let error = await storeError { () throws(StoreError) in _ = try await openStore(dir) }
        guard case .decryption = error else {
            Issue.record("expected a decryption error, got \(String(describing: error))")
            return
        }
    }

    @Test func masterKeyRotation() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir, key: otherKey)
            var provider = Sample.openAI()
            provider.headers = ["x-h": "v"]
            try await store.createProvider(provider)
            try await store.createCredential(Sample.credential("c1"))
            store.close()
        }
        do {
            let store = try await openStore(dir, key: testKey, previous: [otherKey])
            #expect(try await store.resealSecrets() == 2)
            #expect(try await store.resealSecrets() == 0)
            store.close()
        }
        let store = try await openStore(dir, key: testKey)  // the old key is no longer needed
        #expect(store.snapshot.credentials == [Sample.credential("c1")])
        #expect(store.snapshot.providers.first?.headers == ["x-h": "v"])
    }
}
