import Foundation
import Testing

@testable import MySQLWire

/// Prepared statements (binary protocol): COM_STMT_PREPARE, _EXECUTE, _FETCH, _SEND_LONG_DATA,
/// _RESET and _CLOSE. Every value is fixed (no clocks, no random data), so the client sends
/// the same bytes at every replay.
extension ReplayScenario {
    // MARK: prepare-execute-close

    /// Six parameters echoed back (their types as the server reports them) beside literal
    /// DATETIME(6), TIME(1), DATE, DECIMAL, VARBINARY and NULL columns: twelve columns, so the
    /// NULL bitmap of a row is two bytes. The bad-* binary-row fixtures are cut from its first
    /// execution.
    static let literalSelectSQL = """
        SELECT ? AS p_int, ? AS p_str, ? AS p_null, ? AS p_double, ? AS p_datetime, ? AS p_u64, \
        CAST('2024-02-29 13:45:30.123456' AS DATETIME(6)) AS dt, CAST('-12:34:56.5' AS TIME(1)) AS t, \
        DATE '1999-12-31' AS d, 12.345 AS m, x'00ff' AS bl, NULL AS n
        """

    static let literalSelectDateTime = MySQLDateTime(
        year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30, microsecond: 123_456)!

    /// The parameters of the first execution of `literalSelectSQL`.
    static var literalSelectFirstParameters: [any MySQLEncodable] {
        [42, "héllo", nil as String?, 2.5, literalSelectDateTime, UInt64.max]
    }

    /// 2024-02-29 13:45:30.5 UTC.
    static let fixedDate = Date(timeIntervalSince1970: 1_709_214_330.5)

    static let typesTableSQL = """
        CREATE TEMPORARY TABLE fixture_ps (id INT AUTO_INCREMENT PRIMARY KEY, i INT, u BIGINT UNSIGNED, \
        d DOUBLE, m DECIMAL(10,3), s VARCHAR(20), dt DATETIME(6), t TIME, day DATE, b BLOB, n VARCHAR(5))
        """

    /// Prepare, execute twice, close: parameters of every common type in, binary rows of every
    /// common column type out; INSERTs through `execute` report affected rows and insert ids.
    static func prepareExecuteClose(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)

        // Literals and echoed parameters, executed twice with different values.
        let select = try await connection.prepare(literalSelectSQL)
        #expect(select.parameterCount == 6)
        #expect(
            select.columns.map(\.name) == [
                "p_int", "p_str", "p_null", "p_double", "p_datetime", "p_u64", "dt", "t", "d", "m", "bl", "n",
            ])
        var rows = try await select.query(literalSelectFirstParameters).collect()
        #expect(rows.count == 1)
        if let row = rows.first {
            #expect(row.batch.format == .binary)
            #expect(try row.decode(Int.self, at: 0) == 42)
            #expect(try row.decode(String.self, at: 1) == "héllo")
            #expect(try row.decode(String?.self, at: 2) == nil)
            #expect(try row.decode(Double.self, at: 3) == 2.5)
            #expect(try row.decode(MySQLDateTime.self, at: 4) == literalSelectDateTime)
            #expect(try row.decode(UInt64.self, at: 5) == UInt64.max)
            try expectLiteralColumns(row)
        }
        rows = try await select.query([-7, "", nil as Int?, -0.001, fixedDate, UInt64(0)]).collect()
        #expect(rows.count == 1)
        if let row = rows.first {
            #expect(try row.decode(Int.self, at: 0) == -7)
            #expect(try row.decode(String.self, at: 1) == "")
            #expect(row.isNull(at: 2))
            #expect(try row.decode(Double.self, at: 3) == -0.001)
            #expect(try row.decode(Date.self, at: 4) == fixedDate)
            #expect(
                try row.decode(MySQLDateTime.self, at: 4)
                    == MySQLDateTime(
                        year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30, microsecond: 500_000))
            #expect(try row.decode(UInt64.self, at: 5) == 0)
            try expectLiteralColumns(row)
        }
        try await select.close()

        // A table with INT, BIGINT UNSIGNED, DOUBLE, DECIMAL, VARCHAR, DATETIME(6), TIME, DATE,
        // BLOB and a nullable VARCHAR: INSERT twice through execute, SELECT twice.
        try await connection.execute(typesTableSQL)
        let insert = try await connection.prepare(
            "INSERT INTO fixture_ps (i, u, d, m, s, dt, t, day, b, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        #expect(insert.parameterCount == 10)
        #expect(insert.columns.isEmpty)
        let first = try await insert.execute([
            -2_147_483_648, UInt64.max, 6.02e23, MySQLDecimal("-1234.567")!, "ünïcode ✓",
            MySQLDateTime(year: 2000, month: 1, day: 1, microsecond: 1)!,
            MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59)!,
            MySQLDate(year: 2024, month: 2, day: 29)!,
            [0x00, 0x01, 0xFE, 0xFF] as [UInt8], nil as String?,
        ])
        #expect(first.affectedRows == 1)
        #expect(first.lastInsertID == 1)
        let second = try await insert.execute([
            2_147_483_647, UInt64(0), 0.5, MySQLDecimal("0.001")!, "", fixedDate,
            MySQLTime(hours: 0, minutes: 0, seconds: 1)!, MySQLDate(year: 1000, month: 1, day: 1)!, [] as [UInt8], "x",
        ])
        #expect(second.affectedRows == 1)
        #expect(second.lastInsertID == 2)
        try await insert.close()

        let table = try await connection.prepare(
            "SELECT id, i, u, d, m, s, dt, t, day, b, n FROM fixture_ps WHERE id >= ? ORDER BY id")
        rows = try await table.query([1]).collect()
        #expect(rows.count == 2)
        if rows.count == 2 {
            let (id, i, u, d) = try rows[0].decode((Int, Int32, UInt64, Double).self)
            #expect(id == 1 && i == Int32.min && u == UInt64.max && d == 6.02e23)
            #expect(try rows[0].decode(MySQLDecimal.self, at: 4) == MySQLDecimal("-1234.567"))
            #expect(try rows[0].decode(String.self, at: 5) == "ünïcode ✓")
            #expect(
                try rows[0].decode(MySQLDateTime.self, at: 6)
                    == MySQLDateTime(year: 2000, month: 1, day: 1, microsecond: 1))
            #expect(
                try rows[0].decode(MySQLTime.self, at: 7)
                    == MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59))
            #expect(try rows[0].decode(MySQLDate.self, at: 8) == MySQLDate(year: 2024, month: 2, day: 29))
            #expect(try rows[0].decode([UInt8].self, at: 9) == [0x00, 0x01, 0xFE, 0xFF])
            #expect(try rows[0].decode(String?.self, at: 10) == nil)

            let (id2, i2, u2, d2) = try rows[1].decode((Int, Int, UInt64, Double).self)
            #expect(id2 == 2 && i2 == 2_147_483_647 && u2 == 0 && d2 == 0.5)
            #expect(try rows[1].decode(MySQLDecimal.self, at: 4) == MySQLDecimal("0.001"))
            #expect(try rows[1].decode(String.self, at: 5) == "")
            #expect(try rows[1].decode(Date.self, at: 6) == fixedDate)
            #expect(try rows[1].decode(MySQLTime.self, at: 7) == MySQLTime(hours: 0, minutes: 0, seconds: 1))
            #expect(try rows[1].decode(MySQLDate.self, at: 8) == MySQLDate(year: 1000, month: 1, day: 1))
            #expect(try rows[1].decode([UInt8].self, at: 9) == [])
            #expect(try rows[1].decode(String?.self, at: 10) == "x")
        }
        rows = try await table.query([2]).collect()
        #expect(rows.count == 1)
        #expect(try rows.first?.decode(Int.self, at: 0) == 2)
        try await table.close()
        #expect(table.isClosed)
        await connection.close()
    }

    /// The literal columns of `literalSelectSQL` (indexes 6...11).
    static func expectLiteralColumns(_ row: MySQLRow, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(
            try row.decode(MySQLDateTime.self, at: 6) == literalSelectDateTime, sourceLocation: sourceLocation)
        let time = try row.decode(MySQLTime.self, at: 7)
        #expect(
            time == MySQLTime(isNegative: true, hours: 12, minutes: 34, seconds: 56, microseconds: 500_000),
            sourceLocation: sourceLocation)
        #expect(time.description == "-12:34:56.5", sourceLocation: sourceLocation)
        #expect(
            try row.decode(MySQLDate.self, at: 8) == MySQLDate(year: 1999, month: 12, day: 31),
            sourceLocation: sourceLocation)
        #expect(try row.decode(MySQLDecimal.self, at: 9) == MySQLDecimal("12.345"), sourceLocation: sourceLocation)
        #expect(try row.decode(String.self, at: 9) == "12.345", sourceLocation: sourceLocation)
        #expect(try row.decode([UInt8].self, at: 10) == [0x00, 0xFF], sourceLocation: sourceLocation)
        #expect(row.isNull(at: 11), sourceLocation: sourceLocation)
    }

    // MARK: prepared-cursor-fetch

    static let cursorSQL = "SELECT seq FROM seq_1_to_10 WHERE seq > ?"

    /// A read-only cursor fetched 3 rows at a time; a second execution left after one row;
    /// a query and a third execution in sync afterwards; COM_STMT_RESET; COM_STMT_CLOSE.
    /// Recorded with `rowBufferHighWaterBytes=1`: rows the consumer has not taken hold the
    /// next COM_STMT_FETCH back, so the fetches sent do not depend on how fast the consumer is.
    static func preparedCursorFetch(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let stmt = try await connection.prepare(cursorSQL)
        #expect(stmt.parameterCount == 1)
        var seen: [UInt64] = []
        for try await row in try await stmt.query([0], fetchSize: 3) {
            seen.append(try row.decode(UInt64.self, at: 0))
        }
        #expect(seen == Array(1...10))

        // Left after the first row: the cursor's remaining rows are never fetched.
        var firstOnly: [UInt64] = []
        do {
            let rows = try await stmt.query([0], fetchSize: 3)
            for try await row in rows {
                firstOnly.append(try row.decode(UInt64.self, at: 0))
                break
            }
        }
        #expect(firstOnly == [1])

        // In sync: a text query, then the statement again (the server closes the old cursor).
        let text = try await connection.query("SELECT 'in sync' AS s").collect()
        #expect(try text.first?.decode(String.self, at: 0) == "in sync")
        let tail = try await stmt.query([8], fetchSize: 3).collect()
        #expect(try tail.map { try $0.decode(UInt64.self, at: 0) } == [9, 10])

        try await stmt.reset()
        try await stmt.close()
        await connection.close()
    }

    // MARK: prepared-long-data

    static let longBlobCount = 3_000_000
    /// MD5 of `longBlob` (hashlib): the server reads the same bytes back.
    static let longBlobMD5 = "989f19ca1fe9ea53f0db2382b6bc453a"
    static let longText = String(repeating: "ü", count: 700)
    static let longTextMD5 = "0166527bcb8dbcc7065e5f274f31e3dd"

    /// 3,000,000 bytes in runs of 4096 equal bytes (so the recorder writes the three 1 MiB
    /// parts as short `xx*4096` runs).
    static var longBlob: [UInt8] {
        (0..<longBlobCount).map { UInt8(truncatingIfNeeded: ($0 / 4096) &* 37) }
    }

    /// `longDataThreshold=1000`: a 3 MB blob goes in three COM_STMT_SEND_LONG_DATA parts and a
    /// 1400-byte text in one, ahead of COM_STMT_EXECUTE; LENGTH and MD5 read back.
    static func preparedLongData(_ configuration: MySQLConfiguration) async throws {
        #expect(configuration.longDataThreshold == 1000)
        let connection = try await MySQLConnection.connect(configuration: configuration)
        try await connection.execute("CREATE TEMPORARY TABLE fixture_long (id INT PRIMARY KEY, b LONGBLOB, t TEXT)")
        let insert = try await connection.prepare("INSERT INTO fixture_long VALUES (?, ?, ?)")
        let inserted = try await insert.execute([1, longBlob, longText])
        #expect(inserted.affectedRows == 1)
        try await insert.close()
        let rows = try await connection.query(
            "SELECT LENGTH(b), MD5(b), CHAR_LENGTH(t), LENGTH(t), MD5(t) FROM fixture_long WHERE id = \(1)"
        ).collect()
        #expect(rows.count == 1)
        if let row = rows.first {
            #expect(try row.decode(Int.self, at: 0) == longBlobCount)
            #expect(try row.decode(String.self, at: 1) == longBlobMD5)
            #expect(try row.decode(Int.self, at: 2) == 700)
            #expect(try row.decode(Int.self, at: 3) == 1400)
            #expect(try row.decode(String.self, at: 4) == longTextMD5)
        }
        await connection.close()
    }

    // MARK: interpolated-query-cache

    /// `statementCacheSize=1`: an interpolated query prepared once and executed twice; a second
    /// SQL text evicts it (COM_STMT_CLOSE after its result); the first again evicts the second.
    static func interpolatedQueryCache(_ configuration: MySQLConfiguration) async throws {
        #expect(configuration.statementCacheSize == 1)
        let connection = try await MySQLConnection.connect(configuration: configuration)
        var rows = try await connection.query("SELECT \(1) + \(2) AS sum").collect()
        #expect(try rows.first?.decode(Int.self, at: 0) == 3)
        rows = try await connection.query("SELECT \(40) + \(2) AS sum").collect()
        #expect(try rows.first?.decode(Int.self, at: 0) == 42)
        #expect(await connection.cachedStatementSQL == ["SELECT ? + ? AS sum"])

        rows = try await connection.query("SELECT \(6) * \(7) AS product").collect()
        #expect(try rows.first?.decode(Int.self, at: 0) == 42)
        #expect(await connection.cachedStatementSQL == ["SELECT ? * ? AS product"])

        rows = try await connection.query("SELECT \(-1) + \(1) AS sum").collect()
        #expect(try rows.first?.decode(Int.self, at: 0) == 0)
        #expect(await connection.cachedStatementSQL == ["SELECT ? + ? AS sum"])
        await connection.close()
    }

    // MARK: prepare-error

    /// COM_STMT_PREPARE refused: a syntax error (1064), a missing table (1146, explicit and
    /// through the statement cache); the connection stays usable.
    static func prepareError(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let syntax = await Replay.expectMySQLError { try await connection.prepare("SELEC 1") }
        #expect(syntax?.kind == .server(code: 1064, sqlState: "42000"))
        let missing = await Replay.expectMySQLError {
            try await connection.prepare("SELECT * FROM no_such_table WHERE id = ?")
        }
        #expect(missing?.kind == .server(code: 1146, sqlState: "42S02"))
        let cached = await Replay.expectMySQLError {
            try await connection.query("SELECT \(1) FROM no_such_table")
        }
        #expect(cached?.kind == .server(code: 1146, sqlState: "42S02"))
        #expect(await connection.cachedStatementSQL.isEmpty, "a failed prepare is not cached")
        #expect(await !connection.isClosed)

        let echo = try await connection.prepare("SELECT ? AS echo")
        let rows = try await echo.query(["still here"]).collect()
        #expect(try rows.first?.decode(String.self, at: 0) == "still here")
        try await echo.close()
        let text = try await connection.query("SELECT 'in sync'").collect()
        #expect(try text.first?.decode(String.self, at: 0) == "in sync")
        await connection.close()
    }
}

/// Replays of the recorded prepared-statement fixtures (Docs/Fixtures.md). Their names join
/// `ReplayTests.replayed` through `ReplayBadInputTests.fixtures`.
@Suite("ReplayPrepared", .timeLimit(.minutes(1)))
struct ReplayPreparedTests {
    static let fixtures: Set<String> = [
        "prepare-execute-close", "prepared-cursor-fetch", "prepared-long-data", "interpolated-query-cache",
        "prepare-error",
    ]

    @Test(
        "prepare-execute-close: parameters of the common types in, binary rows of the common column types out, insert ids"
    )
    func prepareExecuteClose() async throws {
        try await Replay.play("prepare-execute-close", ReplayScenario.prepareExecuteClose)
    }

    @Test("prepared-cursor-fetch: COM_STMT_FETCH of 3 rows, a cursor left early, COM_STMT_RESET")
    func preparedCursorFetch() async throws {
        try await Replay.play("prepared-cursor-fetch", ReplayScenario.preparedCursorFetch)
    }

    @Test("prepared-long-data: a 3 MB blob in three COM_STMT_SEND_LONG_DATA parts")
    func preparedLongData() async throws {
        try await Replay.play("prepared-long-data", ReplayScenario.preparedLongData)
    }

    @Test("interpolated-query-cache: one prepare for two executions, eviction closes the statement")
    func interpolatedQueryCache() async throws {
        try await Replay.play("interpolated-query-cache", ReplayScenario.interpolatedQueryCache)
    }

    @Test("prepare-error: ERR 1064 and 1146 answer COM_STMT_PREPARE, the connection goes on")
    func prepareError() async throws {
        try await Replay.play("prepare-error", ReplayScenario.prepareError)
    }
}
