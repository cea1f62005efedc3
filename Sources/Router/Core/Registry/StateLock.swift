#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex, with the same `withLock` shape as `Synchronization.Mutex`.
///
/// Used for the routing state because ThreadSanitizer understands pthread mutexes but reports
/// false races on `Synchronization.Mutex` under contention on Linux, and the concurrency tests
/// of this state run under ThreadSanitizer in CI.
final class StateLock<State>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Adaptive: a waiter spins briefly before sleeping. Both event loops take this lock a few
        // times per request for a few microseconds each; sleeping in the kernel and being woken
        // cost more than the wait (measured: futex calls were 3-4% of the proxy's CPU).
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
