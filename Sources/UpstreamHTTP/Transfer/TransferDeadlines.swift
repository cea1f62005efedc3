/// The first-byte, idle and total deadlines of one transfer (connect is left to curl).
///
/// A value-type state machine over an injected monotonic time in nanoseconds: events move the
/// deadlines, `expired(at:)` names the one that passed. Idle time is not counted while the
/// transfer is paused because the consumer is slow.
struct TransferDeadlines: Equatable {
    private enum Phase: Equatable {
        /// Resolving, connecting, TLS: only total applies (curl enforces connect).
        case connecting
        /// Request sent; waiting for the first response byte until `deadline`.
        case awaitingFirstByte(deadline: UInt64)
        /// Response flowing; the next byte is due by `deadline`.
        case receiving(deadline: UInt64)
        /// Paused by backpressure: no idle deadline.
        case paused
    }

    private let firstByte: UInt64
    private let idle: UInt64
    private let totalDeadline: UInt64
    private var phase = Phase.connecting

    init(timeouts: UpstreamTimeouts, startedAt now: UInt64) {
        firstByte = timeouts.firstByte.clampedNanoseconds
        idle = timeouts.idle.clampedNanoseconds
        totalDeadline = now &+ timeouts.total.clampedNanoseconds
    }

    /// The connection is ready and the request is being sent (also for a reused connection).
    mutating func requestSent(at now: UInt64) {
        if phase == .connecting { phase = .awaitingFirstByte(deadline: now &+ firstByte) }
    }

    /// Response bytes (head or body) arrived.
    mutating func received(at now: UInt64) {
        if phase != .paused { phase = .receiving(deadline: now &+ idle) }
    }

    /// The consumer is slow; curl stops reading.
    mutating func paused() {
        phase = .paused
    }

    /// The consumer caught up; the idle clock restarts.
    mutating func resumed(at now: UInt64) {
        if phase == .paused { phase = .receiving(deadline: now &+ idle) }
    }

    /// The earliest moment at which a deadline can pass.
    var nextDeadline: UInt64 {
        switch phase {
        case .connecting, .paused: totalDeadline
        case .awaitingFirstByte(let deadline), .receiving(let deadline): min(deadline, totalDeadline)
        }
    }

    /// Which timeout has expired at `now`, if any; total wins a tie.
    func expired(at now: UInt64) -> UpstreamTimeoutKind? {
        if now >= totalDeadline { return .total }
        switch phase {
        case .awaitingFirstByte(let deadline) where now >= deadline: return .firstByte
        case .receiving(let deadline) where now >= deadline: return .idle
        default: return nil
        }
    }
}
