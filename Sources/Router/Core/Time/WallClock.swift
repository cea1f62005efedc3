import Foundation
import Synchronization

/// The source of "now" for the router; injected everywhere so logic never reads the system time.
public protocol WallClock: Sendable {
    /// The current moment.
    func now() -> Moment
}

/// The system's wall clock: the one place the router reads real time.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Moment { Moment(Date()) }
}

/// A clock that moves only when told to; for tests and dry runs.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Moment>

    public init(_ start: Moment = .seconds(1_700_000_000)) { current = Mutex(start) }

    public func now() -> Moment { current.withLock { $0 } }

    /// Moves the clock forward by `seconds` (fractions allowed).
    public func advance(seconds: Double) {
        current.withLock { $0 = $0.adding(milliseconds: Int64((seconds * 1000).rounded())) }
    }

    /// Sets the clock to `moment`.
    public func set(_ moment: Moment) { current.withLock { $0 = moment } }
}
