#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Dispatch
import Foundation
import Synchronization

/// Something registered with an event loop's epoll set.
package protocol EpollHandler: AnyObject {
    /// Called on the loop thread with the epoll event mask.
    func handleEvents(_ events: UInt32)
}

/// One epoll thread that owns sockets and also runs Swift tasks as a `TaskExecutor`,
/// so a handler started with this loop as its executor preference never hops threads.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    private enum Work: Sendable {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    /// How often timers (deadlines, the cached Date header) are checked.
    static let tickNanoseconds: UInt64 = 50_000_000
    private static let wakeToken: UInt64 = 0

    package let index: Int
    private let name: String
    private let epollFD: Int32
    private let wakeFD: Int32
    private let remote = Locked<[Work]>([])  // pthread-based: visible to ThreadSanitizer
    /// Set once the thread has run its last work: later closures are refused, not lost silently.
    private let finished = Atomic<Bool>(false)
    private let sleeping = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private var local: [Work] = []
    /// The batch being run: swapped with `local` so neither buffer is reallocated per turn (loop thread only).
    private var running: [Work] = []
    private var handlers: [UInt64: EpollHandler] = [:]
    private var nextToken: UInt64 = 1
    private var tickObservers: [UInt64: () -> Void] = [:]
    private var timers = LoopTimers()
    private var thread: pthread_t?
    private let threadIdentity = Atomic<UInt>(0)

    /// Monotonic time in nanoseconds, refreshed each time the loop wakes.
    package private(set) var now: UInt64 = Monotonic.now()
    /// The `Date` header value, checked on every tick.
    package private(set) var httpDate: [UInt8] = Array(IMFDate.current().utf8)
    /// The Unix second `httpDate` was formatted for: it is rebuilt once a second, not every tick.
    private var httpDateSecond = 0
    /// A read buffer shared by every connection of this loop (only one reads at a time).
    package var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(index: Int, name: String) throws {
        self.index = index
        self.name = name
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard epollFD >= 0, wakeFD >= 0 else { throw SocketError.system("epoll/eventfd", errno) }
        _ = csys_epoll_add(epollFD, wakeFD, EPOLLIN.rawValue, Self.wakeToken)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    // MARK: Threading

    /// Whether the caller runs on this loop's thread.
    package var inLoop: Bool { threadIdentity.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `body` on the loop thread: at once if already there, else on the next turn. False
    /// (and `body` dropped) when the loop has stopped.
    @discardableResult
    package func execute(_ body: @escaping @Sendable () -> Void) -> Bool {
        if inLoop {
            local.append(.closure(body))
            return true
        }
        return enqueueRemote(.closure(body))
    }

    /// Continues on the loop thread: at once when already there, else after one hop (a handler
    /// that awaited another executor comes back before touching its connection).
    package func enter() async {
        guard !inLoop else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            execute { continuation.resume() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inLoop {
            local.append(.job(unowned))
        } else if !enqueueRemote(.job(unowned)) {
            // The loop has stopped: run the job elsewhere rather than never (not inline: the
            // caller may be inside the runtime's own bookkeeping).
            DispatchQueue.global().async { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    private func enqueueRemote(_ work: Work) -> Bool {
        let accepted = remote.withLock { queue in
            guard !finished.load(ordering: .relaxed) else { return false }
            queue.append(work)
            return true
        }
        guard accepted else { return false }
        if sleeping.load(ordering: .sequentiallyConsistent) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
        return true
    }

    /// Starts the loop on its own thread.
    func start() {
        let box = Unmanaged.passRetained(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        var id = pthread_t()
        pthread_create(&id, &attributes, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
        thread = id
    }

    /// Asks the loop to exit after its current turn and waits for the thread (unless called on
    /// the loop itself, which then exits once the caller returns).
    func stopAndJoin() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
        if let thread {
            if inLoop { pthread_detach(thread) } else { pthread_join(thread, nil) }
        }
        thread = nil
    }

    private func run() {
        pthread_setname_np(pthread_self(), "\(name)-\(index)")  // visible in top, perf and gdb
        threadIdentity.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .sequentiallyConsistent)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextTick = Monotonic.now() &+ Self.tickNanoseconds
        let executor = asUnownedTaskExecutor()
        while !stopRequested.load(ordering: .relaxed) {
            runQueued(executor)
            sleeping.store(true, ordering: .sequentiallyConsistent)
            let pending = !local.isEmpty || remote.withLock { !$0.isEmpty }
            let wakeAt = min(nextTick, timers.nextDeadline)
            let waitMs = pending ? 0 : Self.milliseconds(until: wakeAt, from: Monotonic.now())
            let count = epoll_wait(epollFD, &events, Int32(events.count), waitMs)
            sleeping.store(false, ordering: .sequentiallyConsistent)
            now = Monotonic.now()
            if count > 0 {
                for i in 0..<Int(count) {
                    let token = withUnsafePointer(to: &events[i]) { csys_epoll_event_u64($0) }
                    let mask = withUnsafePointer(to: &events[i]) { csys_epoll_event_events($0) }
                    if token == Self.wakeToken {
                        var value: UInt64 = 0
                        _ = read(wakeFD, &value, 8)
                    } else {
                        handlers[token]?.handleEvents(mask)
                    }
                }
            }
            for action in timers.takeDue(at: now) { action() }
            if now >= nextTick {
                nextTick = now &+ Self.tickNanoseconds
                let second = time(nil)
                if second != httpDateSecond {
                    httpDateSecond = second
                    httpDate = Array(IMFDate.current().utf8)
                }
                for observer in Array(tickObservers.values) { observer() }
            }
        }
        runQueued(executor)
        remote.withLock { _ in finished.store(true, ordering: .relaxed) }
        runQueued(executor)  // whatever arrived before the door closed
    }

    private func runQueued(_ executor: UnownedTaskExecutor) {
        // Bounded passes so a task that keeps re-enqueueing cannot starve I/O.
        for _ in 0..<4 {
            swap(&local, &running)  // work enqueued while the batch runs lands in the emptied `local`
            remote.withLock { queue in
                running.append(contentsOf: queue)
                queue.removeAll(keepingCapacity: true)
            }
            if running.isEmpty { return }
            for work in running {
                switch work {
                case .job(let job): job.runSynchronously(on: executor)
                case .closure(let body): body()
                }
            }
            running.removeAll(keepingCapacity: true)
        }
    }

    // MARK: Registration (loop thread only)

    /// Registers `fd` with `events`; returns the token used to modify or remove it.
    package func register(_ fd: Int32, events: UInt32, handler: EpollHandler) throws -> UInt64 {
        let token = nextToken
        nextToken += 1
        guard csys_epoll_add(epollFD, fd, events, token) == 0 else { throw SocketError.system("epoll_ctl add", errno) }
        handlers[token] = handler
        return token
    }

    /// Changes the events watched for `fd`; false when it is not registered (any more).
    @discardableResult
    package func modify(_ fd: Int32, token: UInt64, events: UInt32) -> Bool {
        csys_epoll_mod(epollFD, fd, events, token) == 0
    }

    package func deregister(_ fd: Int32, token: UInt64) {
        _ = csys_epoll_del(epollFD, fd)
        handlers[token] = nil
    }

    /// Calls `observer` on every timer tick until `removeTickObserver` is called with the id.
    package func addTickObserver(_ observer: @escaping () -> Void) -> UInt64 {
        let id = nextToken
        nextToken += 1
        tickObservers[id] = observer
        return id
    }

    package func removeTickObserver(_ id: UInt64) {
        tickObservers[id] = nil
    }

    /// Calls `action` on the loop thread once `deadline` (monotonic ns) has passed, to the
    /// millisecond; returns an id for `cancelTimer`. For the few precise timers (curl's), not
    /// per-connection deadlines, which use tick observers.
    package func scheduleTimer(at deadline: UInt64, _ action: @escaping () -> Void) -> UInt64 {
        let id = nextToken
        nextToken += 1
        timers.schedule(id: id, at: deadline, action)
        return id
    }

    package func cancelTimer(_ id: UInt64) {
        timers.cancel(id: id)
    }

    /// epoll_wait's timeout: rounded up so a deadline is never fired early.
    private static func milliseconds(until deadline: UInt64, from now: UInt64) -> Int32 {
        guard deadline > now else { return 0 }
        return Int32(min((deadline - now + 999_999) / 1_000_000, 1_000))
    }
}

/// Monotonic clock readings in nanoseconds.
package enum Monotonic {
    package static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
