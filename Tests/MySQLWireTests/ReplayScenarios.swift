import Foundation
import MySQLWire
import Testing

/// What the client does in each recorded fixture. The same function drives the recording
/// (against the real server, through `Scripts/record`) and the replay (against `FakeServer`),
/// so the client sends the same bytes both times; the `#expect`s hold in both.
enum ReplayScenario {
    static let all: [String: @Sendable (MySQLConfiguration) async throws -> Void] = [
        "handshake-native-auth": handshakeNativeAuth,
        "wrong-password": wrongPassword,
        "simple-query": simpleQuery,
        "empty-result": emptyResult,
        "several-rows": severalRows,
        "multi-result": multiResult,
        "execute-and-ping": executeAndPing,
        "query-error": queryError,
        "large-row-16mib": largeRow16MiB,
        "auth-switch": authSwitch,
        // Prepared statements (ReplayScenarios+Prepared.swift).
        "prepare-execute-close": prepareExecuteClose,
        "prepared-cursor-fetch": preparedCursorFetch,
        "prepared-long-data": preparedLongData,
        "interpolated-query-cache": interpolatedQueryCache,
        "prepare-error": prepareError,
        // Served by Tests/ReferenceServer/sha2_server.py (ReferenceServerTests.swift replays them).
        "ref-csha2-fast-auth": referenceCSHA2FastAuth,
        "ref-csha2-full-auth-rsa": referenceCSHA2,
        "ref-sha256-rsa": referenceSHA256,
        "ref-switch-native-to-csha2-rsa": referenceCSHA2,
    ]

    /// Log in, COM_QUIT.
    static func handshakeNativeAuth(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        #expect(await connection.serverVersion.hasPrefix("10.11."))
        #expect(await connection.connectionID > 0)
        #expect(await !connection.isClosed)
        await connection.close()
        #expect(await connection.isClosed)
    }

    /// The server refuses the password: ERR 1045 (28000), then closes.
    static func wrongPassword(_ configuration: MySQLConfiguration) async throws {
        let error = await Replay.expectMySQLError { try await MySQLConnection.connect(configuration: configuration) }
        #expect(error?.kind == .server(code: 1045, sqlState: "28000"))
        #expect(error?.message.contains("Access denied") == true)
        #expect(error?.message.contains(configuration.password) == false, "a message must never show the password")
    }

    static let simpleQuerySQL = """
        SELECT 42 AS i, -7.25 AS d, 'héllo' AS s, NULL AS n, DATE '2024-02-29' AS dt, 1.5e0 AS f, x'00ff' AS b \
        UNION ALL SELECT 9223372036854775807, 0.5, '', 'not null', DATE '1999-12-31', -0.001e0, x''
        """

    /// Two rows of seven columns: integer, decimal, UTF-8 text, NULL, date, double, binary.
    static func simpleQuery(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let rows = try await connection.query(simpleQuerySQL)
        let columns = await rows.columns
        #expect(columns.definitions.map(\.name) == ["i", "d", "s", "n", "dt", "f", "b"])
        let values = try await Replay.values(rows)
        #expect(
            values == [
                [
                    Replay.text("42"), Replay.text("-7.25"), Replay.text("héllo"), nil, Replay.text("2024-02-29"),
                    Replay.text("1.5"), [0x00, 0xFF],
                ],
                [
                    Replay.text("9223372036854775807"), Replay.text("0.50"), [], Replay.text("not null"),
                    Replay.text("1999-12-31"), Replay.text("-0.001"), [],
                ],
            ])
        let result = await rows.result
        #expect(result?.affectedRows == 0)
        #expect(result?.warningCount == 0)
        #expect(try await rows.nextResultSet() == false)
        await connection.close()
    }

    /// A SELECT that matches nothing: column definitions, no rows.
    static func emptyResult(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let rows = try await connection.query("SELECT 1 AS one, 'x' AS two FROM DUAL WHERE 1 = 0")
        #expect(await rows.columns.definitions.map(\.name) == ["one", "two"])
        #expect(try await Replay.values(rows).isEmpty)
        #expect(await rows.result != nil)
        await connection.close()
    }

    static let severalRowsSQL =
        "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n, CONCAT('row-', n) AS label FROM r"

    /// Five rows of two columns (the source of the derived mid-result fixtures).
    static func severalRows(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let rows = try await connection.query(severalRowsSQL)
        #expect(await rows.columns.definitions.map(\.name) == ["n", "label"])
        let values = try await Replay.values(rows)
        #expect(values == (1...5).map { [Replay.text("\($0)"), Replay.text("row-\($0)")] })
        await connection.close()
    }

    /// multiStatements: two result sets and an OK (`DO 1`).
    static func multiResult(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let rows = try await connection.query("SELECT 1; SELECT 'a','b'; DO 1")
        #expect(try await Replay.values(rows) == [[Replay.text("1")]])
        #expect(await rows.result?.status.contains(.moreResultsExist) == true)
        #expect(try await rows.nextResultSet() == true)
        #expect(await rows.columns.count == 2)
        #expect(try await Replay.values(rows) == [[Replay.text("a"), Replay.text("b")]])
        #expect(try await rows.nextResultSet() == true)
        #expect(await rows.columns.count == 0, "DO 1 returns an OK, no columns")
        #expect(try await Replay.values(rows).isEmpty)
        #expect(await rows.result?.status.contains(.moreResultsExist) == false)
        #expect(try await rows.nextResultSet() == false)
        // The connection is in sync afterwards.
        try await connection.ping()
        await connection.close()
    }

    /// execute(): affected rows, last insert id, info; COM_PING.
    static func executeAndPing(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let created = try await connection.execute(
            "CREATE TEMPORARY TABLE fixture_t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(8))")
        #expect(created.affectedRows == 0)
        let inserted = try await connection.execute("INSERT INTO fixture_t (v) VALUES ('a'), ('b'), ('c')")
        #expect(inserted.affectedRows == 3)
        #expect(inserted.lastInsertID == 1)
        #expect(inserted.info == "Records: 3  Duplicates: 0  Warnings: 0")
        let updated = try await connection.execute("UPDATE fixture_t SET v = 'z' WHERE id >= 2")
        #expect(updated.affectedRows == 2)
        #expect(updated.info == "Rows matched: 2  Changed: 2  Warnings: 0")
        try await connection.ping()
        await connection.close()
    }

    /// A server error leaves the connection usable.
    static func queryError(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let error = await Replay.expectMySQLError { try await connection.query("SELECT * FROM no_such_table") }
        #expect(error?.kind == .server(code: 1146, sqlState: "42S02"))
        #expect(await !connection.isClosed)
        let rows = try await connection.query("SELECT 'still here'")
        #expect(try await Replay.values(rows) == [[Replay.text("still here")]])
        await connection.close()
    }

    static let largeRowLength = 17_000_000

    /// One value of 17,000,000 bytes: the row spans two physical packets and starts with 0xFE.
    static func largeRow16MiB(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        let rows = try await connection.query("SELECT REPEAT('x', \(unescaped: String(largeRowLength))) AS big")
        var count = 0
        for try await row in rows {
            count += 1
            let value = row.bytes(at: 0)
            #expect(value?.count == largeRowLength)
            // memcmp, not allSatisfy: a per-byte closure over 17 MB takes seconds in a debug build.
            let expected = [UInt8](repeating: UInt8(ascii: "x"), count: largeRowLength)
            let same = value.map { value in
                value.withUnsafeBytes { actual in
                    expected.withUnsafeBytes { memcmp(actual.baseAddress!, $0.baseAddress!, largeRowLength) == 0 }
                }
            }
            #expect(same == true, "every byte of the value is 'x'")
        }
        #expect(count == 1)
        await connection.close()
    }

    /// Greeting with caching_sha2_password, switch to mysql_native_password with a new nonce,
    /// OK, COM_QUIT (served by Tests/ReferenceServer/scripted_server.py).
    static func authSwitch(_ configuration: MySQLConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        #expect(await connection.serverVersion == "8.0.36-scripted")
        #expect(await connection.serverInfo?.authPluginName == "mysql_native_password")
        await connection.close()
    }
}

/// Logins served by Tests/ReferenceServer/sha2_server.py: log in, `SELECT 1` (one LONGLONG
/// column `1`, one row '1'), COM_QUIT. The RSA ones need `# client: allowPublicKeyRetrieval=true`.
extension ReplayScenario {
    /// caching_sha2_password fast auth (`01 03`): the scramble of the greeting nonce.
    static func referenceCSHA2FastAuth(_ configuration: MySQLConfiguration) async throws {
        try await referenceSelectOne(configuration, plugin: "caching_sha2_password")
    }

    /// caching_sha2_password full auth (`01 04`) with RSA: from the greeting, or after a switch
    /// from mysql_native_password with a new nonce.
    static func referenceCSHA2(_ configuration: MySQLConfiguration) async throws {
        try await referenceSelectOne(configuration, plugin: "caching_sha2_password")
    }

    /// sha256_password with RSA: the key request `01` in the handshake response.
    static func referenceSHA256(_ configuration: MySQLConfiguration) async throws {
        try await referenceSelectOne(configuration, plugin: "sha256_password")
    }

    static func referenceSelectOne(_ configuration: MySQLConfiguration, plugin: String) async throws {
        let connection = try await MySQLConnection.connect(configuration: configuration)
        #expect(await connection.serverVersion == "8.0.36-reference")
        #expect(await connection.serverInfo?.authPluginName == plugin)
        let rows = try await connection.query("SELECT 1")
        #expect(await rows.columns.definitions.map(\.name) == ["1"])
        #expect(try await Replay.values(rows) == [[Replay.text("1")]])
        await connection.close()
    }
}

/// Drives one scenario against a live server through `Scripts/record`, to (re)record a
/// fixture. Skipped unless MYSQLWIRE_RECORD_PORT is set; see Docs/Fixtures.md.
@Suite("ReplayRecording")
struct ReplayRecordingClient {
    static let environment = ProcessInfo.processInfo.environment

    @Test(
        "drive MYSQLWIRE_RECORD_SCENARIO through the recorder at MYSQLWIRE_RECORD_PORT",
        .enabled(if: environment["MYSQLWIRE_RECORD_PORT"] != nil))
    func record() async throws {
        let environment = Self.environment
        let name = try #require(environment["MYSQLWIRE_RECORD_SCENARIO"], "set MYSQLWIRE_RECORD_SCENARIO")
        let port = try #require(environment["MYSQLWIRE_RECORD_PORT"].flatMap { Int($0) })
        let scenario = try #require(ReplayScenario.all[name], "unknown scenario \(name)")
        let credentials = try FixtureFile.parseCredentials(
            environment["MYSQLWIRE_RECORD_CREDENTIALS"] ?? "", file: "MYSQLWIRE_RECORD_CREDENTIALS")
        let options = try FixtureFile.parseKeyValues(
            environment["MYSQLWIRE_RECORD_CLIENT"] ?? "", file: "MYSQLWIRE_RECORD_CLIENT")
        var configuration = Replay.configuration(port: port, credentials: credentials, clientOptions: options)
        // A live server may be slower than a replay.
        configuration.connectTimeout = .seconds(30)
        configuration.readTimeout = .seconds(30)
        try await scenario(configuration)
    }
}
