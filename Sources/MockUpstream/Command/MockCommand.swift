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
        let shutdownSignal = ShutdownSignal.listen()  // before the address is announced
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
        _ = await shutdownSignal.wait()
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
