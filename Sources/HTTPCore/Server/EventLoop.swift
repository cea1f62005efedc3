#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Foundation
import Synchronization

/// Something registered with an event loop's epoll set.
protocol EpollHandler: AnyObject {
    /// Called on the loop thread with the epoll event mask.
    func handleEvents(_ events: UInt32)
}

/// One epoll thread that owns sockets and also runs Swift tasks as a `TaskExecutor`,
/// so a handler started with this loop as its executor preference never hops threads.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    /// How often timers (deadlines, the cached Date header) are checked.
    static let tickNanoseconds: UInt64 = 50_000_000
    private static let wakeToken: UInt64 = 0

    let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let remote = Mutex<[Work]>([])
    private let sleeping = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private var local: [Work] = []
    private var handlers: [UInt64: EpollHandler] = [:]
    private var nextToken: UInt64 = 1
    private var tickObservers: [UInt64: () -> Void] = [:]
    private var thread: pthread_t?
    private let threadIdentity = Atomic<UInt>(0)

    /// Monotonic time in nanoseconds, refreshed each time the loop wakes.
    private(set) var now: UInt64 = Monotonic.now()
    /// The `Date` header value, refreshed on every tick.
    private(set) var httpDate: [UInt8] = Array(HTTPDate.current().utf8)
    /// A read buffer shared by every connection of this loop (only one reads at a time).
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(index: Int) throws {
        self.index = index
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
    var inLoop: Bool { threadIdentity.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `body` on the loop thread: at once if already there, else on the next turn.
    func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop { local.append(.closure(body)) } else { enqueueRemote(.closure(body)) }
    }

    /// Continues on the loop thread: at once when already there, else after one hop (a handler
    /// that awaited another executor comes back before touching its connection).
    func enter() async {
        guard !inLoop else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            execute { continuation.resume() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inLoop { local.append(.job(unowned)) } else { enqueueRemote(.job(unowned)) }
    }

    private func enqueueRemote(_ work: Work) {
        remote.withLock { $0.append(work) }
        if sleeping.load(ordering: .sequentiallyConsistent) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
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

    /// Asks the loop to exit after its current turn and waits for the thread.
    func stopAndJoin() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func run() {
        pthread_setname_np(pthread_self(), "sy-loop-\(index)")  // visible in top, perf and gdb
        threadIdentity.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .sequentiallyConsistent)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextTick = Monotonic.now() &+ Self.tickNanoseconds
        let executor = asUnownedTaskExecutor()
        while !stopRequested.load(ordering: .relaxed) {
            runQueued(executor)
            sleeping.store(true, ordering: .sequentiallyConsistent)
            let pending = !local.isEmpty || remote.withLock { !$0.isEmpty }
            let waitMs = pending ? 0 : Int32(max(0, Int64(nextTick) - Int64(Monotonic.now())) / 1_000_000 + 1)
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
            if now >= nextTick {
                nextTick = now &+ Self.tickNanoseconds
                httpDate = Array(HTTPDate.current().utf8)
                for observer in Array(tickObservers.values) { observer() }
            }
        }
        runQueued(executor)
    }

    private func runQueued(_ executor: UnownedTaskExecutor) {
        // Bounded passes so a task that keeps re-enqueueing cannot starve I/O.
        for _ in 0..<4 {
            var batch = local
            local.removeAll(keepingCapacity: true)
            batch += remote.withLock { queue in
                let taken = queue
                queue.removeAll(keepingCapacity: true)
                return taken
            }
            if batch.isEmpty { return }
            for work in batch {
                switch work {
                case .job(let job): job.runSynchronously(on: executor)
                case .closure(let body): body()
                }
            }
        }
    }

    // MARK: Registration (loop thread only)

    /// Registers `fd` with `events`; returns the token used to modify or remove it.
    func register(_ fd: Int32, events: UInt32, handler: EpollHandler) throws -> UInt64 {
        let token = nextToken
        nextToken += 1
        guard csys_epoll_add(epollFD, fd, events, token) == 0 else { throw SocketError.system("epoll_ctl add", errno) }
        handlers[token] = handler
        return token
    }

    func modify(_ fd: Int32, token: UInt64, events: UInt32) {
        _ = csys_epoll_mod(epollFD, fd, events, token)
    }

    func deregister(_ fd: Int32, token: UInt64) {
        _ = csys_epoll_del(epollFD, fd)
        handlers[token] = nil
    }

    /// Calls `observer` on every timer tick until `removeTickObserver` is called with the id.
    func addTickObserver(_ observer: @escaping () -> Void) -> UInt64 {
        let id = nextToken
        nextToken += 1
        tickObservers[id] = observer
        return id
    }

    func removeTickObserver(_ id: UInt64) {
        tickObservers[id] = nil
    }
}

/// Monotonic clock readings in nanoseconds.
enum Monotonic {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
