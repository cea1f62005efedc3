#if canImport(Glibc)
import Glibc
#endif

/// A failed socket system call, with the errno it set.
public enum SocketError: Error, CustomStringConvertible, Sendable {
    case system(String, Int32)
    case invalidAddress(String)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .invalidAddress(let address): "invalid listen address '\(address)' (expected HOST:PORT with an IPv4 or IPv6 literal)"
        }
    }
}
