import Synchronization

/// What every connection of one server shares: configuration, handler, counters, drain state.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    /// Renders the server's own errors in the application's format (nil: the server's format).
    let errorRenderer: HTTPRoutes.ErrorRenderer?
    /// Told of every request the server answers itself (see `HTTPRefusal`).
    let onRefusal: (@Sendable (HTTPRefusal) -> Void)?
    let requestIDs = RequestIDGenerator()
    private let connections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let loopCursor = Atomic<Int>(0)
    /// Per-loop connection sets, each touched only on its loop's thread.
    nonisolated(unsafe) var registries: [ConnectionRegistry] = []

    init(configuration: ServerConfiguration, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse,
         errorRenderer: HTTPRoutes.ErrorRenderer?, onRefusal: (@Sendable (HTTPRefusal) -> Void)?) {
        self.configuration = configuration
        self.handler = handler
        self.errorRenderer = errorRenderer
        self.onRefusal = onRefusal
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }
    var openConnections: Int { connections.load(ordering: .relaxed) }

    /// The loop the next accepted connection goes to (round-robin).
    func nextLoopIndex(of count: Int) -> Int {
        loopCursor.add(1, ordering: .relaxed).oldValue % count
    }

    func beginDrain() { draining.store(true, ordering: .sequentiallyConsistent) }

    /// Reserves a connection slot; false when the server is at its connection limit.
    func acquireSlot() -> Bool {
        var current = connections.load(ordering: .relaxed)
        while current < configuration.maxConnections {
            let (exchanged, original) = connections.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func releaseSlot() { connections.subtract(1, ordering: .relaxed) }

    func connectionClosed(_ connection: Connection) {
        registries[connection.loop.index].remove(connection)
        releaseSlot()
    }
}

/// The open connections of one server on one loop, swept for deadlines on every tick.
final class ConnectionRegistry: @unchecked Sendable {
    private var connections: [ObjectIdentifier: Connection] = [:]

    func add(_ connection: Connection) { connections[ObjectIdentifier(connection)] = connection }
    func remove(_ connection: Connection) { connections[ObjectIdentifier(connection)] = nil }

    func sweep(now: UInt64) {
        for connection in Array(connections.values) { connection.checkDeadline(now: now) }
    }

    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }

    /// Ends what is still being handled at the drain deadline: streams end with the
    /// application's own last words; requests not yet answered get a 503.
    func endAtDrainDeadline() {
        for connection in Array(connections.values) { connection.endAtDrainDeadline() }
    }
}
