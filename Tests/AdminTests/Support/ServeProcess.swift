#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// A `switchyard serve` process on kernel-chosen ports with a temporary database.
final class ServeProcess {
    let child: ChildProcess
    let gateway: UInt16
    let admin: UInt16
    let directory: URL

    /// Whether the `switchyard` binary the child process runs has been built.
    static var binaryExists: Bool {
        FileManager.default.isExecutableFile(atPath: ChildProcess.binary("switchyard").path)
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
