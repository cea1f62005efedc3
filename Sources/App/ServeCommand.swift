#if canImport(Glibc)
import Glibc
#endif
import Admin
import Dispatch
import Foundation
import HTTPCore
import JSON
import Logging
import Router
import Store
import Synchronization
import UpstreamHTTP

/// `switchyard serve`: the gateway and admin listeners in one process, drained on SIGTERM/SIGINT.
struct ServeCommand {
    let options: ServeOptions
    let environment: [String: String]

    func run() async -> Int32 {
        let log = Logger(level: options.logLevel)
        signal(SIGPIPE, SIG_IGN)
        let shutdownSignal = ShutdownSignal.listen()  // before the ports open: a SIGTERM right after is never lost
        do {
            return try await serve(log, until: shutdownSignal)
        } catch {
            log.log(.error, "startup_failed", ["error": .string("\(error)")])
            return 1
        }
    }

    private func serve(_ log: Logger, until shutdownSignal: ShutdownSignal) async throws -> Int32 {
        let store = try await openStore(log)
        defer { store.close() }
        let persister = RuntimePersister(store: store)
        let registry = RoutingRegistry(onChange: { persister.signal() })
        try await persister.restore(into: registry)
        let persisting = Task { await persister.run(registry: registry) }
        let group = try EventLoopGroup(threads: options.threads)
        defer { group.shutdown() }
        // Upstream calls run on the loop that serves the request: no thread hand-off per request.
        let client = try UpstreamClient(loops: group)
        let refresher = OAuthRefresher(store: store, client: client, log: log)
        let refreshing = Task { await refresher.run() }
        defer { refreshing.cancel() }
        let usage = UsageWriter(store: store, retention: options.usageRetentionDays > 0 ? .seconds(options.usageRetentionDays * 86_400) : nil)
        let writingUsage = Task { await usage.run() }
        let reclaiming = Task { await HeapReclaimer().run() }
        defer { reclaiming.cancel() }
        let metrics = Metrics()
        let gatewayAPI = Gateway(store: store, registry: registry, client: client, refresher: refresher,
                                 observer: RequestObserver(logger: log, usage: usage, metrics: metrics))
        // The servers exist only after the admin API is built; the gauges read them at scrape time.
        let servers = ServerGauges()
        let runtime = RouterRuntime(registry: registry, metrics: metrics, usage: usage, refresher: refresher, persister: persister,
                                    gauges: { servers.sample() })
        let adminAPI = AdminAPI(store: store, runtime: runtime)
        adminAPI.hooks.onCredentialReset { id in registry.reset(credentialID: id) }
        adminAPI.hooks.setHealthSource { registry.snapshot.exportHealth(now: registry.clock.now()) }
        if let configPath = options.configPath {
            try await adminAPI.applyConfigFile(configPath)
            log.log(.info, "config_file_applied", ["path": .string(configPath)])
        }

        let gateway = HTTPServer(configuration: options.serverConfiguration(options.listen), group: group,
                                 handler: gatewayAPI.routes().handler(renderingErrorsWith: gatewayAPI.renderError),
                                 errorRenderer: gatewayAPI.renderError, onRefusal: Self.refusalObserver("gateway", log, metrics))
        let admin = HTTPServer(configuration: options.serverConfiguration(options.adminListen), group: group,
                               handler: adminAPI.routes().handler(renderingErrorsWith: adminAPI.renderError),
                               onRefusal: Self.refusalObserver("admin", log, metrics))
        servers.attach(gateway: gateway, admin: admin)
        do {
            try await gateway.start()
            try await admin.start()
        } catch {
            await gateway.shutdown(drainTimeout: 0)
            throw error
        }
        log.log(.info, "listening", ["gateway": .string("\(options.listen.host):\(gateway.port)"),
                                     "admin": .string("\(options.adminListen.host):\(admin.port)")])

        let signalName = await shutdownSignal.wait()
        log.log(.info, "shutdown_started", ["signal": .string(signalName), "drain_timeout_seconds": .number(JSONNumber(options.drainTimeout))])
        async let drainedGateway: Void = gateway.shutdown(drainTimeout: options.drainTimeout)
        async let drainedAdmin: Void = admin.shutdown(drainTimeout: options.drainTimeout)
        _ = await (drainedGateway, drainedAdmin)
        persister.finish()
        await persisting.value
        writingUsage.cancel()
        await writingUsage.value
        log.log(.info, "shutdown_complete")
        return 0
    }

    /// Counts and logs each request a listener answers itself (they have no usage record: no
    /// client key or model is known of them).
    private static func refusalObserver(_ listener: String, _ log: Logger, _ metrics: Metrics) -> @Sendable (HTTPRefusal) -> Void {
        { refusal in
            metrics.recordRefusal(listener: listener, status: refusal.status)
            guard log.enabled(.info) else { return }
            var fields: [(String, JSONValue)] = [("listener", .string(listener)), ("status", .number(JSONNumber(refusal.status))),
                                                 ("reason", .string(refusal.reason))]
            for (key, value) in [("request_id", refusal.requestID), ("method", refusal.method), ("path", refusal.path),
                                 ("remote_address", refusal.remoteAddress)] {
                if let value { fields.append((key, .string(value))) }
            }
            log.log(.info, "request_refused", fields: fields)
        }
    }

    /// Opens (creating and migrating) the database; a first start prints the generated admin token once.
    private func openStore(_ log: Logger) async throws -> Store {
        let store = try await Store.open(path: options.databasePath, environment: environment, now: Date())
        if let generated = try await store.bootstrapAdminToken(environmentToken: environment["SWITCHYARD_ADMIN_TOKEN"], now: Date()) {
            // Shown once; only its hash is stored.
            SwitchyardCommand.printError("switchyard: generated admin token (shown once, store it now): \(generated.reveal())")
        }
        log.log(.info, "database_ready", ["path": .string(options.databasePath),
                                          "migrations_applied": .array(store.migrationsApplied.map { .string($0) })])
        return store
    }
}

/// `switchyard_open_connections{listener}` for the admin `/metrics`, read from the listeners
/// once they exist.
private final class ServerGauges: Sendable {
    private let servers = Mutex<(gateway: HTTPServer, admin: HTTPServer)?>(nil)

    func attach(gateway: HTTPServer, admin: HTTPServer) { servers.withLock { $0 = (gateway, admin) } }

    func sample() -> [Gauge] {
        guard let (gateway, admin) = servers.withLock({ $0 }) else { return [] }
        return [Gauge(name: "switchyard_open_connections", help: "Open client connections per listener.", labels: ["listener"],
                      values: [["gateway"]: Double(gateway.openConnections), ["admin"]: Double(admin.openConnections)])]
    }
}
