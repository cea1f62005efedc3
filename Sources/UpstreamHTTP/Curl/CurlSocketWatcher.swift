import CSystem
import Reactor

/// One socket curl asked to watch, registered (level-triggered, as curl expects) with the
/// driver's event loop; readiness is handed back to curl.
final class CurlSocketWatcher: EpollHandler {
    let fd: Int32
    var token: UInt64 = 0
    var events: UInt32 = 0
    private unowned let driver: CurlDriver

    init(fd: Int32, driver: CurlDriver) {
        self.fd = fd
        self.driver = driver
    }

    func handleEvents(_ events: UInt32) {
        var mask: Int32 = 0
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_IN }
        if events & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
        if events & EPOLLERR.rawValue != 0 { mask |= CURL_CSELECT_ERR }
        driver.socketReady(fd, mask: mask)
    }

    /// The epoll mask for curl's CURL_POLL_* interest.
    static func epollEvents(forCurlInterest what: Int32) -> UInt32 {
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        return events
    }
}
