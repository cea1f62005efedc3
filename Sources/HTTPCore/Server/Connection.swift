#if canImport(Glibc)
import Glibc
#endif
import CSystem

/// One client connection, confined to its event loop's thread.
///
/// Requests are answered strictly in order: while one is being handled the socket is not
/// read (pipelined bytes wait in the kernel), and only a peer close is watched, so a
/// handler learns at once that its client went away (its task is cancelled).
final class Connection: EpollHandler, @unchecked Sendable {
    /// Where the connection is in its request/response cycle; each has its own deadline.
    enum Phase: Equatable {
        case idle(since: UInt64)
        case readingHead(since: UInt64)
        case readingBody(lastProgress: UInt64)
        case handling
        case lingering(until: UInt64)
        case closed
    }

    let fd: Int32
    let loop: EventLoop
    let server: ServerContext
    let peerHost: String
    private(set) var phase: Phase
    private var token: UInt64 = 0
    /// Edge-triggered readiness: true until a read returns EAGAIN.
    private var readable = true
    /// The peer shut down its sending side: its EOF must be read even after a short read.
    private var peerHalfClosed = false
    private var parser: RequestParser
    private var input: [UInt8] = []
    private var inputStart = 0
    private var head: RequestHead?
    private var body: [UInt8] = []
    private var output: [UInt8] = []
    private var outputStart = 0
    private var lastWriteProgress: UInt64 = 0
    private var writeWaiters: [CheckedContinuation<Void, any Error>] = []
    private var handlerTask: Task<Void, Never>?
    private var keepAlive = true
    private var responseComplete = false
    /// A streamed body is being produced (its head is sent).
    private var streaming = false
    /// The request being handled (for the drain deadline's answer).
    private var inFlight: HTTPRequest?

    init(fd: Int32, loop: EventLoop, server: ServerContext, peerHost: String) {
        self.fd = fd
        self.loop = loop
        self.server = server
        self.peerHost = peerHost
        parser = RequestParser(limits: server.configuration.parserLimits)
        phase = .idle(since: loop.now)
    }

    /// Registers once, edge-triggered, for everything; readiness is tracked here instead of
    /// re-arming epoll around each request (two system calls fewer per request).
    func start() throws {
        let events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        token = try loop.register(fd, events: events, handler: self)
    }

    var isClosed: Bool { phase == .closed }
    var pendingOutput: Int { output.count - outputStart }

    // MARK: Events

    func handleEvents(_ events: UInt32) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0, pendingOutput > 0 { flush() }
        if phase == .closed { return }
        if events & EPOLLRDHUP.rawValue != 0, phase == .handling {
            // The peer closed while its request is handled: the client is gone, cancel its work.
            close()
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readable = true
            if events & EPOLLRDHUP.rawValue != 0 { peerHalfClosed = true }
            if phase != .handling { readAvailable() }
        }
    }

    private func readAvailable() {
        for _ in 0..<8 {
            let received = loop.scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received > 0 {
                if case .lingering = phase { continue }
                input.append(contentsOf: loop.scratch[0..<received])
                // A short read drained the socket; any later data raises a new edge.
                if received < loop.scratch.count && !peerHalfClosed { readable = false }
                processInput()
                if phase == .handling || phase == .closed || !readable { return }
            } else if received == 0 {
                close()
                return
            } else {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    readable = false
                    return
                }
                close()
                return
            }
        }
        // Still readable after a fair share: continue on a later turn (edge-triggered, no new event comes).
        loop.execute { [self] in
            if readable, phase != .handling, phase != .closed { readAvailable() }
        }
    }

    // MARK: Requests

    private func processInput() {
        while true {
            switch phase {
            case .handling, .closed, .lingering: return
            case .idle:
                guard inputStart < input.count else { return compactInput() }
                phase = .readingHead(since: loop.now)
            case .readingHead, .readingBody:
                break
            }
            let offered = inputStart
            let result = input.withUnsafeBytes { bytes in
                Result { () throws(HTTPParseError) -> RequestParser.Step in
                    try parser.next(UnsafeRawBufferPointer(rebasing: bytes[offered...]))
                }
            }
            let step: RequestParser.Step
            switch result {
            case .success(let parsed): step = parsed
            case .failure(let error): return respondToParseError(error)
            }
            inputStart += step.consumed
            switch step.event {
            case .head(let parsed):
                head = parsed
                body = []
                if case .length(let length) = parsed.framing { body.reserveCapacity(min(length, 1 << 20)) }
                phase = .readingBody(lastProgress: loop.now)
                if parsed.expectsContinue, parsed.framing != .none, parsed.framing != .length(0), inputStart == input.count {
                    enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
            case .body(let range):
                body.append(contentsOf: input[(offered + range.lowerBound)..<(offered + range.upperBound)])
                phase = .readingBody(lastProgress: loop.now)
            case .end:
                dispatch()
                return
            case nil:
                if step.consumed == 0 { return compactInput() }
            }
        }
    }

    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 128 * 1024)
            inputStart = 0
        } else if inputStart > 32 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    private func dispatch() {
        guard let head else { return }
        self.head = nil
        let requestBody = body
        body = []
        phase = .handling
        responseComplete = false
        keepAlive = head.keepAlive && !server.isDraining
        var requestID = server.requestIDs.next()
        if let supplied = head.headers["x-request-id"], RequestIDGenerator.isAcceptable(supplied) { requestID = supplied }
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: requestBody,
                                  id: requestID, remoteAddress: peerHost)
        let minorVersion = head.minorVersion
        inFlight = request
        handlerTask = Task(executorPreference: loop) { [self] in
            let response = await server.handler(request)
            await loop.enter()
            await respond(response, method: request.method, requestID: requestID, minorVersion: minorVersion)
        }
    }

    // MARK: Responses

    private func respond(_ response: HTTPResponse, method: String, requestID: String, minorVersion: Int) async {
        defer { response.afterSending?() }
        // Not handling any more, or already answered by the server itself (the drain deadline).
        guard phase == .handling, !responseComplete else { return }
        if let connection = response.headers["connection"], connection.lowercased().contains("close") { keepAlive = false }
        let bodiless = method == "HEAD" || response.status == 204 || response.status == 304 || response.status < 200
        switch response.body {
        case .bytes(let bytes):
            var out: [UInt8] = []
            out.reserveCapacity(256 + bytes.count)
            ResponseHead.bytes(status: response.status, headers: response.headers,
                               framing: response.status == 204 || response.status == 304 ? .none : .length(bytes.count),
                               keepAlive: keepAlive, minorVersion: minorVersion, requestID: requestID, date: loop.httpDate, into: &out)
            if !bodiless { out.append(contentsOf: bytes) }
            enqueue(out)
            finishResponse()
        case .stream(let produce):
            let chunked = minorVersion == 1 && !bodiless
            if !chunked { keepAlive = false }
            var out: [UInt8] = []
            ResponseHead.bytes(status: response.status, headers: response.headers, framing: chunked ? .chunked : .untilClose,
                               keepAlive: keepAlive, minorVersion: minorVersion, requestID: requestID, date: loop.httpDate, into: &out)
            enqueue(out)
            let writer = ResponseBodyWriter(connection: self, chunked: chunked, discard: bodiless)
            streaming = true
            defer { streaming = false }
            do {
                try await produce(writer)
                await loop.enter()
                guard phase != .closed else { return }
                if chunked { enqueue(Array("0\r\n\r\n".utf8)) }
                finishResponse()
            } catch {
                // A producer that fails mid-body cannot send a status any more: the client must see a truncated body.
                await loop.enter()
                close()
            }
        }
    }

    /// Queues one piece of a streamed body, framed as a chunk when chunked.
    func writeBodyPiece(_ bytes: [UInt8], chunked: Bool) throws(ClientDisconnected) {
        guard phase != .closed else { throw ClientDisconnected() }
        guard !bytes.isEmpty else { return }
        if chunked {
            var framed: [UInt8] = []
            framed.reserveCapacity(bytes.count + 12)
            framed.append(contentsOf: String(bytes.count, radix: 16).utf8)
            framed.append(contentsOf: [Ascii.cr, Ascii.lf])
            framed.append(contentsOf: bytes)
            framed.append(contentsOf: [Ascii.cr, Ascii.lf])
            enqueue(framed)
        } else {
            enqueue(bytes)
        }
    }

    /// Suspends while more than the high-water mark waits to be sent.
    func waitForWritable() async throws {
        while phase != .closed && pendingOutput > server.configuration.streamHighWater {
            try await withCheckedThrowingContinuation { writeWaiters.append($0) }
        }
        if phase == .closed { throw ClientDisconnected() }
    }

    private func finishResponse() {
        responseComplete = true
        if pendingOutput == 0 { afterResponse() }
    }

    private func afterResponse() {
        handlerTask = nil
        inFlight = nil
        responseComplete = false
        if keepAlive && !server.isDraining {
            phase = .idle(since: loop.now)
            processInput()
            if phase != .handling && readable { readAvailable() }
        } else {
            lingeringClose()
        }
    }

    private func respondToParseError(_ error: HTTPParseError) {
        respondAndClose(HTTPServerError(status: error.status, message: error.message))
    }

    /// Sends a small JSON error and closes once it is flushed: in the application's format for
    /// the request's endpoint when its request line is known (a 413 on `/v1/messages` is an
    /// Anthropic error), else the server's own. `handled`: the request being handled, when it
    /// is that one's answer.
    func respondAndClose(_ error: HTTPServerError, rendering handled: HTTPRequest? = nil) {
        let requestID = handled?.id ?? server.requestIDs.next()
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        var body = ServerErrorBody.json(error)
        let requestLine = handled == nil ? currentRequestLine() : nil
        if handled == nil {
            server.onRefusal?(HTTPRefusal(status: error.status, reason: error.message, requestLine: requestLine, requestID: requestID,
                                          remoteAddress: peerHost))
        }
        let request = handled ?? requestLine.map { method, target in
            HTTPRequest(method: method, target: target, headers: head?.headers ?? HTTPHeaders(), body: [],
                        id: requestID, remoteAddress: peerHost)
        }
        if let render = server.errorRenderer, let request {
            let rendered = render(error, request)
            if rendered.status == error.status, case .bytes(let bytes) = rendered.body {
                headers = rendered.headers
                body = bytes
            }
        }
        head = nil
        self.body = []
        var out: [UInt8] = []
        ResponseHead.bytes(status: error.status, headers: headers, framing: .length(body.count),
                           keepAlive: false, minorVersion: 1, requestID: requestID, date: loop.httpDate, into: &out)
        out.append(contentsOf: body)
        phase = .handling
        keepAlive = false
        enqueue(out)
        finishResponse()
    }

    // MARK: Output

    private func enqueue(_ bytes: [UInt8]) {
        if pendingOutput == 0 { lastWriteProgress = loop.now }
        output.append(contentsOf: bytes)
        flush()
    }

    private func flush() {
        while outputStart < output.count {
            let start = outputStart
            let sent = output.withUnsafeBytes { send(fd, $0.baseAddress! + start, $0.count - start, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                outputStart += sent
                lastWriteProgress = loop.now
            } else {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { break }
                close()
                return
            }
        }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
            outputStart = 0
        } else if outputStart > 64 * 1024 {
            output.removeFirst(outputStart)
            outputStart = 0
        }
        if pendingOutput <= server.configuration.streamLowWater, !writeWaiters.isEmpty {
            let waiters = writeWaiters
            writeWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
        if pendingOutput == 0 && responseComplete { afterResponse() }
    }

    // MARK: Deadlines, closing

    /// Enforces the deadline of the current phase; called on every loop tick.
    func checkDeadline(now: UInt64) {
        let configuration = server.configuration
        func expired(_ since: UInt64, _ seconds: Double) -> Bool { now &- since > UInt64(seconds * 1e9) }
        switch phase {
        case .idle(let since):
            if expired(since, configuration.idleTimeout) || server.isDraining { close() }
        case .readingHead(let since):
            if expired(since, configuration.headerTimeout) { timedOut("request header timeout") }
        case .readingBody(let progress):
            if expired(progress, configuration.bodyTimeout) { timedOut("request body timeout") }
        case .handling:
            if pendingOutput > 0, expired(lastWriteProgress, configuration.writeTimeout) { close() }
        case .lingering(let until):
            if now >= until { close() }
        case .closed:
            break
        }
    }

    private func timedOut(_ why: String) {
        respondAndClose(HTTPServerError(status: 408, message: why))
    }

    /// Method and target of the request being read: from its parsed head, or else from the
    /// request line at the start of the unconsumed input (a head refused as a whole, such as
    /// one declaring too large a body). Nil unless the line is complete and well formed.
    private func currentRequestLine() -> (method: String, target: String)? {
        if let head { return (head.method, head.target) }
        guard inputStart < input.count else { return nil }
        let line = input[inputStart..<min(input.count, inputStart + 8192)].prefix { $0 != Ascii.cr && $0 != Ascii.lf }
        let parts = line.split(separator: Ascii.space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].starts(with: Array("HTTP/".utf8)), !parts[0].isEmpty,
              parts[0].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }),
              parts[1].first == UInt8(ascii: "/"), parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self))
    }

    /// Half-closes after the response and discards input briefly, so unread request bytes
    /// do not turn the close into a reset that destroys the response in flight.
    private func lingeringClose() {
        guard phase != .closed else { return }
        shutdown(fd, Int32(SHUT_WR))
        phase = .lingering(until: loop.now &+ 2_000_000_000)
        if readable { readAvailable() }
    }

    /// At the drain deadline, while a request is still being handled: a stream's producer is
    /// cancelled with its client still there, so it ends the stream in its own format (an
    /// error event); a request not answered yet is cancelled and answered 503
    /// `server_shutting_down` in its endpoint's format, rather than left without an answer.
    func endAtDrainDeadline() {
        guard phase == .handling, !responseComplete else { return }
        if !streaming, let inFlight {
            inFlight.markAnsweredByServer()
            handlerTask?.cancel()
            respondAndClose(.shuttingDown, rendering: inFlight)
        } else {
            handlerTask?.cancel()
        }
    }

    /// Closes the socket at once, cancels the handler and fails suspended writers.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        loop.deregister(fd, token: token)
        Glibc.close(fd)
        handlerTask?.cancel()
        handlerTask = nil
        let waiters = writeWaiters
        writeWaiters.removeAll()
        for waiter in waiters { waiter.resume(throwing: ClientDisconnected()) }
        input = []
        output = []
        outputStart = 0
        server.connectionClosed(self)
    }
}
