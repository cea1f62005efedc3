#if canImport(Glibc)
import Glibc
#endif
import CSystem

/// Process-wide curl setup and small OS helpers used by the curl thread.
enum CurlRuntime {
    /// `curl_global_init` exactly once (lazy static initialisation is thread-safe), and SIGPIPE
    /// ignored: OpenSSL writes through `write(2)`, which `CURLOPT_NOSIGNAL` does not cover.
    static let initialized: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return csy_global_init() == CURLE_OK
    }()

    /// Monotonic time in nanoseconds.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Starts a detached OS thread running `body` (never a cooperative-pool thread).
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let argument = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            pthread_setname_np(pthread_self(), "sy-curl")  // visible in top, perf and gdb
            box.body()
            return nil
        }, argument)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        pthread_detach(thread)
    }
}
