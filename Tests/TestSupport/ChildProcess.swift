#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A built executable of this package run as a child process, its output collected as it comes.
public final class ChildProcess: @unchecked Sendable {
    /// Output gathered so far (shared with the pipe's reader).
    private final class Output: Sendable {
        let text = Mutex<String>("")
    }

    private let process: Process
    private let output = Output()

    /// An executable built beside the test bundle (`switchyard`, `switchyard-mock`).
    public static func binary(_ name: String) -> URL {
        let directory = Bundle.main.bundleURL
        let beside = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return directory.deletingLastPathComponent().appendingPathComponent(name)
    }

    public init(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = Self.binary(name)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var text: String { output.text.withLock { $0 } }
    public var isRunning: Bool { process.isRunning }

    /// The first match of `pattern`'s capture group in the output, waiting up to `seconds`.
    public func await(_ pattern: String, seconds: Double = 20) async throws -> String {
        let regex = try Regex(pattern)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let match = text.firstMatch(of: regex), match.count > 1, let captured = match[1].substring {
                return String(captured)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ChildProcessError.noMatch(pattern, text)
    }

    /// Sends `signal` and waits for the exit status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitForExit()
        return process.terminationStatus
    }
}

public enum ChildProcessError: Error, CustomStringConvertible {
    case noMatch(String, String)

    public var description: String {
        switch self {
        case .noMatch(let pattern, let output): "no match for \(pattern) in output:\n\(output.suffix(2000))"
        }
    }
}

extension ChildProcess {
    /// `switchyard serve` on ports chosen by the kernel (no collisions between parallel tests),
    /// with the two ports read from its `listening` log line.
    public static func serve(_ arguments: [String], environment: [String: String] = [:]) async throws -> (ChildProcess, gateway: UInt16, admin: UInt16) {
        let process = try ChildProcess("switchyard", ["serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"] + arguments,
                                       environment: environment)
        let gateway = UInt16(try await process.await(#""gateway":"127\.0\.0\.1:(\d+)""#))!
        let admin = UInt16(try await process.await(#""admin":"127\.0\.0\.1:(\d+)""#))!
        return (process, gateway, admin)
    }
}

extension Process {
    /// Waits at most `seconds` for the process to exit, then kills it: a child that ignores its
    /// signal fails the test instead of hanging the whole suite (`waitUntilExit` alone would
    /// block a thread of the shared cooperative pool for good).
    public func waitForExit(seconds: Double = 15) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
