#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// SIGTERM and SIGINT, caught from `listen()` on: call it before announcing readiness, so a
/// signal sent right after the announcement is handled, never lost.
///
/// The signals' disposition is left to libdispatch, whose sources install their own handler on
/// Linux: ignoring them first (as on Darwin) opened a window, until the source was registered,
/// in which a SIGTERM was discarded and the process never shut down. A signal arriving before
/// the sources are armed keeps its default action (the process terminates).
public final class ShutdownSignal: @unchecked Sendable {
    /// Kept alive for the process's life; only read at creation.
    private let sources: [any DispatchSourceSignal]
    private let state = Mutex<(name: String?, waiter: CheckedContinuation<String, Never>?)>((nil, nil))

    private init(queue: DispatchQueue, signals: [(Int32, String)]) {
        self.sources = signals.map { DispatchSource.makeSignalSource(signal: $0.0, queue: queue) }
        for (source, (_, name)) in zip(self.sources, signals) {
            source.setEventHandler { [weak self] in self?.fire(name) }
            source.resume()
        }
        // The sources register on their queue: waiting for it to run what is queued lets them arm
        // before the caller announces readiness (best effort; a signal before that terminates).
        queue.sync {}
    }

    /// Starts catching SIGTERM and SIGINT.
    public static func listen() -> ShutdownSignal {
        ShutdownSignal(queue: DispatchQueue(label: "switchyard.signals"), signals: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")])
    }

    /// Suspends until the first caught signal (at once if one came already); returns its name.
    public func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let caught = state.withLock { state -> String? in
                if let name = state.name { return name }
                state.waiter = continuation
                return nil
            }
            if let caught { continuation.resume(returning: caught) }
        }
    }

    private func fire(_ name: String) {
        let waiter = state.withLock { state -> CheckedContinuation<String, Never>? in
            guard state.name == nil else { return nil }
            state.name = name
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: name)
    }
}
