#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex, with the same `withLock` shape as `Synchronization.Mutex`.
///
/// Used for the routing state because ThreadSanitizer understands pthread mutexes but reports
/// false races on `Synchronization.Mutex` under contention on Linux, and the concurrency tests
/// of this state run under ThreadSanitizer in CI.
final class StateLock<State>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var state: State

    init(_ state: State) {
        self.state = state
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body(&state)
    }
}
