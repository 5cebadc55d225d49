import Foundation
import MySQLWire
import MySQLWireIO
import Synchronization

/// `concurrent`: BENCH_CONC_N point queries (10,000) from BENCH_CONC_TASKS tasks (100) sharing a
/// `MySQLPool` of BENCH_CONC_CONNS connections (10); every query borrows a connection for
/// itself, as the asyncio peers' `pool.acquire()` per query. The id is bound, so each
/// connection's statement cache prepares once (in the warm-up) and a query is one
/// COM_STMT_EXECUTE round trip. Total wall time is what counts.
enum Concurrent {
    static func run(_ settings: BenchSettings) async throws {
        var options = MySQLPool.Options()
        options.minimumConnections = settings.concurrentConnections
        options.maximumConnections = settings.concurrentConnections
        options.resetOnRelease = .never  // the benchmark's queries leave no session state behind
        let pool = try MySQLPool(configuration: settings.configuration, options: options)
        // The tasks prefer the pool's event loop: a query then never changes threads (no wake-up
        // of another thread per hop); the server has the other core. (Without this, the pool
        // still runs each withConnection on its loop; the task's own code hops twice.)
        let loop = pool.eventLoop
        let perTask = settings.concurrentQueries / settings.concurrentTasks
        let total = Totals()

        // Warm-up: every connection opened and its statement prepared.
        try await withTaskExecutorPreference(loop.taskExecutor) {
            try await runTasks(pool, tasks: settings.concurrentTasks, perTask: 2, total: total)
        }
        total.reset()
        let a = Mark.now(serverPID: settings.serverPID)
        try await withTaskExecutorPreference(loop.taskExecutor) {
            try await runTasks(pool, tasks: settings.concurrentTasks, perTask: perTask, total: total)
        }
        let b = Mark.now(serverPID: settings.serverPID)
        let (rows, sum) = total.values
        report(
            workload: "concurrent",
            proto: "binary-prepared(cached),\(settings.concurrentTasks)-tasks/\(settings.concurrentConnections)-conns",
            n: perTask * settings.concurrentTasks, rows: rows, from: a, to: b, checksum: sum)
        await pool.shutdown()
    }

    private static func runTasks(_ pool: MySQLPool, tasks: Int, perTask: Int, total: Totals) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var rows = 0
                    var sum = 0.0
                    for k in 0..<perTask {
                        let id = (task * perTask + k) % 1000 + 1
                        try await pool.withConnection { conn in
                            try await conn.query("SELECT id, name, job FROM customers WHERE id = \(id)").forEach {
                                row in
                                let rid = try row.decode(Int.self, at: 0)
                                let name = row.withUnsafeBytes(at: 1) { $0?.count ?? 0 }
                                let job = row.withUnsafeBytes(at: 2) { $0?.count ?? 0 }
                                sum += Double(rid + name + job)
                                rows += 1
                            }
                        }
                    }
                    total.add(rows: rows, sum: sum)
                }
            }
            try await group.waitForAll()
        }
    }

    /// Rows and checksum summed over the tasks.
    final class Totals: Sendable {
        private let state = Mutex<(rows: Int, sum: Double)>((0, 0))
        func add(rows: Int, sum: Double) {
            state.withLock {
                $0.rows += rows
                $0.sum += sum
            }
        }
        func reset() { state.withLock { $0 = (0, 0) } }
        var values: (Int, Double) { state.withLock { ($0.rows, $0.sum) } }
    }
}
