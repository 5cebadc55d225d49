import Foundation
import Testing

@testable import MySQLWire

/// Multi-statement queries and stored procedures: several result sets, and OUT parameters
/// (a result set flagged SERVER_PS_OUT_PARAMS in the binary protocol).
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveProcedureTests {
    @Test func procedureResultSetsAndOutParameters() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("DROP PROCEDURE IF EXISTS mysqlwire_proc")
        try await conn.execute(
            """
            CREATE PROCEDURE mysqlwire_proc(IN n INT, OUT doubled INT, INOUT label VARCHAR(20))
            BEGIN
              SELECT n AS first;
              SELECT n + 1 AS second, 'x' AS s UNION ALL SELECT n + 2, 'y';
              SET doubled = n * 2;
              SET label = CONCAT(label, '!');
            END
            """)
        // Text protocol: the result sets, then the final OK; OUT values through user variables.
        try await conn.execute("SET @d = 0, @l = 'hi'")
        let rows = try await conn.query("CALL mysqlwire_proc(20, @d, @l)")
        #expect(try await rows.collect().map { try $0.decode(Int.self, at: 0) } == [20])
        #expect(try await rows.nextResultSet())
        #expect(try await rows.collect().map { try $0.decode(Int.self, at: 0) } == [21, 22])
        #expect(try await rows.nextResultSet())  // the CALL's own status
        #expect(try await rows.collect().isEmpty)
        #expect(try await !rows.nextResultSet())
        let vars = try await conn.query("SELECT @d, @l").collect()[0]
        #expect(try vars.decode(Int.self, at: 0) == 40)
        #expect(try vars.decode(String.self, at: 1) == "hi!")

        // Binary protocol: OUT and INOUT parameters come back as one more result set.
        let statement = try await conn.prepare("CALL mysqlwire_proc(?, ?, ?)")
        let binary = try await statement.query([5, 0, "yo"])
        #expect(try await binary.collect().map { try $0.decode(Int.self, at: 0) } == [5])
        #expect(try await binary.nextResultSet())
        #expect(try await binary.collect().map { try $0.decode(Int.self, at: 0) } == [6, 7])
        #expect(try await binary.nextResultSet())
        let out = try await binary.collect()
        #expect(out.count == 1)
        if let first = out.first {
            #expect(try first.decode(Int.self, at: 0) == 10)
            #expect(try first.decode(String.self, at: 1) == "yo!")
        }
        // Then the CALL's own status, and the end. (Result sets not read hold the connection
        // while `binary` is alive, as with any multi-result query.)
        #expect(try await binary.nextResultSet())
        #expect(try await binary.collect().isEmpty)
        #expect(try await !binary.nextResultSet())
        try await statement.close()
        try await conn.execute("DROP PROCEDURE mysqlwire_proc")
        await conn.close()
    }
}
