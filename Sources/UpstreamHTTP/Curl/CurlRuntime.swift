#if canImport(Glibc)
import Glibc
#endif

/// Process-wide curl setup.
enum CurlRuntime {
    /// `curl_global_init` exactly once (lazy static initialisation is thread-safe), and SIGPIPE
    /// ignored: OpenSSL writes through `write(2)`, which `CURLOPT_NOSIGNAL` does not cover.
    static let initialized: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return csy_global_init() == CURLE_OK
    }()
}
