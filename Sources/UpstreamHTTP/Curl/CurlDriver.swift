#if canImport(Glibc)
import Glibc
#endif
import Reactor

/// One curl multi handle driven by one event loop: curl's sockets sit in the loop's epoll set,
/// its timer is a loop timer, and every curl call happens on the loop thread, so a request sent
/// from a task on that loop never changes thread.
///
/// Confined to `loop` (hence `@unchecked Sendable`): other threads only call `submit`, which
/// hops. Easy handles are reset and reused from a small pool instead of created per request.
final class CurlDriver: @unchecked Sendable {
    let loop: EventLoop
    let configuration: UpstreamClient.Configuration
    private let multi: UnsafeMutableRawPointer
    private var byHandle: [UnsafeMutableRawPointer: EasyContext] = [:]
    private var byTransfer: [ObjectIdentifier: EasyContext] = [:]
    private var watchers: [Int32: CurlSocketWatcher] = [:]
    private var curlTimer: UInt64?
    private var deadlineObserver: UInt64?
    private var spareHandles: [UnsafeMutableRawPointer] = []
    /// Set (under the lock) once shut down: later commands fail fast instead of being queued
    /// to a loop that may have stopped.
    private let closed = Locked(false)
    /// Loop-side twin of `closed`: commands queued before the shutdown find the multi handle gone.
    private var shutDownDone = false

    private static let maxSpareHandles = 64

    init(loop: EventLoop, configuration: UpstreamClient.Configuration, maxIdleConnections: Int) throws(UpstreamError) {
        guard CurlRuntime.initialized, let multi = curl_multi_init() else {
            throw .transport(code: 0, message: "libcurl initialisation failed")
        }
        self.loop = loop
        self.configuration = configuration
        self.multi = multi
        // Unretained: curl calls back only from inside the driver's own curl calls.
        let me = Unmanaged.passUnretained(self).toOpaque()
        csy_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxIdleConnections)
        csy_multi_setopt_socket_cb(multi) { _, fd, what, context, _ in
            Unmanaged<CurlDriver>.fromOpaque(context!).takeUnretainedValue().socketInterestChanged(fd, what: what)
            return 0
        }
        csy_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        csy_multi_setopt_timer_cb(multi) { _, milliseconds, context in
            Unmanaged<CurlDriver>.fromOpaque(context!).takeUnretainedValue().timerChanged(milliseconds)
            return 0
        }
        csy_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
    }

    // MARK: commands (any thread)

    /// Applies `command` on the loop thread: at once when already there (after a shutdown it
    /// fails a start itself); false when it cannot be queued any more.
    @discardableResult
    func submit(_ command: DriverCommand) -> Bool {
        if loop.inLoop {
            apply(command)
            return true
        }
        return closed.withLock { closed in
            guard !closed else { return false }
            return loop.execute { self.apply(command) }  // false once the loop has stopped
        }
    }

    private func apply(_ command: DriverCommand) {
        if shutDownDone {
            if case .start(let transfer, _) = command { transfer.finished(.shutdown) }
            return
        }
        switch command {
        case .start(let transfer, let request):
            start(transfer, request)
        case .abort(let transfer):
            if let context = byTransfer[ObjectIdentifier(transfer)] {
                remove(context)
                transfer.finished(.cancelled)
            }
        case .unpause(let transfer):
            if let context = byTransfer[ObjectIdentifier(transfer)] {
                transfer.unpausing()
                context.deadlines.resumed(at: Monotonic.now())
                // May call the write callback at once with the data curl held back.
                curl_easy_pause(context.handle, csy_curlpause_cont())
            }
        }
    }

    private func start(_ transfer: Transfer, _ request: UpstreamRequest) {
        guard !transfer.isEnded else { return }  // cancelled before it began
        guard let handle = spareHandles.popLast() ?? curl_easy_init() else {
            transfer.finished(.transport(code: 0, message: "curl_easy_init failed"))
            return
        }
        let context: EasyContext
        do {
            context = try EasyContext(handle: handle, transfer: transfer, request: request, configuration: configuration)
        } catch {
            recycle(handle)
            transfer.finished(error)
            return
        }
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else {
            context.release()
            recycle(handle)
            transfer.finished(.transport(code: 0, message: "curl_multi_add_handle failed"))
            return
        }
        byHandle[handle] = context
        byTransfer[ObjectIdentifier(transfer)] = context
        if deadlineObserver == nil {
            deadlineObserver = loop.addTickObserver { [unowned self] in expireDeadlines(at: Monotonic.now()) }
        }
        // Connect or send now rather than on the loop's next turn (curl's "expire at once" timer);
        // allowed here because no curl call is on the stack.
        socketReady(csy_socket_timeout(), mask: 0)
    }

    // MARK: curl's callbacks and readiness (loop thread)

    /// CURLMOPT_SOCKETFUNCTION: watch `fd` for what curl wants, or stop watching it.
    private func socketInterestChanged(_ fd: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE {
            if let watcher = watchers.removeValue(forKey: fd) { loop.deregister(fd, token: watcher.token) }
            return
        }
        let events = CurlSocketWatcher.epollEvents(forCurlInterest: what)
        if let watcher = watchers[fd] {
            guard watcher.events != events else { return }
            watcher.events = events
            if loop.modify(fd, token: watcher.token, events: events) { return }
            loop.deregister(fd, token: watcher.token)  // a closed and reused descriptor: watch it afresh
        }
        let watcher = CurlSocketWatcher(fd: fd, driver: self)
        watcher.events = events
        guard let token = try? loop.register(fd, events: events, handler: watcher) else {
            watchers[fd] = nil
            return  // the transfer then fails by its deadlines
        }
        watcher.token = token
        watchers[fd] = watcher
    }

    /// CURLMOPT_TIMERFUNCTION: curl wants `socketReady(CURL_SOCKET_TIMEOUT)` after this many
    /// milliseconds (-1: never). Never called back from inside curl: the loop fires it.
    private func timerChanged(_ milliseconds: Int) {
        if let curlTimer { loop.cancelTimer(curlTimer) }
        curlTimer = nil
        guard milliseconds >= 0 else { return }
        curlTimer = loop.scheduleTimer(at: Monotonic.now() &+ UInt64(milliseconds) * 1_000_000) { [unowned self] in
            curlTimer = nil
            socketReady(csy_socket_timeout(), mask: 0)
        }
    }

    /// A watched socket is ready (or curl's timer fired): let curl progress, then collect results.
    func socketReady(_ fd: Int32, mask: Int32) {
        var running: Int32 = 0
        curl_multi_socket_action(multi, fd, mask, &running)
        collectFinished()
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = csy_msg_result(message)
            guard let context = byHandle[handle] else { continue }
            let error = context.error(for: code)  // reads the error buffer, freed by remove
            remove(context)  // invalidates `message`
            context.transfer.finished(error)
        }
    }

    /// Fails transfers whose first-byte, idle or total deadline passed (each loop tick, 50 ms).
    private func expireDeadlines(at now: UInt64) {
        let expired = byHandle.values.compactMap { context in context.deadlines.expired(at: now).map { (context, $0) } }
        for (context, kind) in expired {
            remove(context)
            context.transfer.finished(.timeout(kind))
        }
        if byHandle.isEmpty, let deadlineObserver {
            loop.removeTickObserver(deadlineObserver)
            self.deadlineObserver = nil
        }
    }

    private func remove(_ context: EasyContext) {
        byHandle[context.handle] = nil
        byTransfer[ObjectIdentifier(context.transfer)] = nil
        curl_multi_remove_handle(multi, context.handle)
        context.release()
        recycle(context.handle)
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        guard spareHandles.count < Self.maxSpareHandles else {
            curl_easy_cleanup(handle)
            return
        }
        curl_easy_reset(handle)
        spareHandles.append(handle)
    }

    // MARK: shutdown

    /// Fails every transfer with `.shutdown`, closes curl's connections and frees the handles
    /// (on the loop thread, or anywhere once the loop has stopped). Nothing of the driver stays
    /// registered with the loop afterwards.
    func shutDown() {
        closed.withLock { $0 = true }
        guard !shutDownDone else { return }
        shutDownDone = true
        for context in Array(byHandle.values) {
            remove(context)
            context.transfer.finished(.shutdown)
        }
        curl_multi_cleanup(multi)  // closes idle connections; may still call the callbacks above
        spareHandles.forEach { curl_easy_cleanup($0) }
        spareHandles.removeAll()
        if let deadlineObserver { loop.removeTickObserver(deadlineObserver) }
        deadlineObserver = nil
        if let curlTimer { loop.cancelTimer(curlTimer) }
        curlTimer = nil
        for watcher in watchers.values { loop.deregister(watcher.fd, token: watcher.token) }
        watchers.removeAll()
    }
}

extension CurlDriver: TransferDriver {
    func start(_ transfer: Transfer, _ request: UpstreamRequest, _ target: NativeTarget?) -> Bool {
        submit(.start(transfer, request))
    }
    func abort(_ transfer: Transfer) { submit(.abort(transfer)) }
    func unpause(_ transfer: Transfer) { submit(.unpause(transfer)) }
}
