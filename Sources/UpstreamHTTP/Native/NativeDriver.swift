import CSystem
import Reactor

/// The native HTTP/1.1 transport of one event loop: plain-http exchanges to literal addresses
/// on non-blocking sockets in the loop's epoll set, with a keep-alive pool. No libcurl.
///
/// Confined to `loop` (hence `@unchecked Sendable`): other threads only call the
/// `TransferDriver` methods, which hop. Socket events arrive through `NativeConnection`.
final class NativeDriver: @unchecked Sendable {
    /// What a caller asks of the driver, applied on the loop thread.
    private enum Command: Sendable {
        case start(Transfer, UpstreamRequest, NativeTarget)
        case abort(Transfer)
        case unpause(Transfer)
    }

    /// Reads per readiness event before yielding the loop to other sockets and tasks.
    static let maxReadsPerTurn = 16

    let loop: EventLoop
    private var pool: ConnectionPool
    private var exchanges: [ObjectIdentifier: NativeExchange] = [:]
    private var deadlineObserver: UInt64?
    /// Set (under the lock) once shut down: later commands fail fast.
    private let closed = Locked(false)
    /// Loop-side twin of `closed`, for commands queued before the shutdown.
    private var shutDownDone = false

    init(loop: EventLoop, maxIdleConnections: Int) {
        self.loop = loop
        self.pool = ConnectionPool(capacity: maxIdleConnections)
    }

    // MARK: commands (any thread)

    @discardableResult
    private func submit(_ command: Command) -> Bool {
        if loop.inLoop {
            apply(command)
            return true
        }
        return closed.withLock { closed in
            guard !closed else { return false }
            return loop.execute { self.apply(command) }
        }
    }

    private func apply(_ command: Command) {
        if shutDownDone {
            if case .start(let transfer, _, _) = command { transfer.finished(.shutdown) }
            return
        }
        switch command {
        case .start(let transfer, let request, let target):
            guard !transfer.isEnded else { return }  // cancelled before it began
            let exchange = NativeExchange(transfer: transfer, request: request, target: target, now: Monotonic.now())
            exchanges[ObjectIdentifier(transfer)] = exchange
            if deadlineObserver == nil {
                deadlineObserver = loop.addTickObserver { [unowned self] in expireDeadlines(at: Monotonic.now()) }
            }
            acquire(exchange, pooled: true)
        case .abort(let transfer):
            if let exchange = exchanges[ObjectIdentifier(transfer)] { fail(exchange, .cancelled) }
        case .unpause(let transfer):
            guard let exchange = exchanges[ObjectIdentifier(transfer)] else { return }
            transfer.unpausing()
            exchange.deadlines.resumed(at: Monotonic.now())
            exchange.paused = false
            pump(exchange)
        }
    }

    // MARK: connections

    /// Gives the exchange a connection: the next candidate address the policy allows, from the
    /// pool when `pooled`, else a new connect. Fails the exchange when no candidate is left.
    private func acquire(_ exchange: NativeExchange, pooled: Bool) {
        let target = exchange.target
        while exchange.addressIndex < target.addresses.count {
            let address = target.addresses[exchange.addressIndex]
            // Checked before connecting and before every reuse, as the curl path's hooks do.
            guard exchange.policy.allows(address) else {
                exchange.refusedAddress = address.description
                exchange.addressIndex += 1
                continue
            }
            if pooled, let connection = pool.take(address, port: target.port) {
                attach(exchange, to: connection, reused: true)
                return
            }
            switch NativeConnection.open(to: address, port: target.port, driver: self) {
            case .success(let connection):
                connection.exchange = exchange
                exchange.connection = connection
                exchange.phase = .connecting
                if exchange.connectDeadline == .max { exchange.connectDeadline = Monotonic.now() &+ exchange.connectTimeout }
                return
            case .failure(let failure):
                exchange.lastConnectError = Self.connectMessage(address, target.port, failure)
                exchange.addressIndex += 1
            }
        }
        if let message = exchange.lastConnectError {
            fail(exchange, .connectFailed(message))
        } else {
            fail(exchange, .addressRefused(exchange.refusedAddress ?? "no address"))
        }
    }

    /// The connection is ready: the request goes out now.
    private func attach(_ exchange: NativeExchange, to connection: NativeConnection, reused: Bool) {
        connection.phase = .busy
        connection.exchange = exchange
        connection.start = 0
        connection.end = 0
        exchange.connection = connection
        exchange.reusedConnection = reused
        exchange.connectDeadline = .max
        exchange.phase = .sending
        exchange.deadlines.requestSent(at: Monotonic.now())
        send(exchange, on: connection)
    }

    /// Readiness of one of the driver's sockets.
    func connectionReady(_ connection: NativeConnection, events: UInt32) {
        switch connection.phase {
        case .closed:
            return
        case .idle:
            // Readable while idle: the server closed it (or sent bytes nobody asked for).
            if connection.readReady { checkIdle(connection) }
        case .connecting:
            guard events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0,
                  let exchange = connection.exchange else { return }
            let code = connection.connectResult()
            if code == 0 {
                attach(exchange, to: connection, reused: false)
                return
            }
            connection.close()
            exchange.connection = nil
            exchange.lastConnectError = Self.connectMessage(connection.address, connection.port, SocketFailure(code))
            exchange.addressIndex += 1
            acquire(exchange, pooled: true)
        case .busy:
            guard let exchange = connection.exchange else { return }
            switch exchange.phase {
            case .sending:
                if connection.readReady {
                    // The server answered before taking the whole body (an early 413, say) and may
                    // read no further: its answer is read now, the rest of the body is not sent,
                    // and the connection is not reused (see `complete`).
                    exchange.phase = .receiving
                    pump(exchange)
                    // Only an interim (1xx) or partial head so far: the server may still want the body.
                    if exchange.connection === connection, exchange.phase == .receiving, exchange.parser.head == nil,
                       exchange.written < exchange.requestBytes.count {
                        exchange.phase = .sending
                        send(exchange, on: connection)
                    }
                } else if events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                    send(exchange, on: connection)
                }
            case .receiving:
                if connection.readReady { pump(exchange) }
            case .connecting:
                break
            }
        }
    }

    /// An idle connection became readable: unless that was spurious, it is closed and forgotten.
    private func checkIdle(_ connection: NativeConnection) {
        if case .wouldBlock = connection.read() { return }
        pool.remove(connection)
        connection.close()
    }

    // MARK: sending and receiving

    private func send(_ exchange: NativeExchange, on connection: NativeConnection) {
        let bytes = exchange.requestBytes
        while exchange.written < bytes.count {
            switch connection.send(bytes, from: exchange.written) {
            case .success(0):
                exchange.sendWaited = true
                return  // socket buffer full: EPOLLOUT continues
            case .success(let count):
                exchange.written += count
            case .failure(let failure):
                // An early answer (say a 413) waiting unread counts as a response byte: no retry.
                if failure.isPeerGone && mayRetry(exchange) && !connection.hasUnreadBytes() {
                    retry(exchange)
                } else {
                    fail(exchange, .transport(code: Self.sendError, message: "Send failure: \(failure.message)"))
                }
                return
            }
        }
        // Only a request that had to wait can have been answered before it was all written (a
        // server draining the rest after an early answer lets the writes finish first).
        if exchange.sendWaited && (exchange.parser.receivedAnyByte || connection.hasUnreadBytes()) { exchange.answeredEarly = true }
        exchange.phase = .receiving
        if connection.readReady { pump(exchange) }
    }

    /// Moves the response along: held chunk, buffered bytes, then reads, until the socket would
    /// block, the consumer pauses, the response completes or fails, or the read budget is spent.
    private func pump(_ exchange: NativeExchange) {
        var reads = 0
        while let connection = exchange.connection, exchange.phase == .receiving, !exchange.paused {
            if let held = exchange.heldChunk {
                exchange.heldChunk = nil
                deliver(held, to: exchange)
                continue
            }
            if exchange.parser.isComplete {
                complete(exchange, on: connection)
                return
            }
            if connection.start < connection.end {
                parseBuffered(exchange, on: connection)
                continue
            }
            guard connection.readReady else { return }
            guard reads < Self.maxReadsPerTurn else {
                // Edge-triggered: no new event will come for bytes already there, so come back.
                let id = ObjectIdentifier(exchange.transfer)
                loop.execute { [self] in
                    if let again = exchanges[id], again.phase == .receiving { pump(again) }
                }
                return
            }
            reads += 1
            switch connection.read() {
            case .bytes:
                exchange.deadlines.received(at: Monotonic.now())
            case .wouldBlock:
                return
            case .endOfFile:
                endOfInput(exchange)
            case .failed(let failure):
                if failure.isPeerGone && mayRetry(exchange) {
                    retry(exchange)
                } else {
                    fail(exchange, .transport(code: Self.recvError, message: "Recv failure: \(failure.message)"))
                }
            }
        }
    }

    /// Parses what the buffer holds up to the next event and acts on it.
    private func parseBuffered(_ exchange: NativeExchange, on connection: NativeConnection) {
        let event: ResponseParser.Event
        do {
            let (consumed, parsed) = try exchange.parser.parse(UnsafeRawBufferPointer(connection.buffer),
                                                               connection.start..<connection.end)
            connection.start += consumed
            event = parsed
        } catch {
            fail(exchange, Self.error(for: error))
            return
        }
        switch event {
        case .needMore:
            return
        case .head:
            if case .length(let declared) = exchange.parser.framing, declared > exchange.maxResponseBytes {
                fail(exchange, .responseTooLarge(limit: exchange.maxResponseBytes))
                return
            }
            if let head = exchange.parser.head { exchange.transfer.headArrived(head) }
        case .body(let range):
            guard exchange.received + range.count <= exchange.maxResponseBytes else {
                fail(exchange, .responseTooLarge(limit: exchange.maxResponseBytes))
                return
            }
            exchange.received += range.count
            deliver(Array(UnsafeRawBufferPointer(rebasing: connection.buffer[range])), to: exchange)
        }
    }

    private func deliver(_ chunk: [UInt8], to exchange: NativeExchange) {
        switch exchange.transfer.chunkArrived(chunk) {
        case .accept:
            break
        case .pause:
            // Not taken: offered again on unpause. Reading stops meanwhile, so the kernel
            // buffers fill and TCP flow control slows the upstream.
            exchange.heldChunk = chunk
            exchange.paused = true
            exchange.deadlines.paused()
        case .abort:
            fail(exchange, .cancelled)
        }
    }

    /// The server closed the connection.
    private func endOfInput(_ exchange: NativeExchange) {
        do {
            _ = try exchange.parser.endOfInput()  // an until-close body is now complete
        } catch .emptyReply where mayRetry(exchange) {
            retry(exchange)
        } catch {
            fail(exchange, Self.error(for: error))
        }
    }

    /// The response is complete: the connection goes back to the pool when it may carry another.
    private func complete(_ exchange: NativeExchange, on connection: NativeConnection) {
        var reusable = exchange.parser.allowsReuse && connection.start == connection.end
            && exchange.written == exchange.requestBytes.count && !exchange.answeredEarly
        exchange.connection = nil
        connection.exchange = nil
        if reusable && connection.readReady {
            // Bytes or EOF may wait unseen behind the edge: no response may leak into the next exchange.
            if case .wouldBlock = connection.read() {} else { reusable = false }
        }
        if reusable {
            connection.phase = .idle
            pool.put(connection)?.close()
        } else {
            connection.close()
        }
        exchanges[ObjectIdentifier(exchange.transfer)] = nil
        exchange.transfer.finished(nil)
    }

    // MARK: failures

    /// A request on a reused connection that failed before any response byte: the server
    /// likely closed the idle connection as it was picked. Retried once, as curl does.
    private func mayRetry(_ exchange: NativeExchange) -> Bool {
        exchange.reusedConnection && !exchange.retried && !exchange.parser.receivedAnyByte
    }

    private func retry(_ exchange: NativeExchange) {
        exchange.connection?.close()
        exchange.connection = nil
        exchange.retried = true
        exchange.reusedConnection = false
        exchange.resetAttempt()
        exchange.phase = .connecting
        exchange.connectDeadline = .max
        acquire(exchange, pooled: false)
    }

    /// Ends the exchange with `error`, closing its connection (never reused after a failure).
    private func fail(_ exchange: NativeExchange, _ error: UpstreamError) {
        exchange.connection?.close()
        exchange.connection = nil
        exchanges[ObjectIdentifier(exchange.transfer)] = nil
        exchange.transfer.finished(error)
    }

    /// Fails exchanges whose connect, first-byte, idle or total deadline passed (each loop tick).
    private func expireDeadlines(at now: UInt64) {
        var expired: [(NativeExchange, UpstreamTimeoutKind)] = []
        for exchange in exchanges.values {
            if let kind = exchange.deadlines.expired(at: now) {
                expired.append((exchange, kind))
            } else if exchange.phase == .connecting && now >= exchange.connectDeadline {
                expired.append((exchange, .connect))
            }
        }
        for (exchange, kind) in expired { fail(exchange, .timeout(kind)) }
        if exchanges.isEmpty, let deadlineObserver {
            loop.removeTickObserver(deadlineObserver)
            self.deadlineObserver = nil
        }
    }

    // The curl codes the curl path reports for the same failures, so callers see one vocabulary.
    private static let sendError = Int(CURLE_SEND_ERROR.rawValue)
    private static let recvError = Int(CURLE_RECV_ERROR.rawValue)

    private static func error(for parseError: ResponseParseError) -> UpstreamError {
        switch parseError {
        case .malformed(let why): .transport(code: Int(CURLE_WEIRD_SERVER_REPLY.rawValue), message: "malformed response: \(why)")
        case .emptyReply: .transport(code: Int(CURLE_GOT_NOTHING.rawValue), message: "Empty reply from server")
        case .truncated: .transport(code: Int(CURLE_PARTIAL_FILE.rawValue), message: "connection closed before the response was complete")
        }
    }

    private static func connectMessage(_ address: IPAddress, _ port: UInt16, _ failure: SocketFailure) -> String {
        "Failed to connect to \(address) port \(port): \(failure.message)"
    }

    // MARK: shutdown

    /// Fails every exchange with `.shutdown` and closes every connection (on the loop thread,
    /// or anywhere once the loop has stopped).
    func shutDown() {
        closed.withLock { $0 = true }
        guard !shutDownDone else { return }
        shutDownDone = true
        for exchange in Array(exchanges.values) { fail(exchange, .shutdown) }
        for connection in pool.removeAll() { connection.close() }
        if let deadlineObserver { loop.removeTickObserver(deadlineObserver) }
        deadlineObserver = nil
    }
}

extension NativeDriver: TransferDriver {
    func start(_ transfer: Transfer, _ request: UpstreamRequest, _ target: NativeTarget?) -> Bool {
        guard let target else {
            transfer.finished(.invalidRequest("not a plain-http literal address"))
            return true
        }
        return submit(.start(transfer, request, target))
    }

    func abort(_ transfer: Transfer) { submit(.abort(transfer)) }
    func unpause(_ transfer: Transfer) { submit(.unpause(transfer)) }
}
