#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// A `switchyard serve` process on random ports with a temporary database.
final class ServeProcess {
    let child: ChildProcess
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

    /// Starts on ports the kernel picks (random fixed ports collided with parallel tests).
    init(token: String) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("adminproc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        (child, gateway, admin) = try await ChildProcess.serve(
            [], environment: ["SWITCHYARD_DB": directory.appendingPathComponent("switchyard.db").path, "SWITCHYARD_ADMIN_TOKEN": token])
    }

    func stop() {
        child.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
