import Foundation
import Testing

@testable import MySQLWire

/// The pool under load while its connections are killed, and a server that stops answering.
@Suite(.serialized, .enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LivePoolFaultTests {
    /// The pool under test works in its own database, so the killer (which picks its victims
    /// by database) never touches other tests' connections.
    static let database = "mysqlwire_fault"

    /// 1,000 tasks × 100 queries on a pool of 10 while another session kills pool connections
    /// at random: every query succeeds or fails with a clear error, none hangs, the pool comes
    /// back to full strength, and no descriptor or memory grows. Sized by
    /// MYSQLWIRE_FAULT_TASKS / MYSQLWIRE_FAULT_QUERIES (defaults 1000 and 100).
    @Test(.timeLimit(.minutes(2)))
    func killedConnectionsUnderLoad() async throws {
        let env = ProcessInfo.processInfo.environment
        let tasks = Int(env["MYSQLWIRE_FAULT_TASKS"] ?? "") ?? 1000
        let queriesPerTask = Int(env["MYSQLWIRE_FAULT_QUERIES"] ?? "") ?? 100
        let setup = try await LiveServer.connect()
        try await setup.execute("CREATE DATABASE IF NOT EXISTS \(unescaped: Self.database)")
        await setup.close()
        var configuration = LiveServer.configuration(database: Self.database)
        configuration.tls = .disabled
        configuration.queryTimeout = .seconds(20)
        var options = MySQLPool.Options()
        options.minimumConnections = 10
        options.maximumConnections = 10
        options.acquireTimeout = .seconds(60)
        let pool = try MySQLPool(configuration: configuration, options: options)
        let runner = Task { try await pool.run() }
        // Warm: the pool at full strength, then the baseline of descriptors and memory.
        for _ in 0..<20 { _ = try await pool.query("SELECT 1").collect() }
        let descriptorsBefore = LiveServer.openDescriptorCount()
        let memoryBefore = LiveServer.residentBytes()

        let killer = try await LiveServer.connect { $0.tls = .disabled }
        let stopKilling = SharedValue(false)
        let kills = SharedValue(0)
        let killing = Task {
            while !stopKilling.withLock({ $0 }) {
                try await Task.sleep(for: .milliseconds(100))
                // A random connection of the pool's user (not this one): KILL CONNECTION.
                let ids = try await killer.query(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = \(Self.database) AND COMMAND <> 'Killed'"
                ).collect().map { try $0.decode(UInt64.self, at: 0) }
                guard let victim = ids.randomElement() else { continue }
                _ = try? await killer.execute("KILL CONNECTION \(unescaped: String(victim))")
                kills.withLock { $0 += 1 }
            }
        }

        let outcomes = SharedValue([String: Int]())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for query in 0..<queriesPerTask {
                        let key: String
                        do {
                            let value = task * queriesPerTask + query
                            let rows = try await pool.withConnection { conn in
                                try await conn.query("SELECT \(value)").collect()
                            }
                            key = try rows.first?.decode(Int.self, at: 0) == value ? "ok" : "wrong value"
                        } catch let error as MySQLError {
                            // Killed mid-query: the connection closed; nothing else is acceptable.
                            key = error.kind == .connectionClosed || error.isKilledByServer ? "killed" : "\(error)"
                        }
                        outcomes.withLock { $0[key, default: 0] += 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        stopKilling.withLock { $0 = true }
        try await killing.value
        await killer.close()

        let results = outcomes.withLock { $0 }
        print("pool fault test: \(tasks) tasks × \(queriesPerTask) queries, \(kills.withLock { $0 }) kills: \(results)")
        #expect(results.values.reduce(0, +) == tasks * queriesPerTask)
        #expect(Set(results.keys).isSubset(of: ["ok", "killed"]), "\(results)")
        #expect((results["ok"] ?? 0) > tasks * queriesPerTask / 2, "\(results)")
        #expect(kills.withLock { $0 } > 0)

        // Back to full strength once the housekeeping has replaced the killed ones.
        let deadline = ContinuousClock.now + .seconds(20)
        while pool.metrics.open < 10 || pool.metrics.idle < 10, ContinuousClock.now < deadline {
            _ = try? await pool.query("SELECT 1").collect()
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(pool.metrics.open == 10 && pool.metrics.idle == 10, "\(pool.metrics)")
        // Killed connections' descriptors are closed; memory did not grow with the queries.
        #expect(LiveServer.openDescriptorCount() <= descriptorsBefore + 2)
        #expect(LiveServer.residentBytes() - memoryBefore < 64 << 20)
        await pool.shutdown()
        try await runner.value
    }

    /// Writes blocked by another session's FLUSH TABLES WITH READ LOCK end by queryTimeout;
    /// once the lock is gone the pool works again.
    @Test func stuckServerEndsQueriesByTheirTimeout() async throws {
        var configuration = LiveServer.configuration()
        configuration.queryTimeout = .milliseconds(500)
        let pool = try MySQLPool(configuration: configuration)
        try await pool.execute("CREATE TABLE IF NOT EXISTS pool_stuck (id INT)")
        let locker = try await LiveServer.connect()
        try await locker.execute("FLUSH TABLES WITH READ LOCK")
        let started = ContinuousClock.now
        await withTaskGroup(of: MySQLError?.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        try await pool.execute("INSERT INTO pool_stuck VALUES (1)")
                        return nil
                    } catch {
                        return error as? MySQLError
                    }
                }
            }
            for await error in group {
                #expect(error?.kind == .timeout, "\(String(describing: error))")
            }
        }
        #expect(ContinuousClock.now - started < .seconds(15))
        try await locker.execute("UNLOCK TABLES")
        await locker.close()
        try await pool.execute("INSERT INTO pool_stuck VALUES (2)")
        try await pool.execute("DROP TABLE pool_stuck")
        await pool.shutdown()
    }
}

extension MySQLError {
    /// The server ended this session or statement (KILL): 1927 (MariaDB) / 1053, 2013-like.
    var isKilledByServer: Bool {
        if case .server(let code, _) = kind { return code == 1927 || code == 1053 || code == 1317 }
        return false
    }
}
