#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// A `switchyard serve` process on random ports with a temporary database.
final class ServeProcess {
    let process = Process()
    let gateway: UInt16
    let admin: UInt16
    let directory: URL

    /// The built `switchyard` binary: `SWITCHYARD_BINARY`, beside the test bundle, or in the
    /// repository's build directories; nil when none exists.
    static var binary: URL? {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["SWITCHYARD_BINARY"] { candidates.append(URL(fileURLWithPath: path)) }
        let bundle = Bundle.main.bundleURL
        candidates += [bundle.appendingPathComponent("switchyard"),
                       bundle.deletingLastPathComponent().appendingPathComponent("switchyard")]
        for build in [".build", ".build-admin"] {
            candidates.append(RepositoryFiles.url("\(build)/debug/switchyard"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    init(token: String) async throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        gateway = UInt16.random(in: 20000..<40000)
        admin = gateway + 1
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("adminproc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process.executableURL = binary
        process.arguments = ["serve", "--listen", "127.0.0.1:\(gateway)", "--admin-listen", "127.0.0.1:\(admin)"]
        process.environment = ["SWITCHYARD_DB": directory.appendingPathComponent("switchyard.db").path,
                               "SWITCHYARD_ADMIN_TOKEN": token, "PATH": "/usr/bin:/bin"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for port in [gateway, admin] {
            var up = false
            for _ in 0..<400 where !up {
                up = rawGet(port: port, path: "/healthz")?.status == 200
                if !up { try await Task.sleep(for: .milliseconds(25)) }
            }
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
