import Foundation
import Glibc
import Testing
@testable import Store

/// Kills a writing process with SIGKILL mid-loop, then checks the database is intact and every
/// acknowledged write survived. The child is this same test binary running `crashChildWriter`.
@Suite struct CrashTests {
    static let childDatabaseVariable = "STORE_TEST_CRASH_CHILD_DB"

    /// In the child: write credentials in a loop, printing `ack N` after each returns. A no-op
    /// in a normal test run.
    @Test func crashChildWriter() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childDatabaseVariable] else { return }
        let store = try await Store.open(path: path, environment: ProcessInfo.processInfo.environment, now: t0)
        try await store.createProvider(Sample.openAI())
        for i in 0..<100_000 {
            if i.isMultiple(of: 10) {
                try await store.updateSettings { $0.stickyLimit = i + 1 }
            } else {
                try await store.putCredential(Sample.credential("cred-\(i)", label: "write \(i)"))
            }
            let line = Array("ack \(i)\n".utf8)
            _ = line.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
        }
    }

    @Test func sigkillDuringWritesLosesNoAcknowledgedWrite() async throws {
        let dir = TempDirectory()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--testing-library", "swift-testing", "--filter", "crashChildWriter"]
        let masterKey = Data(testKey.bytes).base64EncodedString()
        process.environment = ProcessInfo.processInfo.environment.merging(
            [Self.childDatabaseVariable: dir.databasePath, "SWITCHYARD_MASTER_KEY": masterKey]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()

        var output = ""
        var acknowledged: [Int] = []
        let deadline = Date().addingTimeInterval(60)
        var killed = false
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // EOF
            output += String(decoding: chunk, as: UTF8.self)
            acknowledged = output.split(separator: "\n").compactMap { line in
                line.hasPrefix("ack ") ? Int(line.dropFirst(4)) : nil
            }
            if !killed, acknowledged.count >= 150 {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        #expect(killed, "the child never got going: \(output.suffix(500))")
        #expect(process.terminationReason == .uncaughtSignal)
        // Only complete lines count as acknowledged (the last one may have been cut).
        if !output.hasSuffix("\n"), !acknowledged.isEmpty { acknowledged.removeLast() }

        let store = try await Store.open(path: dir.databasePath, keyring: Keyring(current: testKey), now: t0)
        #expect(try await store.integrityCheck())
        let ids = Set(store.snapshot.credentials.map(\.id))
        let lastSetting = acknowledged.filter { $0.isMultiple(of: 10) }.max()
        for i in acknowledged where !i.isMultiple(of: 10) {
            #expect(ids.contains("cred-\(i)"), "acknowledged write \(i) was lost")
        }
        if let lastSetting { #expect(store.snapshot.settings.stickyLimit >= lastSetting + 1) }
        #expect(store.snapshot.credentials.allSatisfy { $0.label == "write " + $0.id.dropFirst(5) })
    }
}
