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
        process.waitUntilExit()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(text.contains("--max-connections"))
        #expect(text.contains("unknown option '--nope'"))
    }

    @Test func servesHealthOnBothPortsAndExitsZeroOnSigterm() async throws {
        let gateway = Int.random(in: 20000..<40000), admin = gateway + 1
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:\(gateway)", "--admin-listen", "127.0.0.1:\(admin)"]
        process.environment = ["SWITCHYARD_DB": NSTemporaryDirectory() + "sy-\(gateway).db"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        for port in [gateway, admin] {
            var body = ""
            for _ in 0..<200 where body.isEmpty {
                body = rawGet(port: UInt16(port), path: "/healthz")?.body ?? ""
                if body.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(body == #"{"status":"ok"}"#)
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
