import Foundation
import Logging
import MySQLWireIO
import Testing

@testable import MySQLWire

@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveQueryTests {
    @Test func connectAndSelectLiterals() async throws {
        let conn = try await LiveServer.connect()
        #expect(await conn.connectionID > 0)
        #expect(!(await conn.serverVersion).isEmpty)
        let rows = try await conn.query(
            "SELECT 1 AS one, 'héllo ✓' AS s, NULL AS n, -9223372036854775808 AS min64, 18446744073709551615 AS max64")
        let all = try await rows.collect()
        #expect(all.count == 1)
        let row = all[0]
        #expect(try row.decode(Int.self, at: 0) == 1)
        #expect(try row.decode(String.self, column: "s") == "héllo ✓")
        #expect(try row.decode(Int?.self, column: "n") == nil)
        #expect(try row.decode(Int64.self, at: 3) == Int64.min)
        #expect(try row.decode(UInt64.self, at: 4) == UInt64.max)
        let (one, s) = try row.decode((Int, String).self)
        #expect(one == 1 && s == "héllo ✓")
        await conn.close()
    }

    @Test func nullIntoNonOptionalNamesTheColumn() async throws {
        let conn = try await LiveServer.connect()
        let row = try #require(try await conn.query("SELECT NULL AS missing").collect().first)
        do {
            _ = try row.decode(Int.self, at: 0)
            Issue.record("decoded NULL into Int")
        } catch {
            #expect(error.kind == .decoding)
            #expect(error.message.contains("missing"))
        }
        do {
            _ = try row.decode(Int.self, column: "nope")
            Issue.record("decoded an unknown column")
        } catch {
            #expect(error.kind == .invalidUsage)
        }
        await conn.close()
    }

    @Test func executeReportsAffectedRowsAndInsertID() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TEMPORARY TABLE t_exec (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))")
        let insert = try await conn.execute("INSERT INTO t_exec (v) VALUES ('a'), ('b'), ('c')")
        #expect(insert.affectedRows == 3)
        #expect(insert.lastInsertID == 1)
        let update = try await conn.execute("UPDATE t_exec SET v = 'z' WHERE id > 1")
        #expect(update.affectedRows == 2)
        #expect(update.info.contains("Rows matched: 2"))
        let warn = try await conn.execute("INSERT IGNORE INTO t_exec (v) VALUES ('this is far too long')")
        #expect(warn.affectedRows == 1)
        #expect(warn.warningCount == 1)
        await conn.close()
    }

    @Test func serverErrorLeavesTheConnectionUsable() async throws {
        let conn = try await LiveServer.connect()
        do {
            _ = try await conn.query("SELEC 1")
            Issue.record("no error")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1064, sqlState: "42000"))
        }
        let value = try await conn.query("SELECT 2").collect().first?.decode(Int.self, at: 0)
        #expect(value == 2)
        await conn.close()
    }

    /// An error raised while the rows are being sent: every row before it is delivered (as
    /// `mariadb --quick` prints them), then the error; the connection stays usable.
    @Test func errorMidResultComesAfterEveryRowBeforeIt() async throws {
        let conn = try await LiveServer.connect()
        let rows = try await conn.query(
            "SELECT seq, IF(seq < 1000, seq, (SELECT 1 UNION SELECT 2)) FROM seq_1_to_2000")
        var seen: [Int] = []
        do {
            for try await row in rows { seen.append(try row.decode(Int.self, at: 0)) }
            Issue.record("no error")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1242, sqlState: "21000"))
        }
        #expect(seen == Array(1...999))
        #expect(try await conn.query("SELECT 3").collect().first?.decode(Int.self, at: 0) == 3)
        await conn.close()
    }

    @Test func multipleResultSetsWhenEnabled() async throws {
        let conn = try await LiveServer.connect { $0.multiStatements = true }
        let rows = try await conn.query("SELECT 1 AS a; DO 1; SELECT 'x' AS b, 'y' AS c")
        #expect(try await rows.collect().map { try $0.decode(Int.self, at: 0) } == [1])
        #expect(try await rows.nextResultSet())
        #expect(await rows.columns.count == 0)
        #expect(try await rows.collect().isEmpty)
        #expect(try await rows.nextResultSet())
        #expect(await rows.columns.definitions.map(\.name) == ["b", "c"])
        let last = try await rows.collect()
        let pair = try last.first?.decode((String, String).self)
        #expect(pair?.0 == "x" && pair?.1 == "y")
        #expect(try await !rows.nextResultSet())
        #expect(try await conn.query("SELECT 3").collect().count == 1)
        await conn.close()
    }

    @Test func multiStatementsAreOffByDefault() async throws {
        let conn = try await LiveServer.connect()
        do {
            _ = try await conn.query("SELECT 1; SELECT 2")
            Issue.record("multi-statement accepted without multiStatements")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1064, sqlState: "42000"))
        }
        await conn.close()
    }

    @Test func concurrentRequestsRunInOrder() async throws {
        let conn = try await LiveServer.connect()
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<200 {
                group.addTask {
                    let v = try await conn.query("SELECT \(i)").collect().first!.decode(Int.self, at: 0)
                    return (i, v)
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.0 == $0.1 })
        await conn.close()
    }

    @Test func leavingTheLoopEarlyKeepsTheConnectionUsable() async throws {
        let conn = try await LiveServer.connect()
        var seen = 0
        for try await _ in try await conn.query("SELECT seq FROM seq_1_to_100000") {
            seen += 1
            if seen == 10 { break }
        }
        #expect(seen == 10)
        #expect(try await conn.query("SELECT 42").collect().first?.decode(Int.self, at: 0) == 42)
        // Dropping an un-iterated result also frees the connection.
        _ = try await conn.query("SELECT seq FROM seq_1_to_50000")
        #expect(try await conn.query("SELECT 43").collect().first?.decode(Int.self, at: 0) == 43)
        await conn.close()
    }

    @Test func largeValueAcrossSplitPackets() async throws {
        let conn = try await LiveServer.connect()
        let size = 17 * 1024 * 1024
        let row = try #require(
            try await conn.query("SELECT REPEAT('x', \(unescaped: String(size))) AS big, 'after' AS tail").collect()
                .first)
        let bytes = try row.decode([UInt8].self, at: 0)
        #expect(bytes.count == size)
        #expect(bytes.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(try row.decode(String.self, at: 1) == "after")
        // A row whose first value is long starts with 0xFE and is still a row.
        let exact = try #require(try await conn.query("SELECT REPEAT('y', 16777215) AS b").collect().first)
        #expect(try exact.decode([UInt8].self, at: 0).count == 16_777_215)
        await conn.close()
    }

    @Test func pingSelectDatabaseReset() async throws {
        let conn = try await LiveServer.connect()
        try await conn.ping()
        try await conn.selectDatabase("information_schema")
        #expect(
            try await conn.query("SELECT DATABASE()").collect().first?.decode(String.self, at: 0)
                == "information_schema")
        try await conn.execute("SET @x = 5")
        try await conn.resetConnection()
        #expect(try await conn.query("SELECT @x").collect().first?.decode(Int?.self, at: 0) == nil)
        do {
            try await conn.selectDatabase("no_such_database_here")
            Issue.record("no error")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1049, sqlState: "42000"))
        }
        await conn.close()
    }

    @Test func unixSocket() async throws {
        var config = LiveServer.configuration()
        config.endpoint = .unixSocket(path: LiveServer.socket)
        let conn = try await MySQLConnection.connect(configuration: config)
        #expect(try await conn.query("SELECT 1").collect().count == 1)
        await conn.close()
    }

    @Test func wrongPassword() async throws {
        do {
            _ = try await LiveServer.connect { $0.password = "definitely-wrong-pw" }
            Issue.record("logged in with a wrong password")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1045, sqlState: "28000"))
            #expect(!error.description.contains("definitely-wrong-pw"))
        }
    }

    @Test func closedConnectionFailsClearly() async throws {
        let conn = try await LiveServer.connect()
        await conn.close()
        #expect(await conn.isClosed)
        do {
            _ = try await conn.query("SELECT 1")
            Issue.record("query on a closed connection")
        } catch let error as MySQLError {
            #expect(error.kind == .connectionClosed)
            #expect(error.message.contains("new connection"))
        }
        await conn.close()  // idempotent
    }

    @Test func readTimeoutIsADeadline() async throws {
        let conn = try await LiveServer.connect { $0.readTimeout = .milliseconds(500) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await conn.query("SELECT SLEEP(5)")
            Issue.record("no timeout")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout)
        }
        #expect(clock.now - start < .seconds(10))  // SLEEP(5) must be cut off; generous for busy test threads
        #expect(await conn.isClosed)
    }

    @Test func localInfileIsRefused() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TEMPORARY TABLE t_infile (line TEXT)")
        do {
            try await conn.execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t_infile")
            Issue.record("LOAD DATA LOCAL ran")
        } catch let error as MySQLError {
            #expect(error.kind != .timeout)
        }
        #expect(try await conn.query("SELECT COUNT(*) FROM t_infile").collect().first?.decode(Int.self, at: 0) == 0)
        await conn.close()
    }

    @Test func descriptorsAreReleased() async throws {
        // Warm up the loops and the resolver first.
        await (try LiveServer.connect()).close()
        let before = LiveServer.openDescriptorCount()
        for _ in 0..<40 {
            let conn = try await LiveServer.connect()
            await conn.close()
        }
        for _ in 0..<10 {
            _ = try? await LiveServer.connect { $0.password = "wrong" }
        }
        for _ in 0..<10 {
            var config = LiveServer.configuration()
            config.endpoint = .tcp(host: "127.0.0.1", port: 1)
            _ = try? await MySQLConnection.connect(configuration: config)
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(LiveServer.openDescriptorCount() <= before)
    }

    @Test func logsNeverContainThePassword() async throws {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        var config = LiveServer.configuration()
        let conn = try await MySQLConnection.connect(configuration: config, logger: logger)
        _ = try await conn.query("SELECT 1").collect()
        await conn.close()
        config.password = "secret-wrong-password"
        _ = try? await MySQLConnection.connect(configuration: config, logger: logger)
        #expect(!handler.lines.isEmpty)
        #expect(!handler.lines.contains { $0.contains(LiveServer.password) || $0.contains("secret-wrong-password") })
        #expect(!config.description.contains("secret-wrong-password"))
    }

    @Test func cancelledConsumerLeavesTheConnectionInSync() async throws {
        let conn = try await LiveServer.connect()
        let task = Task {
            var n = 0
            for try await _ in try await conn.query("SELECT seq FROM seq_1_to_200000") {
                n += 1
                if n == 1000 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return n
        }
        do {
            _ = try await task.value
        } catch {
            #expect((error as? MySQLError)?.kind == .cancelled)
        }
        #expect(try await conn.query("SELECT 7").collect().first?.decode(Int.self, at: 0) == 7)
        await conn.close()
    }
}

@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveBackpressureTests {
    @Test func slowConsumerStopsTheSocketBeingRead() async throws {
        let highWater = 1024 * 1024
        let conn = try await LiveServer.connect { $0.rowBufferHighWaterBytes = highWater }
        var count = 0
        // ~1M rows of ~110 bytes: about 110 MB on the wire, far more than the buffer.
        for try await row in try await conn.query("SELECT seq, REPEAT('x', 100) FROM seq_1_to_1000000") {
            count += 1
            if count == 1 {
                // The consumer stalls: the server has time to send everything it can.
                try await Task.sleep(for: .milliseconds(1500))
            }
            _ = row
        }
        #expect(count == 1_000_000)
        let peak = await conn.peakBufferedRowBytes
        // Above the high-water mark only by what was already read: one batch and one read buffer.
        #expect(peak <= highWater + 1024 * 1024, "buffered \(peak) bytes of rows")
        #expect(peak >= highWater / 2, "the stall should have filled the buffer (\(peak))")
        await conn.close()
    }
}

@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveCloseTests {
    @Test func closeFailsTheRunningAndQueuedRequests() async throws {
        // The running request waits for a lock another session holds, so it is certainly still
        // running when close() comes, however loaded the machine is.
        let holder = try await LiveServer.connect()
        try await holder.execute("DO GET_LOCK('mysqlwire_close_test', 30)")
        defer {
            Task {
                try? await holder.execute("DO RELEASE_LOCK('mysqlwire_close_test')")
                await holder.close()
            }
        }
        let conn = try await LiveServer.connect()
        let slow = Task { try await conn.execute("DO GET_LOCK('mysqlwire_close_test', 30)") }
        try await Task.sleep(for: .milliseconds(100))
        let queued = Task { try await conn.execute("DO 1") }
        try await Task.sleep(for: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        await conn.close()
        for outcome in [await slow.result, await queued.result] {
            switch outcome {
            case .success: Issue.record("a request survived close()")
            case .failure(let error): #expect((error as? MySQLError)?.kind == .connectionClosed)
            }
        }
        #expect(clock.now - start < .seconds(10))
    }
}

/// The same operations from code running on the connection's loop thread, where the
/// connection is used synchronously without actor hops.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveOnLoopTests {
    nonisolated(nonsending) static func exercise(_ conn: MySQLConnection) async throws {
        #expect(conn.eventLoop.inEventLoop)
        let rows = try await conn.query("SELECT seq, CONCAT('r', seq) FROM seq_1_to_3000")
        var count = 0
        for try await row in rows {
            let (n, text) = try row.decode((Int, String).self)
            #expect(text == "r\(n)")
            count += 1
        }
        #expect(count == 3000)
        var sum = 0
        try await conn.query("SELECT seq FROM seq_1_to_100").forEach { sum += try $0.decode(Int.self, at: 0) }
        #expect(sum == 5050)
        let result = try await conn.execute("DO 1")
        #expect(result.affectedRows == 0)
        do {
            _ = try await conn.query("SELEC 1")
            Issue.record("no error")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1064, sqlState: "42000"))
        }
        for try await _ in try await conn.query("SELECT seq FROM seq_1_to_50000") { break }
        #expect(try await conn.query("SELECT 9").collect().first?.decode(Int.self, at: 0) == 9)
    }

    @Test func onTheLoopsTaskExecutor() async throws {
        let conn = try await LiveServer.connect()
        try await withTaskExecutorPreference(conn.eventLoop.taskExecutor) {
            try await Self.exercise(conn)
        }
        await conn.close()
    }

    @Test func isolatedToTheConnection() async throws {
        let conn = try await LiveServer.connect()
        try await conn.withIsolation { conn in
            try await Self.exercise(conn)
        }
        await conn.close()
    }
}

/// Regressions found in review: a paused or held stream must never stall the connection.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LivePauseAndHoldTests {
    @Test func droppingACompletedPausedResultResumesReading() async throws {
        let conn = try await LiveServer.connect { $0.rowBufferHighWaterBytes = 1 }
        let rows = try await conn.query("SELECT REPEAT('x', 1000) FROM seq_1_to_4000")
        try await Task.sleep(for: .milliseconds(200))
        for try await _ in rows { break }
        #expect(try await conn.query("SELECT 5").collect().first?.decode(Int.self, at: 0) == 5)
        await conn.close()
    }

    @Test func heldMultiResultNeitherSpinsNorTimesOut() async throws {
        // A loop of its own, so its thread's CPU time is this connection's alone.
        let loop = try EventLoop(name: "hold-test")
        defer { loop.shutdown() }
        let conn = try await LiveServer.connect {
            $0.multiStatements = true
            $0.readTimeout = .milliseconds(800)
            $0.eventLoop = loop
        }
        let rows = try await conn.query("DO 1; SELECT seq FROM seq_1_to_300000")
        let before = Self.threadCPUSeconds(named: "hold-test")
        try await Task.sleep(for: .milliseconds(1500))
        let spent = Self.threadCPUSeconds(named: "hold-test") - before
        #expect(spent < 0.3, "the loop used \(spent) s of CPU while the next result was held")
        #expect(try await rows.nextResultSet())
        var count = 0
        for try await _ in rows { count += 1 }
        #expect(count == 300_000)
        await conn.close()
    }

    /// utime + stime of this process's thread called `name`, from /proc/self/task/*/stat.
    static func threadCPUSeconds(named name: String) -> Double {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
        return 0
    }
}
