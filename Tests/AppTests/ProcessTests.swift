#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing

/// Runs the built `switchyard` binary as users do.
@Suite(.serialized) struct ServeProcessTests {
    /// The `switchyard` executable built beside the test bundle.
    static var binary: URL {
        let directory = Bundle.main.bundleURL
        let beside = directory.appendingPathComponent("switchyard")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return directory.deletingLastPathComponent().appendingPathComponent("switchyard")
    }

    @Test func invalidFlagsExitWith2BeforeListening() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:1", "--max-connections", "zero", "--nope"]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        process.waitForExit()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(text.contains("--max-connections"))
        #expect(text.contains("unknown option '--nope'"))
    }

    @Test func servesHealthOnBothPortsAndExitsZeroOnSigterm() async throws {
        let database = NSTemporaryDirectory() + "sy-\(UUID().uuidString).db"
        defer { for suffix in ["", ".key", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let (process, gateway, admin) = try await ChildProcess.serve([], environment: ["SWITCHYARD_DB": database])
        for port in [gateway, admin] {
            #expect(rawGet(port: port, path: "/healthz")?.body == #"{"status":"ok"}"#)
        }
        #expect(process.stop(SIGTERM) == 0)
    }

    /// A SIGTERM sent the moment the ports are announced is handled (signals are caught before
    /// the ports open; one sent into the window before the signal source was armed used to be
    /// ignored for good, and the process never exited).
    @Test func aSigtermRightAfterTheAnnouncementStopsItCleanly() async throws {
        for _ in 0..<3 {
            let database = NSTemporaryDirectory() + "sy-\(UUID().uuidString).db"
            defer { for suffix in ["", ".key", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
            let (process, _, _) = try await ChildProcess.serve([], environment: ["SWITCHYARD_DB": database])
            #expect(process.stop(SIGTERM) == 0)
        }
    }
}
