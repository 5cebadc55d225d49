import Foundation
import Testing

@testable import MySQLWire

/// Task cancellation and `queryTimeout`: KILL QUERY on a side connection, the connection
/// stays usable. `slowQuery` takes seconds and fails with 1317 when killed. (MySQL's killed
/// `SLEEP()` returns 1 instead: see ScriptedServerTests; MariaDB's fails with 1317.)
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveCancellationTests {
    let slowQuery = "SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = 7"
    private func expectUsable(_ conn: MySQLConnection) async throws {
        let rows = try await conn.query("SELECT 41 + 1").collect()
        #expect(try rows[0].decode(Int.self, at: 0) == 42)
    }

    @Test func cancellingTheTaskKillsTheRunningQuery() async throws {
        let conn = try await LiveServer.connect()
        let started = ContinuousClock.now
        let query = slowQuery
        let task = Task { try await conn.query(query).collect() }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("the query was not stopped")
        } catch let error as MySQLError {
            #expect(error.kind == .cancelled, "\(error)")
            #expect(error.message.contains("KILL QUERY"))
        }
        #expect(ContinuousClock.now - started < .seconds(20))  // unkilled: minutes
        try await expectUsable(conn)
        await conn.close()
    }

    @Test func queryTimeoutStopsTheQuery() async throws {
        let conn = try await LiveServer.connect { $0.queryTimeout = .milliseconds(300) }
        let started = ContinuousClock.now
        do {
            _ = try await conn.query(slowQuery).collect()
            Issue.record("the query was not stopped")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message.contains("queryTimeout"))
        }
        #expect(ContinuousClock.now - started < .seconds(20))  // unkilled: minutes
        try await expectUsable(conn)
        // Prepared statements too.
        do {
            _ = try await conn.query(
                "SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = \(7)"
            ).collect()
            Issue.record("the prepared query was not stopped")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
        }
        try await expectUsable(conn)
        await conn.close()
    }

    /// SLEEP() past queryTimeout, in both protocols; a DO (not read-only) keeps its outcome.
    @Test func aTimedOutSleepReportsTheTimeout() async throws {
        let conn = try await LiveServer.connect { $0.queryTimeout = .milliseconds(200) }
        let queries: [MySQLQuery] = ["SELECT SLEEP(30)", "SELECT SLEEP(\(30))"]  // text, then prepared
        for query in queries {
            let started = ContinuousClock.now
            do {
                let rows = try await conn.query(query).collect()
                Issue.record("\(query) returned \(rows.count) row(s) instead of the timeout")
            } catch let error as MySQLError {
                #expect(error.kind == .timeout, "\(error)")
            }
            #expect(ContinuousClock.now - started < .seconds(20))  // unkilled: 30 s
            try await expectUsable(conn)
        }
        // A write that finishes although it was stopped keeps its real outcome.
        #expect(try await conn.execute("DO SLEEP(1)").affectedRows == 0)
        await conn.close()
    }

    @Test func aQueuedQueryIsCancelledBeforeItIsSent() async throws {
        // The first query waits for a lock another session holds, so the connection is busy
        // for as long as the test needs, whatever the machine's load.
        let holder = try await LiveServer.connect()
        _ = try await holder.query("SELECT GET_LOCK('mysqlwire_cancel_test', 30)").collect()
        let conn = try await LiveServer.connect()
        let first = Task { try await conn.query("SELECT GET_LOCK('mysqlwire_cancel_test', 30), 1").collect() }
        try await Task.sleep(for: .milliseconds(200))
        let second = Task { try await conn.execute("INSERT INTO never_created_table VALUES (1)") }
        try await Task.sleep(for: .milliseconds(200))
        second.cancel()
        do {
            _ = try await second.value
            Issue.record("the queued query ran")
        } catch let error as MySQLError {
            #expect(error.kind == .cancelled, "\(error)")
            #expect(error.message.contains("before the query was sent"), "\(error)")
        }
        _ = try await holder.query("SELECT RELEASE_LOCK('mysqlwire_cancel_test')").collect()
        let rows = try await first.value
        #expect(try rows[0].decode(Int.self, at: 1) == 1)
        try await expectUsable(conn)
        await conn.close()
        await holder.close()
    }

    @Test func cancellationBeforeTheQueryStartsRunsNothing() async throws {
        let conn = try await LiveServer.connect()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await conn.execute("INSERT INTO never_created_table VALUES (1)")
        }
        do {
            try await task.value
            Issue.record("the query ran")
        } catch let error as MySQLError {
            #expect(error.kind == .cancelled, "\(error)")
        }
        try await expectUsable(conn)
        await conn.close()
    }

    @Test func cancellingWhileStreamingStopsTheServer() async throws {
        let conn = try await LiveServer.connect()
        let started = ContinuousClock.now
        let task = Task {
            var count = 0
            for try await _ in try await conn.query("SELECT seq FROM seq_1_to_200000000") {
                count += 1
                if count == 1000 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return count
        }
        do {
            _ = try await task.value
            Issue.record("the stream was not stopped")
        } catch let error as MySQLError {
            #expect(error.kind == .cancelled, "\(error)")
        }
        try await expectUsable(conn)
        // 200 million rows take minutes to read; stopped on the server, it is quick.
        #expect(ContinuousClock.now - started < .seconds(10))
        await conn.close()
    }
}

/// Large results: every row arrives, and leaving early frees the connection at once.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveStreamingTests {
    /// Ten million rows through `forEach`. (Memory is checked on the CLI process in
    /// CLITests, alone: this process runs other suites alongside.)
    @Test func tenMillionRows() async throws {
        let conn = try await LiveServer.connect { $0.tls = .disabled }
        var count = 0
        var sum = 0
        try await conn.query("SELECT seq FROM seq_1_to_10000000").forEach { row in
            count += 1
            sum &+= try row.decode(Int.self, at: 0)
        }
        #expect(count == 10_000_000)
        #expect(sum == 50_000_005_000_000)
        await conn.close()
    }

    /// Two tasks reading one MySQLRows: the second gets a clear error instead of taking the
    /// first one's place (which left the first waiting forever).
    @Test(.timeLimit(.minutes(1))) func twoReadersOfOneResultAreRefused() async throws {
        let conn = try await LiveServer.connect()
        let holder = try await LiveServer.connect()
        _ = try await holder.query("SELECT GET_LOCK('mysqlwire_two_readers', 30)").collect()
        // 60 KB of rows (more than the server's 16 KB net buffer, so they are sent), then the
        // last row waits for the lock: the first reader takes what came and waits.
        let rows = try await conn.query(
            "SELECT seq, IF(seq = 5000, GET_LOCK('mysqlwire_two_readers', 30), 0) FROM seq_1_to_5000")
        async let first = rows.collect()
        try await Task.sleep(for: .seconds(1))
        do {
            _ = try await rows.collect()
            Issue.record("a second reader of the same rows was let in")
        } catch let error as MySQLError {
            #expect(error.kind == .invalidUsage && error.message.contains("two tasks"), "\(error)")
        }
        _ = try await holder.query("SELECT RELEASE_LOCK('mysqlwire_two_readers')").collect()
        #expect(try await first.count == 5000)
        #expect(try await conn.query("SELECT 42").collect()[0].decode(Int.self, at: 0) == 42)
        await holder.close()
        await conn.close()
    }

    @Test func leavingALoopEarlyFreesTheConnection() async throws {
        let conn = try await LiveServer.connect()
        var seen = 0
        for try await _ in try await conn.query("SELECT seq FROM seq_1_to_200000000") {
            seen += 1
            if seen == 10 { break }
        }
        // Draining 200 million rows would take minutes; the rest is stopped on the server.
        let started = ContinuousClock.now
        let rows = try await conn.query("SELECT 1").collect()
        #expect(rows.count == 1)
        #expect(ContinuousClock.now - started < .seconds(20))
        await conn.close()
    }

    /// Dropping the rows of a CALL drains them: the procedure's work after its result set is
    /// not stopped (only a single read-only statement is killed when left early).
    @Test func droppingTheRowsOfACallDoesNotStopIt() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TABLE IF NOT EXISTS call_marker (id INT)")
        try await conn.execute("DELETE FROM call_marker")
        try await conn.execute("DROP PROCEDURE IF EXISTS mysqlwire_slow_writer")
        try await conn.execute(
            """
            CREATE PROCEDURE mysqlwire_slow_writer()
            BEGIN
              SELECT seq FROM seq_1_to_1000;
              DO SLEEP(0.3);
              INSERT INTO call_marker VALUES (1);
            END
            """)
        _ = try await conn.query("CALL mysqlwire_slow_writer()")  // dropped at once
        let count = try await conn.query("SELECT COUNT(*) FROM call_marker").collect()[0].decode(Int.self, at: 0)
        #expect(count == 1)
        #expect(!MySQLConnection.isSingleReadOnlyStatement("CALL p()"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("SELECT 1; DELETE FROM t"))
        #expect(MySQLConnection.isSingleReadOnlyStatement("\n (SELECT 1)"))
        #expect(MySQLConnection.isSingleReadOnlyStatement("with x as (select 1) select * from x"))
        // Statements that write or take locks although they start like a read.
        #expect(
            !MySQLConnection.isSingleReadOnlyStatement(
                "WITH c AS (SELECT 1 AS id) UPDATE t JOIN c USING (id) SET a = 1"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("SELECT * FROM t WHERE id = 1 FOR UPDATE"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("select a into @x from t"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("SELECT GET_LOCK('job', 10)"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("SELECT NEXTVAL(s)"))
        #expect(!MySQLConnection.isSingleReadOnlyStatement("EXPLAIN ANALYZE DELETE FROM t"))
        try await conn.execute("DROP PROCEDURE mysqlwire_slow_writer")
        try await conn.execute("DROP TABLE call_marker")
        await conn.close()
    }
}
