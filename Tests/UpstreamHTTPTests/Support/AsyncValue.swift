import Foundation

/// A value set once by a server thread and awaited by a test with a time limit.
/// (NSLock rather than Mutex: ThreadSanitizer does not see Mutex's contended path on Linux.)
final class AsyncValue<Value: Sendable>: @unchecked Sendable {
    private struct State {
        var value: Value?
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
        var nextID = 0
        var expired: Set<Int> = []
    }

    private let lock = NSLock()
    private var unsafeState = State()

    private func withLock<R>(_ body: (inout State) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&unsafeState)
    }

    init() {}

    /// Sets the value (first set wins) and wakes every waiter.
    func set(_ value: Value) {
        let waiters = withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The value, or nil if it was not set within `timeout`.
    func wait(timeout: Duration = .seconds(5)) async -> Value? {
        let id = withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            let waiter = withLock { state in
                let waiter = state.waiters.removeValue(forKey: id)
                if waiter == nil { state.expired.insert(id) }
                return waiter
            }
            waiter?.resume(returning: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = withLock { state -> Value?? in
                if let value = state.value { return .some(value) }
                if state.expired.contains(id) { return .some(nil) }
                state.waiters[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The value if already set (no waiting).
    var current: Value? { withLock { $0.value } }
}

/// A gate a server thread blocks on until the test opens it (or a time limit passes).
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func open() { semaphore.signal() }

    /// True if opened, false on timeout.
    @discardableResult
    func wait(timeout: Double = 5) -> Bool {
        semaphore.wait(timeout: .now() + timeout) == .success
    }
}

/// Monotonic seconds for latency checks.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A value shared between a server thread and a test, guarded by a lock.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
