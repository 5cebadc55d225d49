import DequeModule

/// The pool's bookkeeping, free of IO and locks: each call takes the event (an acquire, a
/// release, a connect result, a tick of the clock) and returns what the caller must do outside
/// the lock (resume a waiter, open or close a connection). `MySQLPool` holds it in a mutex;
/// PoolStateTests drive it directly. `Connection` is the pooled element, `Waiter` what a
/// waiting acquire is resumed through.
struct PoolState<Connection, Waiter> {
    struct Idle {
        var connection: Connection
        var createdAt: ContinuousClock.Instant
        var idleSince: ContinuousClock.Instant
        var lastPing: ContinuousClock.Instant
    }

    struct Waiting {
        var id: Int
        var deadline: ContinuousClock.Instant?
        var waiter: Waiter
    }

    /// What an acquire does next.
    enum AcquireDecision {
        /// Use this idle connection (created at `createdAt`).
        case use(Connection, createdAt: ContinuousClock.Instant)
        /// Open a new connection (a slot is reserved: report the outcome with `connected`).
        case connect
        /// Wait; the waiter was queued.
        case wait
        /// The pool is shut down.
        case shutDown
    }

    /// What to do with a waiter or a connection after an event.
    enum Handoff {
        /// Resume the waiter with this connection.
        case give(Waiter, Connection, createdAt: ContinuousClock.Instant)
        /// Resume the waiter, telling it to open a connection (a slot is reserved for it).
        case connectFor(Waiter)
        /// Resume the waiter with this error.
        case fail(Waiter, Failure)
        /// Close this connection (it left the pool).
        case close(Connection)
    }

    enum Failure {
        case timedOut, shutDown, cancelled
    }

    let minimum: Int
    let maximum: Int
    private(set) var idle: Deque<Idle> = []
    private(set) var inUse = 0
    private(set) var connecting = 0
    private(set) var waiters: Deque<Waiting> = []
    private(set) var isShutDown = false
    private var nextWaiterID = 0

    init(minimum: Int, maximum: Int) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Connections open or being opened.
    var open: Int { idle.count + inUse + connecting }

    /// Shut down, and nothing lent out or being opened any more.
    var isDrained: Bool { isShutDown && inUse == 0 && connecting == 0 }

    mutating func makeWaiterID() -> Int {
        nextWaiterID += 1
        return nextWaiterID
    }

    /// The most recently used idle connection, if nobody waits (the acquire fast path).
    mutating func takeIdleIfNobodyWaits() -> (connection: Connection, createdAt: ContinuousClock.Instant)? {
        guard !isShutDown, waiters.isEmpty, let entry = idle.popLast() else { return nil }
        inUse += 1
        return (entry.connection, entry.createdAt)
    }

    /// An acquire: the most recently used idle connection (warm, and it lets the others reach
    /// their idle timeout), else a new one if the maximum allows, else a place in the queue.
    /// Waiters are served first come, first served, so a newcomer never overtakes them.
    mutating func acquire(id: Int, deadline: ContinuousClock.Instant?, waiter: Waiter) -> AcquireDecision {
        if isShutDown { return .shutDown }
        if waiters.isEmpty, let entry = idle.popLast() {
            inUse += 1
            return .use(entry.connection, createdAt: entry.createdAt)
        }
        if waiters.isEmpty, open < maximum {
            connecting += 1
            return .connect
        }
        waiters.append(Waiting(id: id, deadline: deadline, waiter: waiter))
        return .wait
    }

    /// A connection came back. `reusable` is false when it is broken or too old; it then
    /// leaves the pool and, if someone waits, a new one is opened for them.
    mutating func release(
        _ connection: Connection, createdAt: ContinuousClock.Instant, reusable: Bool, now: ContinuousClock.Instant
    ) -> [Handoff] {
        inUse -= 1
        var handoffs: [Handoff] = []
        if !reusable || isShutDown {
            handoffs.append(.close(connection))
            if !isShutDown, let next = waiters.popFirst() {
                connecting += 1
                handoffs.append(.connectFor(next.waiter))
            }
            return handoffs
        }
        if let next = waiters.popFirst() {
            inUse += 1
            handoffs.append(.give(next.waiter, connection, createdAt: createdAt))
        } else {
            idle.append(Idle(connection: connection, createdAt: createdAt, idleSince: now, lastPing: now))
        }
        return handoffs
    }

    /// A connection lent to an acquirer turned out broken or too old before it was used: it is
    /// closed and its slot stays with that acquirer, who opens a new one (false: the pool shut
    /// down meanwhile, so the slot is freed instead). The acquirer keeps its place: it does not
    /// go back to the end of the line.
    mutating func replaceForCaller() -> Bool {
        inUse -= 1
        if isShutDown { return false }
        connecting += 1
        return true
    }

    /// A connect that `acquire` or a handoff asked for finished. On success the caller uses
    /// the connection; on failure the slot is freed and, if someone waits, retried for them.
    mutating func connected(success: Bool) -> [Handoff] {
        connecting -= 1
        if success {
            inUse += 1
            return []
        }
        if !isShutDown, open < maximum, let next = waiters.popFirst() {
            connecting += 1
            return [.connectFor(next.waiter)]
        }
        return []
    }

    /// A connection opened by the pool itself (to reach the minimum) joins the idle ones.
    mutating func warmedUp(_ connection: Connection, now: ContinuousClock.Instant) -> [Handoff] {
        connecting -= 1
        if isShutDown { return [.close(connection)] }
        if let next = waiters.popFirst() {
            inUse += 1
            return [.give(next.waiter, connection, createdAt: now)]
        }
        idle.append(Idle(connection: connection, createdAt: now, idleSince: now, lastPing: now))
        return []
    }

    /// Reserves slots for the connections needed to reach the minimum.
    mutating func reserveWarmUps() -> Int {
        guard !isShutDown else { return 0 }
        let missing = max(0, minimum - open)
        connecting += missing
        return missing
    }

    /// The waiter left (its task was cancelled); nil if it was already served.
    mutating func cancelWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// Waiters whose deadline passed. Deadlines grow along the queue (one acquire timeout for
    /// all), so only the front needs looking at.
    mutating func expireWaiters(now: ContinuousClock.Instant) -> [Handoff] {
        var handoffs: [Handoff] = []
        while let first = waiters.first, let deadline = first.deadline, deadline <= now {
            waiters.removeFirst()
            handoffs.append(.fail(first.waiter, .timedOut))
        }
        return handoffs
    }

    /// The earliest waiter deadline, for the timer.
    var nextDeadline: ContinuousClock.Instant? { waiters.first?.deadline }

    /// Idle connections past their idle timeout (keeping the minimum) or their lifetime leave.
    mutating func evictIdle(
        now: ContinuousClock.Instant, idleTimeout: Duration?, maximumLifetime: Duration?
    ) -> [Connection] {
        var evicted: [Connection] = []
        var kept: Deque<Idle> = []
        // Oldest-idle first: the front of `idle` is the least recently used.
        for entry in idle {
            let openAfter = open - evicted.count - 1
            let tooOld = maximumLifetime.map { now - entry.createdAt >= $0 } ?? false
            let tooIdle = idleTimeout.map { now - entry.idleSince >= $0 } ?? false
            if tooOld || (tooIdle && openAfter >= minimum) {
                evicted.append(entry.connection)
            } else {
                kept.append(entry)
            }
        }
        idle = kept
        return evicted
    }

    /// Idle connections not pinged for `interval`: taken out for a ping (`inUse` counts them)
    /// and given back with `pinged`.
    mutating func takeForKeepAlive(now: ContinuousClock.Instant, interval: Duration) -> [Idle] {
        var due: [Idle] = []
        var kept: Deque<Idle> = []
        for entry in idle {
            if now - entry.lastPing >= interval {
                due.append(entry)
            } else {
                kept.append(entry)
            }
        }
        idle = kept
        inUse += due.count
        return due
    }

    /// A pinged connection comes back: idle again (still idle since before the ping), or
    /// closed when it did not answer (and a waiter, if any, gets a new one).
    mutating func pinged(_ entry: Idle, alive: Bool, now: ContinuousClock.Instant) -> [Handoff] {
        guard alive, !isShutDown else {
            return release(entry.connection, createdAt: entry.createdAt, reusable: false, now: now)
        }
        if waiters.isEmpty {
            inUse -= 1
            var entry = entry
            entry.lastPing = now
            idle.append(entry)
            return []
        }
        return release(entry.connection, createdAt: entry.createdAt, reusable: true, now: now)
    }

    /// Shutdown: no new acquires; waiters fail; idle connections close. Connections in use
    /// close when they come back.
    mutating func shutDown() -> [Handoff] {
        isShutDown = true
        var handoffs = waiters.map { Handoff.fail($0.waiter, .shutDown) }
        waiters.removeAll()
        handoffs += idle.map { Handoff.close($0.connection) }
        idle.removeAll()
        return handoffs
    }
}

extension PoolState.Idle: Sendable where Connection: Sendable {}
