import Foundation
import Testing

@testable import MySQLWire

/// Prepared statements against the live server: the commands, the statement cache, cursors,
/// long data and the errors a user can cause.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LivePreparedTests {
    @Test func prepareQueryExecuteClose() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("CREATE TEMPORARY TABLE t_ps (id INT PRIMARY KEY, name VARCHAR(20), score DOUBLE)")
        let insert = try await conn.prepare("INSERT INTO t_ps VALUES (?, ?, ?)")
        #expect(insert.parameterCount == 3)
        for id in 1...5 {
            let result = try await insert.execute([id, "name-\(id)", Double(id) / 4])
            #expect(result.affectedRows == 1)
        }
        try await insert.execute([6, nil as String?, nil as Double?])
        try await insert.close()
        try await insert.close()  // idempotent

        let select = try await conn.prepare("SELECT id, name, score FROM t_ps WHERE id >= ? ORDER BY id")
        #expect(select.columns.map(\.name) == ["id", "name", "score"])
        let rows = try await select.query([3]).collect()
        #expect(rows.count == 4)
        #expect(try rows[0].decode((Int, String, Double).self) == (3, "name-3", 0.75))
        #expect(try rows[3].decode(String?.self, at: 1) == nil)
        #expect(try rows[3].decode(Double?.self, at: 2) == nil)
        // Executed again with another value: one more round trip, same statement.
        #expect(try await select.query([5]).collect().count == 2)
        try await select.close()
        do {
            _ = try await select.query([1])
            Issue.record("a closed statement ran")
        } catch let error as MySQLError {
            #expect(error.kind == .invalidUsage)
            #expect(error.message.contains("prepare it again"))
        }
        // The connection is still fine.
        #expect(try await conn.query("SELECT 1").collect().count == 1)
        await conn.close()
    }

    @Test func interpolationBindsParameters() async throws {
        let conn = try await LiveServer.connect()
        let hostile = "x' OR '1'='1"
        let rows = try await conn.query("SELECT \(hostile) AS s, \(42) + 1 AS n, \(nil as Int?) AS z").collect()
        #expect(try rows[0].decode(String.self, at: 0) == hostile)
        #expect(try rows[0].decode(Int.self, at: 1) == 43)
        #expect(try rows[0].decode(Int?.self, at: 2) == nil)
        #expect(rows[0].batch.format == .binary)
        // Literal without values: the text protocol.
        let plain = try await conn.query("SELECT 1").collect()
        #expect(plain[0].batch.format == .text)
        // An identifier and unescaped text are spliced, not bound.
        try await conn.execute("CREATE TEMPORARY TABLE `odd``name` (v INT)")
        let table = "odd`name"
        try await conn.execute("INSERT INTO \(identifier: table) VALUES (\(7))")
        let order = "ORDER BY v"
        let v = try await conn.query("SELECT v FROM \(identifier: table) \(unescaped: order)").collect()
        #expect(try v[0].decode(Int.self, at: 0) == 7)
        await conn.close()
    }

    @Test func statementCachePreparesOnceAndEvicts() async throws {
        let conn = try await LiveServer.connect { $0.statementCacheSize = 2 }
        func preparedCount() async throws -> Int {
            let row = try await conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").collect()[0]
            return Int(try row.decode(String.self, at: 1))!
        }
        let before = try await preparedCount()
        for id in 1...5 {
            #expect(try await conn.query("SELECT \(id) + 0").collect()[0].decode(Int.self, at: 0) == id)
        }
        #expect(try await preparedCount() - before == 1)
        #expect(await conn.cachedStatementSQL == ["SELECT ? + 0"])
        _ = try await conn.query("SELECT \(1) + 1").collect()
        _ = try await conn.query("SELECT \(1) + 2").collect()
        // The third distinct statement evicted the least recently used one.
        #expect(await conn.cachedStatementSQL == ["SELECT ? + 2", "SELECT ? + 1"])
        let closed = try await conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_close'").collect()[0]
        #expect(try closed.decode(String.self, at: 1) == "1")
        await conn.close()
    }

    @Test func noCacheClosesEachStatement() async throws {
        let conn = try await LiveServer.connect { $0.statementCacheSize = 0 }
        for id in 1...3 {
            #expect(try await conn.query("SELECT \(id)").collect()[0].decode(Int.self, at: 0) == id)
        }
        let closed = try await conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_close'").collect()[0]
        #expect(try closed.decode(String.self, at: 1) == "3")
        await conn.close()
    }

    @Test func cursorFetchesInParts() async throws {
        let conn = try await LiveServer.connect()
        let stmt = try await conn.prepare("SELECT seq, CONCAT('row-', seq) FROM seq_1_to_10000 WHERE seq > ?")
        var sum = 0
        var count = 0
        for try await row in try await stmt.query([0], fetchSize: 500) {
            sum += try row.decode(Int.self, at: 0)
            count += 1
        }
        #expect(count == 10000)
        #expect(sum == 50_005_000)
        let fetches = try await conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_fetch'").collect()[0]
        #expect(Int(try fetches.decode(String.self, at: 1))! >= 20)
        // Leave a cursor early: the connection goes on, and the statement runs again.
        for try await row in try await stmt.query([100], fetchSize: 10) {
            #expect(try row.decode(Int.self, at: 0) == 101)
            break
        }
        #expect(try await conn.query("SELECT 2").collect()[0].decode(Int.self, at: 0) == 2)
        #expect(try await stmt.query([9998], fetchSize: 1).collect().count == 2)
        try await stmt.reset()
        try await stmt.close()
        await conn.close()
    }

    @Test func longDataSendsAValueLargerThanAPacket() async throws {
        let conn = try await LiveServer.connect { $0.longDataThreshold = 1000 }
        try await conn.execute("CREATE TEMPORARY TABLE t_long (b LONGBLOB, t LONGTEXT)")
        var blob = [UInt8](repeating: 0, count: 20 << 20)
        for i in blob.indices { blob[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let text = String(repeating: "ü✓", count: 3000)
        try await conn.execute("INSERT INTO t_long VALUES (\(blob), \(text))")
        let rows = try await conn.query("SELECT b, t, LENGTH(b) FROM t_long WHERE \(1) = 1").collect()
        #expect(try rows[0].decode(Int.self, at: 2) == blob.count)
        #expect(try rows[0].decode([UInt8].self, at: 0) == blob)
        #expect(try rows[0].decode(String.self, at: 1) == text)
        let sent = try await conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_send_long_data'").collect()[0]
        #expect(Int(try sent.decode(String.self, at: 1))! >= 21)
        await conn.close()
    }

    @Test func userMistakesAreClearErrors() async throws {
        let conn = try await LiveServer.connect()
        let stmt = try await conn.prepare("SELECT ? + ?")
        do {
            _ = try await stmt.query([1])
            Issue.record("ran with too few values")
        } catch let error as MySQLError {
            #expect(error.kind == .invalidUsage)
            #expect(error.message.contains("2 parameter placeholder(s) but 1 value(s)"))
        }
        do {
            _ = try await conn.query("SELECT \(1) FROM no_such_table")
            Issue.record("prepared a bad statement")
        } catch let error as MySQLError {
            guard case .server(let code, _) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code == 1146)
        }
        do {
            _ = try await conn.prepare("SELEC 1")
            Issue.record("prepared a syntax error")
        } catch let error as MySQLError {
            guard case .server(let code, _) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code == 1064)
        }
        let row = try await stmt.query([1, 2]).collect()[0]
        do {
            _ = try row.decode(MySQLDate.self, at: 0)
            Issue.record("decoded a number as a date")
        } catch {
            #expect(error.kind == .decoding)
        }
        try await stmt.close()
        await conn.close()
    }
}

/// Server errors about statements carry advice (the server's own message does not say what to do).
@Suite struct StatementErrorAdviceTests {
    @Test func tooManyStatementsSaysWhatToDo() {
        let error = MySQLConnection.withAdvice(
            MySQLError(
                .server(code: 1461, sqlState: "42000"),
                "Can't create more than max_prepared_stmt_count statements (current value: 16382)"))
        #expect(error.kind == .server(code: 1461, sqlState: "42000"))
        #expect(error.message.contains("statementCacheSize"))
        #expect(error.message.contains("max_prepared_stmt_count on the server"))
        let other = MySQLError(.server(code: 1064, sqlState: "42000"), "syntax")
        #expect(MySQLConnection.withAdvice(other) == other)
    }
}

extension LivePreparedTests {
    @Test func statementsDroppedByResetMustBePreparedAgain() async throws {
        let conn = try await LiveServer.connect()
        let stmt = try await conn.prepare("SELECT ? + 1")
        #expect(try await stmt.query([1]).collect()[0].decode(Int.self, at: 0) == 2)
        _ = try await conn.query("SELECT \(5) * 2").collect()
        #expect(await conn.cachedStatementSQL == ["SELECT ? * 2"])
        try await conn.resetConnection()
        #expect(await conn.cachedStatementSQL.isEmpty)
        do {
            _ = try await stmt.query([1]).collect()
            Issue.record("a statement dropped by COM_RESET_CONNECTION ran")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1243, sqlState: "HY000"))
            #expect(error.message.contains("prepare it again"))
        }
        // The cached query is prepared again transparently.
        #expect(try await conn.query("SELECT \(5) * 2").collect()[0].decode(Int.self, at: 0) == 10)
        await conn.close()
    }
}

/// MARIADB_CLIENT_CACHE_METADATA: executions after the first come without column definitions
/// and are read with the remembered ones; after ALTER TABLE the server sends the new ones.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveMetadataCachingTests {
    @Test func skippedDefinitionsAreReadWithTheRememberedOnes() async throws {
        let conn = try await LiveServer.connect { $0.cacheMetadata = true }
        #expect(await conn.serverInfo?.mariaDBCapabilities.contains(.cacheMetadata) == true)
        try await conn.execute("CREATE TEMPORARY TABLE cm (id INT, name VARCHAR(20))")
        try await conn.execute("INSERT INTO cm VALUES (1, 'a'), (2, 'b')")
        let statement = try await conn.prepare("SELECT * FROM cm WHERE id >= ? ORDER BY id")
        for _ in 0..<3 {
            let rows = try await statement.query([1]).collect()
            #expect(try rows.map { try $0.decode((Int, String).self) }.map(\.1) == ["a", "b"])
            #expect(rows.first?.columns.definitions.map(\.name) == ["id", "name"])
        }
        // The definitions change: the server sends them, and they are remembered.
        try await conn.execute("ALTER TABLE cm ADD COLUMN extra INT DEFAULT 7")
        for _ in 0..<2 {
            let rows = try await statement.query([2]).collect()
            #expect(rows.first?.columns.definitions.map(\.name) == ["id", "name", "extra"])
            #expect(try rows.first?.decode(Int.self, at: 2) == 7)
        }
        // Text queries and interpolated (cached) statements carry the metadata-follows byte too.
        #expect(try await conn.query("SELECT 1 AS one, 'x' AS two").collect()[0].decode((Int, String).self) == (1, "x"))
        for id in 1...3 {
            let rows = try await conn.query("SELECT name FROM cm WHERE id = \(id)").collect()
            #expect(rows.count == (id <= 2 ? 1 : 0))
        }
        try await statement.close()
        await conn.close()
    }
}
