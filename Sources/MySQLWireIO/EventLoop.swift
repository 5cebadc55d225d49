import DequeModule
import Glibc
import Synchronization

/// Writing to a socket whose peer is gone raises SIGPIPE, which kills the process by default.
/// `send` uses MSG_NOSIGNAL, but a stray `write` elsewhere must not kill a server either.
/// Evaluated once (Swift globals are lazy and thread-safe) when the first loop starts.
private let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// One thread running epoll_wait; an eventfd for wake-ups; a timer heap (timeout of epoll_wait
/// computed from the earliest timer). Also a SerialExecutor, so actors can use it as their
/// executor (`unownedExecutor`); its `taskExecutor` lets tasks prefer it (withTaskExecutorPreference).
///
/// Why this shape: on small VMs a query's cost is system calls and wake-ups, not parsing. Work
/// submitted from the loop's own thread goes to a lock-free local queue and never touches the
/// eventfd; work from other threads takes one uncontended lock and writes the eventfd only when
/// the loop may be asleep and nobody has woken it yet (one wake-up per burst).
// @unchecked Sendable: cross-thread state lives in `shared` (a Mutex) or atomics; every other
// stored var is touched only on the loop thread (enforced by preconditions on the public API).
public final class EventLoop: SerialExecutor, @unchecked Sendable {
    enum Work {
        case task(@Sendable () -> Void)
        case job(UnownedJob)
        /// A job enqueued through `taskExecutor` (a task that prefers this loop).
        case taskJob(UnownedJob)
    }

    enum State { case running, stopping, stopped }

    /// Everything other threads touch, under one lock.
    struct Shared {
        var queue: [Work] = []
        /// Set by the loop just before a blocking epoll_wait, cleared by the first submitter that
        /// writes the eventfd: a true value means "a wake-up is needed and none is pending".
        var loopMayBeSleeping = false
        var state = State.running
    }

    struct Registration {
        let handler: any IOEventHandler
        var interest: IOInterest
        /// Distinguishes a reused fd number from the registration an in-flight event was for.
        let generation: UInt32
    }

    public let name: String
    let epollFD: Int32
    let wakeFD: Int32
    let shared = Mutex(Shared())
    /// pthread_self() of the loop thread while it runs, 0 before and after; read by inEventLoop.
    private let threadID = Atomic<UInt>(0)
    private let wakeUps = Atomic<Int>(0)
    private var thread: pthread_t = 0  // written once in init, read by shutdown

    // Loop-thread only.
    private var localQueue = Deque<Work>()
    private var batch: [Work] = []
    var timers = TimerQueue()
    var registrations: [Registration?] = []
    var nextGeneration: UInt32 = 0
    private var fdsClosed = false
    /// Set on the loop thread once its last turn is over: local submissions are refused.
    private var finishedRunning = false
    /// This loop as a TaskExecutor (written once in init, before the loop is shared).
    public private(set) var taskExecutor: EventLoopTaskExecutor! = nil
    private static let eventCapacity: Int32 = 64
    // Raw epoll_event array (see Epoll): allocated in init, freed in deinit; only the loop thread
    // reads or writes it, through epoll_wait and Epoll's bounds-checked accessors.
    private let events: UnsafeMutableRawPointer

    /// epoll data of the eventfd; registrations use `fd | generation << 32`, never all ones.
    static let wakeToken = UInt64.max
    /// Tasks run per iteration from the local queue before IO gets a turn again.
    private static let localBudget = 4096

    public init(name: String) throws(IOError) {
        _ = ignoreSIGPIPE
        let epollFD = Epoll.create()
        guard epollFD >= 0 else { throw IOError.lastErrno("epoll_create1 for loop '\(name)' failed") }
        let wakeFD = EventFD.create()
        guard wakeFD >= 0 else {
            let error = IOError.lastErrno("eventfd for loop '\(name)' failed")
            Glibc.close(epollFD)
            throw error
        }
        // Edge-triggered: every eventfd write queues one event, so the loop never has to read the
        // counter back (one syscall saved per wake-up). The counter would need 2^64 writes to fill.
        let added = Epoll.control(
            epollFD, Epoll.ctlAdd, wakeFD, events: Epoll.readable | Epoll.edgeTriggered, data: Self.wakeToken)
        guard added == 0 else {
            let error = IOError.lastErrno("epoll_ctl(ADD eventfd) for loop '\(name)' failed")
            Glibc.close(wakeFD)
            Glibc.close(epollFD)
            throw error
        }
        self.name = name
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        self.events = .allocate(byteCount: Int(Self.eventCapacity) * Epoll.eventSize, alignment: 8)
        taskExecutor = EventLoopTaskExecutor(loop: self)
        // On failure deinit closes the descriptors (state is still .running, fdsClosed false).
        thread = try spawnThread(name: name, detached: false) { [self] in run() }
    }

    deinit {
        if !fdsClosed {
            Glibc.close(epollFD)
            Glibc.close(wakeFD)
        }
        events.deallocate()
    }

    /// True on the loop's own thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == pthread_self()
    }

    /// The loop whose thread is calling, if any. Lets a pool pick a connection owned by the
    /// current loop, so the request needs no thread hop.
    public static var current: EventLoop? {
        guard let raw = pthread_getspecific(currentLoopKey) else { return nil }
        // The pointer is set by the loop thread for itself and cleared before it exits; the
        // thread holds a strong reference to its loop while running, so the object is alive.
        return Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Number of eventfd writes so far: one per burst of foreign submissions. For tests/metrics.
    public var wakeUpCount: Int { wakeUps.load(ordering: .relaxed) }

    /// Any thread. FIFO per submitting thread. See the type's documentation for the wake-up rule.
    /// Tasks submitted after the loop has stopped are dropped.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        submit(.task(task))
    }

    /// Like `execute`, but tells whether the task was accepted (false once the loop has stopped),
    /// for callers that would otherwise wait forever for a task that never runs.
    public func tryExecute(_ task: @escaping @Sendable () -> Void) -> Bool {
        submit(.task(task))
    }

    @inline(__always)
    @discardableResult
    func submit(_ work: Work) -> Bool {
        if inEventLoop {
            // After the loop's last turn (handlers being told it closes) nothing queued runs.
            guard !finishedRunning else { return false }
            localQueue.append(work)
            return true
        }
        return shared.withLock { shared -> Bool in
            guard shared.state != .stopped else { return false }
            shared.queue.append(work)
            if shared.loopMayBeSleeping {
                shared.loopMayBeSleeping = false
                // Written under the lock so shutdown cannot close the eventfd between our decision
                // and the write (the fd number could be reused). The loop is asleep, so nobody
                // but other submitters waits for this lock meanwhile.
                writeWakeUp()
            }
            return true
        }
    }

    private func writeWakeUp() {
        wakeUps.add(1, ordering: .relaxed)
        var one: UInt64 = 1
        while true {
            // `one` is a local UInt64 living across the call; eventfd writes are exactly 8 bytes.
            let written = Glibc.write(wakeFD, &one, 8)
            if written == 8 { return }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN:
                // Counter saturated (practically never): drain it and retry. `drain` is a live
                // local UInt64, the 8 bytes an eventfd read writes.
                var drain: UInt64 = 0
                _ = Glibc.read(wakeFD, &drain, 8)
            default: return
            }
        }
    }

    /// Any thread except the loop's own: runs remaining tasks, stops and joins the thread, closes
    /// epoll + eventfd. Timers and registrations still pending are dropped. A second call (or a
    /// concurrent one) returns without waiting.
    public func shutdown() {
        precondition(!inEventLoop, "EventLoop.shutdown() called on loop '\(name)' itself would deadlock")
        let first = shared.withLock { shared -> Bool in
            guard shared.state == .running else { return false }
            shared.state = .stopping
            shared.loopMayBeSleeping = false
            writeWakeUp()
            return true
        }
        guard first else { return }
        pthread_join(thread, nil)
        // The loop set .stopped under the lock before exiting, and submitters write the eventfd
        // only under that lock and never once .stopped, so nobody can use the descriptors now.
        Glibc.close(epollFD)
        Glibc.close(wakeFD)
        fdsClosed = true
    }

    // MARK: - The loop

    private func run() {
        threadID.store(pthread_self(), ordering: .relaxed)
        // Unretained is enough: this thread holds `self` strongly until after the slot is cleared.
        pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque())
        defer {
            pthread_setspecific(currentLoopKey, nil)
            threadID.store(0, ordering: .relaxed)
        }
        while true {
            let stopping = shared.withLock { shared -> Bool in
                swap(&shared.queue, &batch)
                shared.loopMayBeSleeping = false
                return shared.state == .stopping
            }
            runReadyWork()
            if stopping {
                if finishIfDrained() { break }
                continue
            }

            var timeout = localQueue.isEmpty ? timerTimeout() : 0
            if timeout != 0 {
                let mayBlock = shared.withLock { shared -> Bool in
                    guard shared.queue.isEmpty, shared.state == .running else { return false }
                    shared.loopMayBeSleeping = true
                    return true
                }
                if !mayBlock { timeout = 0 }
            }
            let count = Epoll.wait(epollFD, events, Self.eventCapacity, timeout)
            if count > 0 {
                dispatch(Int(count))
            } else if count < 0 && Glibc.errno != EINTR {
                // Only EBADF/EFAULT/EINVAL are possible, i.e. a bug here; never spin silently.
                fatalError("epoll_wait on loop '\(name)' failed: \(errnoDescription(Glibc.errno))")
            }
            if !timers.isEmpty { fireTimers() }
        }
        // Owners of what is still registered are told, so nobody waits forever on events that
        // will not come (a connect in progress, a query in flight).
        finishedRunning = true
        for registration in registrations {
            registration?.handler.ioLoopClosing()
        }
        timers.removeAll()
        registrations.removeAll()
    }

    /// Runs the batch swapped out of the shared queue, then the local queue (including what those
    /// tasks enqueue) up to a budget so a task that keeps re-enqueuing itself cannot starve IO.
    private func runReadyWork() {
        if !batch.isEmpty {
            for index in batch.indices {
                run(batch[index])
            }
            batch.removeAll(keepingCapacity: batch.capacity <= 4096)
        }
        var budget = Self.localBudget
        while budget > 0, let work = localQueue.popFirst() {
            run(work)
            budget -= 1
        }
    }

    @inline(__always)
    private func run(_ work: Work) {
        switch work {
        case .task(let task):
            task()
        case .job(let job):
            // An actor's job: run it isolated to this loop only. Claiming a task executor here
            // would make the runtime hop tasks that have no preference off the loop at every
            // nonisolated call.
            job.runSynchronously(on: asUnownedSerialExecutor())
        case .taskJob(let job):
            // A task that prefers this loop: its nonisolated code runs here.
            job.runSynchronously(on: taskExecutor.asUnownedTaskExecutor())
        }
    }

    /// While stopping: true (and state .stopped) once no work is left anywhere.
    private func finishIfDrained() -> Bool {
        guard localQueue.isEmpty else { return false }
        return shared.withLock { shared -> Bool in
            guard shared.queue.isEmpty else { return false }
            shared.state = .stopped
            return true
        }
    }

    /// epoll_wait timeout in ms from the earliest timer, rounded up so we never wake early and spin.
    private func timerTimeout() -> Int32 {
        guard let earliest = timers.earliestDeadline() else { return -1 }
        let now = Deadline.now().uptimeNanoseconds
        guard earliest > now else { return 0 }
        return Int32(clamping: (earliest - now + 999_999) / 1_000_000)
    }

    private func fireTimers() {
        let now = Deadline.now().uptimeNanoseconds
        let limit = timers.idWatermark
        while let callback = timers.popExpired(now: now, idLimit: limit) {
            callback()
        }
    }

    private func dispatch(_ count: Int) {
        for index in 0..<count {
            let token = Epoll.data(in: events, at: index)
            if token == Self.wakeToken { continue }
            let fd = Int(truncatingIfNeeded: token & 0xFFFF_FFFF)
            let generation = UInt32(truncatingIfNeeded: token >> 32)
            let flags = Epoll.events(in: events, at: index)
            let failed = flags & (Epoll.error | Epoll.hangUp) != 0

            // A handler may deregister (or re-register) any fd, so look up again before each call.
            if flags & Epoll.readable != 0 || failed,
                let registration = liveRegistration(fd, generation),
                registration.interest.contains(.readable)
            {
                registration.handler.ioReadable()
            }
            if flags & Epoll.writable != 0 || failed,
                let registration = liveRegistration(fd, generation),
                registration.interest.contains(.writable)
            {
                registration.handler.ioWritable()
            }
        }
    }

    @inline(__always)
    private func liveRegistration(_ fd: Int, _ generation: UInt32) -> Registration? {
        guard fd < registrations.count, let registration = registrations[fd],
            registration.generation == generation
        else { return nil }
        return registration
    }
}

/// Thread-specific slot holding the running loop (unretained); see `EventLoop.current`.
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key, nil)
    precondition(rc == 0, "pthread_key_create failed: \(rc)")
    return key
}()
