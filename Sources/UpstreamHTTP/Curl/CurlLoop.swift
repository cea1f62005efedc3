/// What the async side asks of the curl thread.
enum LoopCommand: Sendable {
    /// Create an easy handle for the request and add it to the multi handle.
    case start(Transfer, UpstreamRequest)
    /// Remove the transfer now (the connection is closed).
    case abort(Transfer)
    /// The reader drained the buffer: resume receiving.
    case unpause(Transfer)
    /// Fail every transfer with `.shutdown` and stop the thread.
    case shutdown
}

/// A curl multi handle driven by one dedicated thread; every curl handle is used only there.
///
/// Other threads only append commands to the inbox and call `curl_multi_wakeup`, the one multi
/// call that is safe from any thread. The multi handle is cleaned up in `deinit`, which runs only
/// after the thread has exited and nothing can submit any more.
final class CurlLoop: Sendable {
    /// The multi handle pointer; used by the loop thread, and by `submit` only for the wakeup.
    struct Multi: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    struct Inbox {
        var commands: [LoopCommand] = []
        var closed = false
    }

    let multi: Multi
    let configuration: UpstreamClient.Configuration
    let inbox = Locked(Inbox())

    init(configuration: UpstreamClient.Configuration) throws(UpstreamError) {
        guard CurlRuntime.initialized, let raw = curl_multi_init() else {
            throw .transport(code: 0, message: "libcurl initialisation failed")
        }
        csy_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, max(1, configuration.maxIdleConnections))
        self.multi = Multi(raw: raw)
        self.configuration = configuration
        CurlRuntime.startThread { [self] in
            var driver = LoopDriver(loop: self)
            driver.run()
        }
    }

    /// Queues a command for the curl thread; false once the loop has shut down.
    @discardableResult
    func submit(_ command: LoopCommand) -> Bool {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.commands.append(command)
            // A non-empty inbox means a wakeup is already pending or the loop is about to drain it.
            return (true, inbox.commands.count == 1)
        }
        if wake { curl_multi_wakeup(multi.raw) }
        return accepted
    }

    deinit {
        curl_multi_cleanup(multi.raw)
    }

    /// Takes every queued command (loop thread).
    func takeCommands(closing: Bool = false) -> [LoopCommand] {
        inbox.withLock { inbox in
            if closing { inbox.closed = true }
            defer { inbox.commands.removeAll(keepingCapacity: true) }
            return inbox.commands
        }
    }
}
