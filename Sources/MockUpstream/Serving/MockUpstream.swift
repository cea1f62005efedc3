import Foundation
import HTTPCore
import Synchronization

/// A fake OpenAI, Anthropic and Gemini upstream on one port, with scriptable faults and a
/// log of what it received (`switchyard-mock`, and in-process for tests).
///
/// Endpoints: OpenAI `POST /v1/chat/completions`, `GET /v1/models`; Anthropic `POST /v1/messages`,
/// `POST /v1/messages/count_tokens`, `GET /v1/models` (when `anthropic-version` or `x-api-key` is
/// sent); Gemini `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent`
/// (`?alt=sse` for SSE, else a streamed JSON array), `:countTokens`, `GET /v1beta/models`;
/// `GET /healthz`; control under `/_mock` (see `ControlAPI`). Any non-empty key is accepted,
/// except keys starting with `invalid` (401); a missing key is a 401 in the API's format.
/// Faults: see `FaultSpec`.
public final class MockUpstream: Sendable {
    /// Where to listen and how much to remember.
    public struct Configuration: Sendable {
        public var listen: ListenAddress
        /// Requests kept for `GET /_mock/requests` (the oldest are dropped past it).
        public var maxRecords: Int = 100_000
        /// Unix seconds for `created` fields.
        public var now: @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }

        public init(listen: ListenAddress) {
            self.listen = listen
        }
    }

    public let configuration: Configuration
    let faults = FaultBook()
    let log: RequestLog
    private let sequence = Atomic<Int>(0)
    private let server: Mutex<HTTPServer?> = Mutex(nil)

    public init(configuration: Configuration) {
        self.configuration = configuration
        log = RequestLog(capacity: configuration.maxRecords)
    }

    /// Binds and starts serving on `group`'s loops.
    public func start(on group: EventLoopGroup) async throws {
        var serverConfiguration = ServerConfiguration(listen: configuration.listen)
        serverConfiguration.idleTimeout = 300
        serverConfiguration.writeTimeout = 120
        serverConfiguration.maxConnections = 50_000
        let routes = MockRoutes.make(self)
        let server = HTTPServer(configuration: serverConfiguration, group: group,
                                handler: routes.handler(renderingErrorsWith: MockRoutes.renderError))
        try await server.start()
        self.server.withLock { $0 = server }
    }

    /// The bound port (0 before `start`).
    public var port: UInt16 { server.withLock { $0?.port ?? 0 } }

    /// Client connections currently open (to check that faults leave nothing behind).
    public var openConnections: Int { server.withLock { $0?.openConnections ?? 0 } }

    /// Stops accepting and closes connections after at most `drainTimeout` seconds.
    public func shutdown(drainTimeout: Double = 1) async {
        guard let server = server.withLock({ $0 }) else { return }
        await server.shutdown(drainTimeout: drainTimeout)
    }

    func nextSequence() -> Int { sequence.add(1, ordering: .relaxed).newValue }

    /// Clears faults and the request log and restarts ids at 1.
    func reset() {
        faults.clear()
        log.clear()
        sequence.store(0, ordering: .relaxed)
    }
}
