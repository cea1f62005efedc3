#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HTTPCore

/// `switchyard serve`: the gateway and admin listeners in one process, drained on SIGTERM/SIGINT.
struct ServeCommand {
    let options: ServeOptions

    func run() async -> Int32 {
        let log = Logger(level: options.logLevel)
        signal(SIGPIPE, SIG_IGN)
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(threads: options.threads)
        } catch {
            log.log(.error, "startup_failed", ["error": "\(error)"])
            return 1
        }
        let gateway = HTTPServer(configuration: options.serverConfiguration(options.listen), group: group,
                                 handler: GatewayRoutes.make().handler(renderingErrorsWith: GatewayRoutes.renderError))
        let admin = HTTPServer(configuration: options.serverConfiguration(options.adminListen), group: group,
                               handler: AdminRoutes.make().handler(renderingErrorsWith: AdminRoutes.renderError))
        do {
            try await gateway.start()
            try await admin.start()
        } catch {
            log.log(.error, "startup_failed", ["error": "\(error)"])
            await gateway.shutdown(drainTimeout: 0)
            group.shutdown()
            return 1
        }
        log.log(.info, "listening", ["gateway": "\(options.listen.host):\(gateway.port)",
                                     "admin": "\(options.adminListen.host):\(admin.port)"])
        let signalName = await ShutdownSignal.wait()
        log.log(.info, "shutdown_started", ["signal": signalName, "drain_timeout_seconds": options.drainTimeout])
        async let drainedGateway: Void = gateway.shutdown(drainTimeout: options.drainTimeout)
        async let drainedAdmin: Void = admin.shutdown(drainTimeout: options.drainTimeout)
        _ = await (drainedGateway, drainedAdmin)
        group.shutdown()
        log.log(.info, "shutdown_complete")
        return 0
    }
}

/// Waits for the first SIGTERM or SIGINT.
enum ShutdownSignal {
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "switchyard.signals")
            let fired = SignalOnce(continuation)
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { fired.fire(name) }
                source.resume()
                fired.keep(source)
            }
        }
    }
}

/// Resumes a continuation exactly once and keeps the signal sources alive.
private final class SignalOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<String, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<String, Never>) {
        self.continuation = continuation
    }

    func keep(_ source: any DispatchSourceSignal) { sources.append(source) }

    /// Called on the signal queue only.
    func fire(_ name: String) {
        continuation?.resume(returning: name)
        continuation = nil
    }
}
