#if canImport(Glibc)
import Glibc
#endif

/// The event loop threads shared by every server of the process (one per core by default).
public final class EventLoopGroup: Sendable {
    package let loops: [EventLoop]

    /// Starts `threads` loops named `name-0`, `name-1`… (thread names show in top, perf and gdb).
    public init(threads: Int, name: String = "sy-loop") throws {
        loops = try (0..<max(1, threads)).map { try EventLoop(index: $0, name: name) }
        loops.forEach { $0.start() }
    }

    /// One loop per available core.
    public static func perCore() throws -> EventLoopGroup {
        try EventLoopGroup(threads: System.coreCount)
    }

    /// Stops every loop thread; servers must have shut down first.
    public func shutdown() {
        loops.forEach { $0.stopAndJoin() }
    }

    /// Runs `body` on every loop and waits until all have run it.
    package func onEachLoop(_ body: @escaping @Sendable (EventLoop) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for loop in loops {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        loop.execute {
                            body(loop)
                            continuation.resume()
                        }
                    }
                }
            }
        }
    }
}

/// Facts about the machine.
public enum System {
    public static var coreCount: Int {
        let count = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return count > 0 ? count : 1
    }
}
