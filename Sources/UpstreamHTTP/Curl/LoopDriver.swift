/// The curl thread's loop: apply commands, drive transfers, enforce deadlines, sleep in
/// `curl_multi_poll` until socket activity, a deadline, or a wakeup.
struct LoopDriver {
    private let loop: CurlLoop
    private var byHandle: [UnsafeMutableRawPointer: EasyContext] = [:]
    private var byTransfer: [ObjectIdentifier: EasyContext] = [:]

    init(loop: CurlLoop) {
        self.loop = loop
    }

    private var multi: UnsafeMutableRawPointer { loop.multi.raw }

    mutating func run() {
        while true {
            var stopping = false
            for command in loop.takeCommands() {
                if case .shutdown = command { stopping = true }
                apply(command)
            }
            if stopping {
                shutDown()
                return
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            let next = expireDeadlines(at: CurlRuntime.now())
            let waitMs = Int32((min(next, 1_000_000_000) + 999_999) / 1_000_000)
            curl_multi_poll(multi, nil, 0, waitMs, nil)
        }
    }

    // MARK: commands

    private mutating func apply(_ command: LoopCommand) {
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
                context.deadlines.resumed(at: CurlRuntime.now())
                // May call the write callback at once with the data curl held back.
                curl_easy_pause(context.handle, csy_curlpause_cont())
            }
        case .shutdown:
            break
        }
    }

    private mutating func start(_ transfer: Transfer, _ request: UpstreamRequest) {
        guard !transfer.isEnded else { return }  // cancelled before it began
        let context: EasyContext
        do {
            context = try EasyContext(transfer: transfer, request: request, configuration: loop.configuration)
        } catch {
            transfer.finished(error)
            return
        }
        guard curl_multi_add_handle(multi, context.handle) == CURLM_OK else {
            context.cleanUp()
            transfer.finished(.transport(code: 0, message: "curl_multi_add_handle failed"))
            return
        }
        byHandle[context.handle] = context
        byTransfer[ObjectIdentifier(transfer)] = context
    }

    // MARK: completion and deadlines

    private mutating func collectFinished() {
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

    /// Fails transfers whose deadline passed; returns nanoseconds until the next deadline.
    private mutating func expireDeadlines(at now: UInt64) -> UInt64 {
        var next = UInt64.max
        var expired: [(EasyContext, UpstreamTimeoutKind)] = []
        for context in byHandle.values {
            if let kind = context.deadlines.expired(at: now) {
                expired.append((context, kind))
            } else {
                next = min(next, context.deadlines.nextDeadline)
            }
        }
        for (context, kind) in expired {
            remove(context)
            context.transfer.finished(.timeout(kind))
        }
        return next > now ? next - now : 0
    }

    private mutating func remove(_ context: EasyContext) {
        byHandle[context.handle] = nil
        byTransfer[ObjectIdentifier(context.transfer)] = nil
        curl_multi_remove_handle(multi, context.handle)
        context.cleanUp()
    }

    private mutating func shutDown() {
        for command in loop.takeCommands(closing: true) {
            if case .start(let transfer, _) = command { transfer.finished(.shutdown) }
        }
        for context in Array(byHandle.values) {
            remove(context)
            context.transfer.finished(.shutdown)
        }
        // The multi handle itself is cleaned up by CurlLoop.deinit once nothing references it.
    }
}
