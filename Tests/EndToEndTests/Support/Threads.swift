#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Runs `count` blocking calls on their own threads at once (the cooperative pool has only a
/// thread per core, so blocking socket clients there would run two at a time), in index order.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
    await withCheckedContinuation { (continuation: CheckedContinuation<[T], Never>) in
        let results = Mutex<[Int: T]>([:])
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                let value = body(index)
                results.withLock { $0[index] = value }
                group.leave()
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
        group.notify(queue: .global()) {
            let all = results.withLock { table in (0..<count).compactMap { table[$0] } }
            continuation.resume(returning: all)
        }
    }
}
