/// One-shot timers of an event loop: a handful (one per upstream client), so a flat array
/// scanned per turn beats a heap.
struct LoopTimers {
    private var entries: [(id: UInt64, deadline: UInt64, action: () -> Void)] = []

    /// The earliest deadline, or `UInt64.max` when none is set.
    private(set) var nextDeadline = UInt64.max

    mutating func schedule(id: UInt64, at deadline: UInt64, _ action: @escaping () -> Void) {
        entries.append((id, deadline, action))
        nextDeadline = min(nextDeadline, deadline)
    }

    mutating func cancel(id: UInt64) {
        entries.removeAll { $0.id == id }
        nextDeadline = entries.map(\.deadline).min() ?? .max
    }

    /// Removes and returns the actions due at `now`, for the loop to run once it no longer
    /// holds the timers (an action may schedule a new timer).
    mutating func takeDue(at now: UInt64) -> [() -> Void] {
        guard now >= nextDeadline else { return [] }
        let due = entries.filter { $0.deadline <= now }.map(\.action)
        entries.removeAll { $0.deadline <= now }
        nextDeadline = entries.map(\.deadline).min() ?? .max
        return due
    }
}
