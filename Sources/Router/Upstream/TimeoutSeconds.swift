import Store

/// The upstream timeouts of the settings, in seconds (kept apart from the HTTP client's type
/// of the same name).
struct TimeoutSeconds: Sendable, Equatable {
    var connect: Int
    var firstByte: Int
    var idle: Int
    var total: Int
}

extension Settings {
    var timeoutSeconds: TimeoutSeconds {
        let value: UpstreamTimeouts = upstreamTimeouts
        return TimeoutSeconds(connect: value.connectSeconds, firstByte: value.firstByteSeconds,
                              idle: value.idleSeconds, total: value.totalSeconds)
    }
}
