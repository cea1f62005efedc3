#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HTTPCore

/// `switchyard-mock`: parse, listen, print the address, serve until SIGTERM/SIGINT.
public enum MockCommand {
    /// Runs the mock; returns the process exit status (2 for usage errors).
    public static func run(_ arguments: [String]) async -> Int32 {
        let options: MockOptions
        switch MockOptions.parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error):
            for problem in error.problems { printError("switchyard-mock: \(problem)") }
            printError(MockOptions.usage)
            return 2
        }
        if options.help {
            writeLine(1, MockOptions.usage)
            return 0
        }
        signal(SIGPIPE, SIG_IGN)
        raiseOpenFileLimit()
        var configuration = MockUpstream.Configuration(listen: ListenAddress(host: options.host, port: options.port))
        configuration.maxRecords = options.maxRecords
        let mock = MockUpstream(configuration: configuration)
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(threads: options.threads)
            try await mock.start(on: group)
        } catch {
            printError("switchyard-mock: cannot listen on \(configuration.listen): \(error)")
            return 1
        }
        // Written straight to fd 1, unbuffered, so a parent reading a pipe sees it at once.
        writeLine(1, "listening on \(ListenAddress(host: options.host, port: mock.port))")
        _ = await MockSignals.wait()
        await mock.shutdown(drainTimeout: 1)
        group.shutdown()
        return 0
    }

    /// Thousands of concurrent benchmark streams need more descriptors than a default soft limit.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }

    static func printError(_ text: String) { writeLine(2, text) }

    static func writeLine(_ fd: Int32, _ text: String) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Waits for the first SIGTERM or SIGINT.
enum MockSignals {
    static func wait() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let queue = DispatchQueue(label: "switchyard-mock.signals")
            let once = SignalOnce(continuation)
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.fire(number) }
                source.resume()
                once.keep(source)
            }
        }
    }
}

/// Resumes the continuation once; keeps the signal sources alive. Touched on the signal queue only.
private final class SignalOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Int32, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    func keep(_ source: any DispatchSourceSignal) { sources.append(source) }

    func fire(_ number: Int32) {
        continuation?.resume(returning: number)
        continuation = nil
    }
}
