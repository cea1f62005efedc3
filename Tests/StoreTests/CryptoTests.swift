import Foundation
import Glibc
import Testing
@testable import Store

@Suite struct CryptoTests {
    let keyring = Keyring(current: testKey)

    @Test func sealOpenRoundTrip() throws {
        for text in ["", "a", "sk-ant-api03-" + String(repeating: "x", count: 100), "ünïcødé 🔑"] {
            let sealed = try SecretBox.seal(Array(text.utf8), context: "ctx", keyring: keyring)
            #expect(sealed.count == 1 + 8 + 12 + text.utf8.count + 16)
            let opened = try SecretBox.open(sealed, context: "ctx", keyring: keyring)
            #expect(String(decoding: opened, as: UTF8.self) == text)
        }
    }

    @Test func everySealUsesAFreshNonce() throws {
        let a = try SecretBox.seal(Array("same".utf8), context: "c", keyring: keyring)
        let b = try SecretBox.seal(Array("same".utf8), context: "c", keyring: keyring)
        #expect(a != b)
        #expect(a[9..<21] != b[9..<21])
    }

    @Test func wrongKeyFails() throws {
        let sealed = try SecretBox.seal(Array("secret".utf8), context: "c", keyring: keyring)
        #expect(throws: StoreError.self) { try SecretBox.open(sealed, context: "c", keyring: Keyring(current: otherKey)) }
        // Same key id forged onto another key's ciphertext still fails on the tag.
        var forged = try SecretBox.seal(Array("secret".utf8), context: "c", keyring: Keyring(current: otherKey))
        forged.replaceSubrange(1..<9, with: testKey.id)
        #expect(throws: StoreError.self) { try SecretBox.open(forged, context: "c", keyring: keyring) }
    }

    @Test func tamperingAnyByteIsDetected() throws {
        let sealed = try SecretBox.seal(Array("sk-tamper-me-please".utf8), context: "c", keyring: keyring)
        for index in sealed.indices {
            var copy = sealed
            copy[index] ^= 0x01
            #expect(throws: StoreError.self) { try SecretBox.open(copy, context: "c", keyring: keyring) }
        }
        #expect(throws: StoreError.self) { try SecretBox.open(Array(sealed.dropLast()), context: "c", keyring: keyring) }
        #expect(throws: StoreError.self) { try SecretBox.open(sealed, context: "other row", keyring: keyring) }
    }

    @Test func previousKeysStillOpen() throws {
        let sealed = try SecretBox.seal(Array("old".utf8), context: "c", keyring: Keyring(current: otherKey))
        let rotated = Keyring(current: testKey, previous: [otherKey])
        #expect(try SecretBox.open(sealed, context: "c", keyring: rotated) == Array("old".utf8))
    }

    @Test func masterKeyFromEnvironment() throws {
        let good = Data(repeating: 1, count: 32).base64EncodedString()
        let keyring = try Keyring.load(environment: ["SWITCHYARD_MASTER_KEY": good + "\n"], databasePath: "/nonexistent/x.db")
        #expect(keyring.current.bytes == Array(repeating: 1, count: 32))
        for bad in ["", "not base64!!", Data(repeating: 1, count: 31).base64EncodedString(),
                    Data(repeating: 1, count: 33).base64EncodedString()] {
            #expect(throws: StoreError.self) {
                try Keyring.load(environment: ["SWITCHYARD_MASTER_KEY": bad], databasePath: "/nonexistent/x.db")
            }
        }
        #expect(!String(describing: keyring.current).contains(good))
    }

    @Test func keyFileIsCreatedWithMode0600AndReused() throws {
        let dir = TempDirectory()
        let first = try Keyring.load(environment: [:], databasePath: dir.databasePath)
        let path = Keyring.keyFilePath(forDatabase: dir.databasePath)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 32)
        let second = try Keyring.load(environment: [:], databasePath: dir.databasePath)
        #expect(first.current.id == second.current.id)
    }

    @Test func keyFileWithWrongSizeOrModeIsRefused() throws {
        let dir = TempDirectory()
        let path = Keyring.keyFilePath(forDatabase: dir.databasePath)
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 31),
                                       attributes: [.posixPermissions: 0o600])
        #expect(throws: StoreError.self) { try Keyring.load(environment: [:], databasePath: dir.databasePath) }
        try Data(repeating: 1, count: 32).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
        #expect(throws: StoreError.self) { try Keyring.load(environment: [:], databasePath: dir.databasePath) }
        chmod(path, 0o600)
        #expect(try Keyring.load(environment: [:], databasePath: dir.databasePath).current.bytes == Array(repeating: 1, count: 32))
    }

    @Test func hintsMaskSecrets() {
        #expect(SecretHint.mask("sk-proj-abcdefghijklmnop9f2c") == "sk-proj-…9f2c")
        #expect(SecretHint.mask("sk-abcdefghijklmnop9f2c") == "sk-…9f2c")
        #expect(SecretHint.mask("sk-ant-api03-abcdefghijkl9f2c") == "sk-ant-…9f2c")
        #expect(SecretHint.mask("AIzaSyabcdefghijklmn1234") == "AIza…1234")
        #expect(SecretHint.mask("sy-abcdefghijklmnopqrstuvwxyz") == "sy-…wxyz")
        #expect(SecretHint.mask("plainsecretvalue1234") == "…1234")
        #expect(SecretHint.mask("short") == "…")
        #expect(SecretHint.mask("sk-12345678") == "…")
        #expect(SecretHint.mask("sk-12345678abc") == "…")  // fewer than eight characters would stay hidden
    }

    @Test func secretNeverPrintsItsValue() {
        let secret = Secret("sk-live-CANARY-0123456789")
        for rendered in ["\(secret)", String(describing: secret), String(reflecting: secret),
                         "\(CredentialSecret.apiKey(secret))", "\(Sample.credential("c", key: secret.reveal()))"] {
            #expect(!rendered.contains("CANARY"), "leaked in \(rendered)")
        }
        var dumped = ""
        dump(Sample.credential("c", key: secret.reveal()), to: &dumped)
        #expect(!dumped.contains("CANARY"))
        #expect(secret == Secret("sk-live-CANARY-0123456789"))
        #expect(secret != Secret("sk-live-CANARY-0123456780"))
    }

    @Test func hashingAndConstantTimeComparison() {
        #expect(Digest.hex(Digest.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.hex(Digest.sha256(String(repeating: "a", count: 1000))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(Digest.hex([0x00, 0xff, 0x0a], prefix: "h:") == "h:00ff0a")
        #expect(Digest.hex([UInt8]()) == "")
        let hash = KeyHash(of: "sy-abc")
        #expect(hash.matches("sy-abc"))
        #expect(!hash.matches("sy-abd"))
        #expect(KeyHash(hex: hash.hex) == hash)
        #expect(KeyHash(hex: "zz") == nil)
        #expect(Digest.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Digest.constantTimeEquals([1, 2, 3], [1, 2]))
    }

    @Test func randomKeysHaveTheDocumentedShape() {
        let key = RandomKey.clientKey().reveal()
        #expect(key.hasPrefix("sy-"))
        #expect(key.count == 46)
        #expect(key.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(RandomKey.clientKey() != RandomKey.clientKey())
        #expect(RandomKey.identifier(prefix: "cred").hasPrefix("cred_"))
    }
}
