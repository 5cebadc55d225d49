import Foundation
import Logging
import MySQLWireIO
import ServiceLifecycle
import Synchronization
import Testing

@testable import MySQLWire

/// MySQLPool and transactions against the sandbox server.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LivePoolTests {
    func pool(_ adjust: (inout MySQLPool.Options) -> Void = { _ in }) throws -> MySQLPool {
        var options = MySQLPool.Options()
        options.maximumConnections = 4
        adjust(&options)
        var configuration = LiveServer.configuration()
        configuration.tls = .disabled
        return try MySQLPool(configuration: configuration, options: options)
    }

    @Test func manyTasksShareFewConnections() async throws {
        let pool = try pool()
        let ids = SharedValue<Set<UInt32>>([])
        try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<40 {
                group.addTask {
                    var sum = 0
                    for query in 0..<10 {
                        sum += try await pool.withConnection { conn in
                            // The pool's connections and its calls live on the pool's loop.
                            #expect(conn.eventLoop === pool.eventLoop)
                            #expect(EventLoop.current === pool.eventLoop)
                            let id = await conn.connectionID
                            ids.withLock { _ = $0.insert(id) }
                            let rows = try await conn.query("SELECT \(task * 100 + query)").collect()
                            return try rows[0].decode(Int.self, at: 0)
                        }
                    }
                    return sum
                }
            }
            var total = 0
            for try await sum in group { total += sum }
            #expect(total == (0..<40).reduce(0) { $0 + ($1 * 100 * 10 + 45) })
        }
        #expect(ids.withLock { $0.count } <= 4)
        #expect(pool.metrics.inUse == 0 && pool.metrics.waiters == 0)
        #expect(pool.metrics.open <= 4)
        // The conveniences: rows hold their connection until released.
        let rows = try await pool.query("SELECT 1 UNION SELECT 2").collect()
        #expect(rows.count == 2)
        #expect(try await pool.execute("DO 1").affectedRows == 0)
        await pool.shutdown()
        #expect(pool.metrics.open == 0)
        await #expect(throws: MySQLError.self) { try await pool.execute("DO 1") }
        do {
            try await pool.execute("DO 1")
        } catch let error as MySQLError {
            #expect(error.kind == .connectionClosed)
            #expect(error.message.contains("shutdown()"))
        }
    }

    @Test func waitersAreServedInOrderAndTimeOut() async throws {
        let pool = try pool {
            $0.maximumConnections = 1
            $0.acquireTimeout = nil
        }
        let order = SharedValue<[Int]>([])
        let letGo = SharedValue(false)
        let holder = Task {
            try await pool.withConnection { _ in
                while !letGo.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        try await waitUntil { pool.metrics.inUse == 1 }
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<3 {
            waiters.append(Task { try await pool.withConnection { _ in order.withLock { $0.append(index) } } })
            // Each waiter is in line before the next one comes.
            try await waitUntil { pool.metrics.waiters == index + 1 }
        }
        letGo.withLock { $0 = true }
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(order.withLock { $0 } == [0, 1, 2])
        await pool.shutdown()

        // Held past the acquire timeout: the waiter fails with .timeout and leaves the line.
        let timed = try self.pool {
            $0.maximumConnections = 1
            $0.acquireTimeout = .milliseconds(300)
        }
        try await timed.withConnection { _ in
            let started = ContinuousClock.now
            do {
                try await timed.withConnection { _ in }
                Issue.record("acquired a connection that was lent out")
            } catch let error as MySQLError {
                #expect(error.kind == .timeout)
                #expect(error.message.contains("acquire timeout"))
            }
            #expect(ContinuousClock.now - started >= .milliseconds(250))
            #expect(timed.metrics.waiters == 0)
        }
        await timed.shutdown()
    }

    @Test func cancelledWaiterLeavesTheLine() async throws {
        let pool = try pool {
            $0.maximumConnections = 1
            $0.acquireTimeout = nil
        }
        try await pool.withConnection { _ in
            let waiter = Task { try await pool.withConnection { _ in } }
            while pool.metrics.waiters == 0 { try await Task.sleep(for: .milliseconds(5)) }
            waiter.cancel()
            let result = await waiter.result
            #expect(throws: MySQLError.self) { try result.get() }
            #expect(pool.metrics.waiters == 0)
        }
        await pool.shutdown()
    }

    @Test func brokenConnectionIsReplaced() async throws {
        let pool = try pool { $0.maximumConnections = 1 }
        let first = try await pool.withConnection { await $0.connectionID }
        // Killed from another session while idle in the pool.
        let killer = try await LiveServer.connect()
        try await killer.execute("KILL CONNECTION \(unescaped: String(first))")
        await killer.close()
        // The idle connection notices (the server closes the socket) or fails its next use;
        // either way the pool replaces it instead of lending it again.
        var second: UInt32 = 0
        for _ in 0..<3 {
            do {
                second = try await pool.withConnection { conn in
                    _ = try await conn.query("SELECT 1").collect()
                    return await conn.connectionID
                }
                break
            } catch {
                continue
            }
        }
        #expect(second != 0 && second != first)
        #expect(pool.metrics.open == 1)
        await pool.shutdown()
    }

    @Test func housekeepingKeepsTheMinimumAndEvictsIdle() async throws {
        let pool = try pool {
            $0.minimumConnections = 2
            $0.maximumConnections = 4
            $0.idleTimeout = .milliseconds(200)
            $0.keepAliveInterval = .milliseconds(100)
        }
        let runner = Task { try await pool.run() }
        try await waitUntil { pool.metrics.idle == 2 }
        // Four at once (each holds its connection until all four are out), then idle: back to
        // the minimum after the idle timeout.
        let peak = SharedValue(0)
        let holding = SharedValue(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await pool.withConnection { _ in
                        holding.withLock { $0 += 1 }
                        // (Not `metrics.inUse`: a keep-alive ping counts there too.)
                        while holding.withLock({ $0 }) < 4 { try await Task.sleep(for: .milliseconds(5)) }
                        peak.withLock { $0 = max($0, pool.metrics.open) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.withLock { $0 } == 4)
        try await waitUntil { pool.metrics.open == 2 }
        await pool.shutdown()
        try await runner.value
        #expect(pool.metrics.open == 0)
    }

    /// Rows of a CALL dropped at once: the procedure goes on (it is drained, not killed) and
    /// opens a transaction after its rows. The pool waits for it before lending the
    /// connection again, sees the transaction and resets it; the next borrower starts clean.
    @Test func aCallStillRunningIsWaitedForBeforeTheNextBorrower() async throws {
        let setup = try await LiveServer.connect()
        try await setup.execute("DROP PROCEDURE IF EXISTS mysqlwire_leaves_transaction")
        try await setup.execute(
            """
            CREATE PROCEDURE mysqlwire_leaves_transaction()
            BEGIN
              SELECT seq FROM seq_1_to_1000;
              DO SLEEP(0.3);
              START TRANSACTION;
            END
            """)
        await setup.close()
        let pool = try pool { $0.maximumConnections = 1 }
        _ = try await pool.query("CALL mysqlwire_leaves_transaction()")  // rows dropped at once
        let inTransaction = try await pool.withConnection { conn in
            try await conn.query("SELECT @@in_transaction").collect()[0].decode(Int.self, at: 0)
        }
        #expect(inTransaction == 0)
        await pool.shutdown()
    }

    /// `shutdown()` waits for lent connections, but a cancelled one stops waiting (as when a
    /// ServiceGroup escalates to cancellation); the lent connection is closed when it returns.
    @Test(.timeLimit(.minutes(1))) func aCancelledShutdownStopsWaitingForLentConnections() async throws {
        let pool = try pool { $0.maximumConnections = 1 }
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let borrower = Task {
            try await pool.withConnection { _ in
                for await _ in gate { break }
            }
        }
        try await waitUntil { pool.metrics.inUse == 1 }
        let shutdown = Task { await pool.shutdown() }
        try await Task.sleep(for: .milliseconds(100))
        shutdown.cancel()
        let started = ContinuousClock.now
        await shutdown.value
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(pool.metrics.inUse == 1)  // still lent: shutdown() returned without it
        opener.yield()
        opener.finish()
        try await borrower.value
        try await waitUntil { pool.metrics.open == 0 }  // closed as it came back
    }

    @Test func sessionIsResetWhenDirty() async throws {
        let pool = try pool { $0.maximumConnections = 1 }
        try await pool.withConnection { conn in
            try await conn.execute("START TRANSACTION")
            try await conn.execute("CREATE TEMPORARY TABLE pool_tmp (id INT)")
        }
        // Released inside a transaction: reset (rolled back, temporary table gone).
        try await waitUntil { pool.metrics.inUse == 0 }
        try await pool.withConnection { conn in
            let rows = try await conn.query("SELECT @@in_transaction").collect()
            #expect(try rows[0].decode(Int.self, at: 0) == 0)
            await #expect(throws: MySQLError.self) { try await conn.execute("SELECT * FROM pool_tmp") }
        }
        await pool.shutdown()
    }

    // MARK: Transactions

    @Test func transactionsCommitRollBackAndSavepoint() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TEMPORARY TABLE tx (id INT PRIMARY KEY) ENGINE=InnoDB")
        try await conn.withTransaction { try await $0.execute("INSERT INTO tx VALUES (1)") }
        struct Oops: Error {}
        await #expect(throws: Oops.self) {
            try await conn.withTransaction { conn in
                try await conn.execute("INSERT INTO tx VALUES (2)")
                throw Oops()
            }
        }
        try await conn.withTransaction(isolation: .serializable) { conn in
            try await conn.execute("INSERT INTO tx VALUES (3)")
            await #expect(throws: Oops.self) {
                try await conn.withSavepoint("inner") { conn in
                    try await conn.execute("INSERT INTO tx VALUES (4)")
                    throw Oops()
                }
            }
            try await conn.withSavepoint { try await $0.execute("INSERT INTO tx VALUES (5)") }
        }
        let ids = try await conn.query("SELECT id FROM tx ORDER BY id").collect().map { try $0.decode(Int.self, at: 0) }
        #expect(ids == [1, 3, 5])
        // Read-only: writes are refused (1792), and nothing is committed. (Temporary tables
        // stay writable in a read-only transaction, so a real table.)
        try await conn.execute("CREATE TABLE IF NOT EXISTS tx_read_only (id INT PRIMARY KEY) ENGINE=InnoDB")
        do {
            try await conn.withTransaction(readOnly: true) {
                try await $0.execute("INSERT INTO tx_read_only VALUES (6)")
            }
            Issue.record("a read-only transaction wrote")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1792, sqlState: "25006"), "\(error)")
        }
        let inTransaction = try await conn.query("SELECT @@in_transaction").collect()[0].decode(Int.self, at: 0)
        #expect(inTransaction == 0)
        try await conn.execute("DROP TABLE tx_read_only")
        await conn.close()
    }

    @Test func cancellationRollsBack() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TEMPORARY TABLE tx2 (id INT PRIMARY KEY) ENGINE=InnoDB")
        let task = Task {
            _ = try await conn.withTransaction { conn in
                try await conn.execute("INSERT INTO tx2 VALUES (1)")
                withUnsafeCurrentTask { $0?.cancel() }
            }
        }
        let result = await task.result
        #expect(throws: MySQLError.self) { try result.get() }
        let count = try await conn.query("SELECT COUNT(*) FROM tx2").collect()[0].decode(Int.self, at: 0)
        #expect(count == 0)
        await conn.close()
    }

    private func waitUntil(_ condition: () -> Bool, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A value shared by test tasks.
final class SharedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// The pool as a swift-service-lifecycle `Service`: a graceful shutdown of its group stops
/// lending and ends `run()`.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LivePoolServiceTests {
    @Test func gracefulShutdownOfTheServiceGroupEndsRun() async throws {
        var options = MySQLPool.Options()
        options.minimumConnections = 2
        var configuration = LiveServer.configuration()
        configuration.tls = .disabled
        let pool = try MySQLPool(configuration: configuration, options: options)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: pool)], gracefulShutdownSignals: [],
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while pool.metrics.idle < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.metrics.idle == 2)
        #expect(try await pool.query("SELECT 1").collect().count == 1)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(pool.metrics.open == 0)
        await #expect(throws: MySQLError.self) { try await pool.execute("DO 1") }
    }
}
