import Foundation

/// A point in wall-clock time with millisecond precision (Unix epoch), the router's only time
/// value: cooldown deadlines are absolute `Moment`s so they survive a restart unchanged.
public struct Moment: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The moment of `date`, rounded to the millisecond.
    public init(_ date: Date) { milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `seconds` after the epoch.
    public static func seconds(_ seconds: Int64) -> Moment { Moment(milliseconds: seconds * 1000) }

    /// The same moment as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// This moment moved by `delta` milliseconds, saturating instead of overflowing.
    public func adding(milliseconds delta: Int64) -> Moment {
        let (sum, overflow) = milliseconds.addingReportingOverflow(delta)
        return Moment(milliseconds: overflow ? (delta > 0 ? .max : .min) : sum)
    }

    /// This moment moved by `seconds`.
    public func adding(seconds: Int) -> Moment {
        let (ms, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1000)
        return adding(milliseconds: overflow ? (seconds > 0 ? .max : .min) : ms)
    }

    /// Milliseconds from `other` to `self` (negative when `self` is earlier).
    public func milliseconds(since other: Moment) -> Int64 { milliseconds &- other.milliseconds }

    /// Whole seconds from `now` until `self`, rounded up, never negative (for `Retry-After`).
    public func secondsRoundedUp(after now: Moment) -> Int {
        let ms = max(0, milliseconds(since: now))
        return Int((ms + 999) / 1000)
    }

    public static func < (lhs: Moment, rhs: Moment) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public var description: String { date.formatted(.iso8601) }
}
