import Testing

@testable import MySQLWire

/// The pool's bookkeeping without connections: `Int`s stand for connections, `String`s for
/// waiters.
@Suite struct PoolStateTests {
    typealias State = PoolState<Int, String>
    let t0 = ContinuousClock.now

    private func names(_ handoffs: [State.Handoff]) -> [String] {
        handoffs.map { handoff in
            switch handoff {
            case .give(let waiter, let connection, _): return "give \(connection) to \(waiter)"
            case .connectFor(let waiter): return "connect for \(waiter)"
            case .fail(let waiter, let failure): return "fail \(waiter) \(failure)"
            case .close(let connection): return "close \(connection)"
            }
        }
    }

    /// A connection found dead when lent is replaced in its slot for the same caller; the
    /// waiters behind keep waiting (the caller does not lose its turn to them).
    @Test func aDeadConnectionIsReplacedForTheSameCaller() {
        var state = State(minimum: 0, maximum: 1)
        guard case .connect = state.acquire(id: 1, deadline: nil, waiter: "a") else {
            Issue.record("a")
            return
        }
        #expect(state.connected(success: true).isEmpty)
        guard case .wait = state.acquire(id: 2, deadline: nil, waiter: "b") else {
            Issue.record("b")
            return
        }
        let replaced = state.replaceForCaller()
        #expect(replaced)
        #expect(state.open == 1 && state.inUse == 0 && state.connecting == 1 && state.waiters.count == 1)
        #expect(state.connected(success: true).isEmpty)
        #expect(state.inUse == 1 && state.waiters.count == 1)
        // After shutdown the slot is freed instead.
        _ = state.shutDown()
        let replacedAfterShutdown = state.replaceForCaller()
        #expect(!replacedAfterShutdown)
        #expect(state.open == 0 && state.isDrained)
    }

    @Test func opensUpToTheMaximumThenQueuesFirstComeFirstServed() {
        var state = State(minimum: 0, maximum: 2)
        guard case .connect = state.acquire(id: 1, deadline: nil, waiter: "a") else {
            Issue.record("a")
            return
        }
        guard case .connect = state.acquire(id: 2, deadline: nil, waiter: "b") else {
            Issue.record("b")
            return
        }
        #expect(state.connected(success: true).isEmpty)
        #expect(state.connected(success: true).isEmpty)
        guard case .wait = state.acquire(id: 3, deadline: nil, waiter: "c") else {
            Issue.record("c")
            return
        }
        guard case .wait = state.acquire(id: 4, deadline: nil, waiter: "d") else {
            Issue.record("d")
            return
        }
        #expect(state.open == 2 && state.inUse == 2 && state.waiters.count == 2)
        #expect(names(state.release(10, createdAt: t0, reusable: true, now: t0)) == ["give 10 to c"])
        // A broken connection leaves; the next waiter gets a slot to open a new one.
        #expect(names(state.release(11, createdAt: t0, reusable: false, now: t0)) == ["close 11", "connect for d"])
        #expect(state.connected(success: true).isEmpty)
        #expect(state.open == 2 && state.inUse == 2 && state.waiters.isEmpty)
        // With nobody waiting, connections go idle; the most recently used goes out first.
        #expect(state.release(10, createdAt: t0, reusable: true, now: t0).isEmpty)
        #expect(state.release(12, createdAt: t0, reusable: true, now: t0).isEmpty)
        guard case .use(12, _) = state.acquire(id: 5, deadline: nil, waiter: "e") else {
            Issue.record("expected the warm connection")
            return
        }
    }

    @Test func failedConnectRetriesForTheNextWaiter() {
        var state = State(minimum: 0, maximum: 1)
        guard case .connect = state.acquire(id: 1, deadline: nil, waiter: "a") else { return }
        guard case .wait = state.acquire(id: 2, deadline: nil, waiter: "b") else { return }
        #expect(names(state.connected(success: false)) == ["connect for b"])
        #expect(state.connecting == 1 && state.open == 1)
    }

    @Test func waitersTimeOutFromTheFrontAndCanLeave() {
        var state = State(minimum: 0, maximum: 1)
        _ = state.acquire(id: 1, deadline: nil, waiter: "holder")
        _ = state.connected(success: true)
        _ = state.acquire(id: 2, deadline: t0 + .seconds(1), waiter: "a")
        _ = state.acquire(id: 3, deadline: t0 + .seconds(2), waiter: "b")
        _ = state.acquire(id: 4, deadline: t0 + .seconds(3), waiter: "c")
        #expect(state.cancelWaiter(id: 3) == "b")
        #expect(state.cancelWaiter(id: 3) == nil)
        #expect(names(state.expireWaiters(now: t0 + .milliseconds(1500))) == ["fail a timedOut"])
        #expect(state.nextDeadline == t0 + .seconds(3))
    }

    @Test func idleTimeoutKeepsTheMinimumAndLifetimeDoesNot() {
        var state = State(minimum: 1, maximum: 3)
        #expect(state.reserveWarmUps() == 1)
        for id in 2...3 {
            guard case .connect = state.acquire(id: id, deadline: nil, waiter: "w") else {
                Issue.record("\(id)")
                return
            }
            _ = state.connected(success: true)
        }
        _ = state.warmedUp(1, now: t0)
        _ = state.release(2, createdAt: t0, reusable: true, now: t0 + .seconds(1))
        _ = state.release(3, createdAt: t0 + .seconds(5), reusable: true, now: t0 + .seconds(2))
        // All idle; after 60 s idle, two go and the minimum stays.
        let evicted = state.evictIdle(now: t0 + .seconds(70), idleTimeout: .seconds(60), maximumLifetime: nil)
        #expect(evicted == [1, 2])
        #expect(state.open == 1)
        // Past its lifetime, even the last one goes (run() opens a new one for the minimum).
        #expect(state.evictIdle(now: t0 + .seconds(70), idleTimeout: nil, maximumLifetime: .seconds(60)) == [3])
        #expect(state.reserveWarmUps() == 1)
    }

    @Test func keepAlivePingKeepsTheIdleClock() {
        var state = State(minimum: 0, maximum: 1)
        _ = state.acquire(id: 1, deadline: nil, waiter: "w")
        _ = state.connected(success: true)
        _ = state.release(7, createdAt: t0, reusable: true, now: t0)
        let due = state.takeForKeepAlive(now: t0 + .seconds(31), interval: .seconds(30))
        #expect(due.map(\.connection) == [7] && state.inUse == 1)
        #expect(state.pinged(due[0], alive: true, now: t0 + .seconds(31)).isEmpty)
        #expect(state.idle.first?.idleSince == t0)
        // A ping that fails closes the connection.
        let again = state.takeForKeepAlive(now: t0 + .seconds(62), interval: .seconds(30))
        #expect(names(state.pinged(again[0], alive: false, now: t0 + .seconds(62))) == ["close 7"])
        #expect(state.open == 0)
    }

    @Test func shutdownFailsWaitersAndClosesIdle() {
        var state = State(minimum: 0, maximum: 2)
        _ = state.acquire(id: 1, deadline: nil, waiter: "x")
        _ = state.connected(success: true)
        _ = state.acquire(id: 2, deadline: nil, waiter: "y")
        _ = state.connected(success: true)
        _ = state.release(5, createdAt: t0, reusable: true, now: t0)
        _ = state.acquire(id: 3, deadline: nil, waiter: "z")  // takes 5
        _ = state.acquire(id: 4, deadline: nil, waiter: "q")  // waits
        #expect(names(state.shutDown()) == ["fail q shutDown"])
        #expect(names(state.release(6, createdAt: t0, reusable: true, now: t0)) == ["close 6"])
        guard case .shutDown = state.acquire(id: 5, deadline: nil, waiter: "late") else {
            Issue.record("acquire after shutdown")
            return
        }
    }
}
