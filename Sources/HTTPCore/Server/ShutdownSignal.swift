#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Waits for the first SIGTERM or SIGINT.
public enum ShutdownSignal {
    /// Suspends until SIGTERM or SIGINT arrives (both are then ignored by default handling); returns its name.
    public static func wait() async -> String {
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
