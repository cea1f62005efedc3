#if canImport(Glibc)
import Glibc
#endif

/// The event loop threads shared by every server of the process (one per core by default).
public final class EventLoopGroup: Sendable {
    let loops: [EventLoop]

    public init(threads: Int) throws {
        loops = try (0..<max(1, threads)).map { try EventLoop(index: $0) }
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
    func onEachLoop(_ body: @escaping @Sendable (EventLoop) -> Void) async {
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
