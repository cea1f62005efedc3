#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A built executable of this package run as a child process, its output collected as it comes.
final class ChildProcess: @unchecked Sendable {
    /// Output gathered so far (shared with the pipe's reader).
    private final class Output: Sendable {
        let text = Mutex<String>("")
    }

    private let process: Process
    private let output = Output()

    /// An executable built beside the test bundle (`switchyard`, `switchyard-mock`).
    static func binary(_ name: String) -> URL {
        let directory = Bundle.main.bundleURL
        let beside = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return directory.deletingLastPathComponent().appendingPathComponent(name)
    }

    init(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws {
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

    var pid: Int32 { process.processIdentifier }
    var text: String { output.text.withLock { $0 } }
    var isRunning: Bool { process.isRunning }

    /// The first match of `pattern`'s capture group in the output, waiting up to `seconds`.
    func await(_ pattern: String, seconds: Double = 20) async throws -> String {
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
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

enum ChildProcessError: Error, CustomStringConvertible {
    case noMatch(String, String)

    var description: String {
        switch self {
        case .noMatch(let pattern, let output): "no match for \(pattern) in output:\n\(output.suffix(2000))"
        }
    }
}

/// Runs `count` blocking calls on their own threads at once (the cooperative pool has only a
/// thread per core, so blocking socket clients there would run two at a time), in index order.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
    await withCheckedContinuation { (continuation: CheckedContinuation<[T], Never>) in
        let results = Mutex<[Int: T]>([:])
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                let value = body(index)
                results.withLock { $0[index] = value }
                group.leave()
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
        group.notify(queue: .global()) {
            let all = results.withLock { table in (0..<count).compactMap { table[$0] } }
            continuation.resume(returning: all)
        }
    }
}
