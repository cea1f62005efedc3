#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a pthread mutex; the lock is held only while `body` runs.
///
/// Used instead of `Synchronization.Mutex` because Mutex's contended path on Linux (a PI futex
/// handed over by the kernel) is invisible to ThreadSanitizer, which then reports false races
/// (measured with Swift 6.3.1); pthread mutexes are intercepted, so `--sanitize=thread` stays useful.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
