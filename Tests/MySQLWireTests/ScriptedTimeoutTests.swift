import Foundation
import Testing

@testable import MySQLWire

/// Timeouts against servers MariaDB cannot play (Tests/ReferenceServer/scripted_server.py).
@Suite struct ScriptedTimeoutTests {
    /// `writeTimeout` against a server that logs in and then reads nothing
    /// (`--scenario stall-after-login`).
    @Test(.timeLimit(.minutes(1)))
    func aServerThatStopsReadingEndsTheRequestByTheWriteTimeout() async throws {
        let server = try await ScriptedServer(scenario: "stall-after-login")
        defer { server.stop() }
        var configuration = server.configuration
        configuration.writeTimeout = .milliseconds(500)
        let conn = try await MySQLConnection.connect(configuration: configuration)
        // 32 MiB of SQL: far more than the socket buffers hold while nobody reads.
        let sql = "SELECT '" + String(repeating: "x", count: 32 << 20) + "'"
        let started = ContinuousClock.now
        do {
            try await conn.execute(sql)
            Issue.record("the request was written to a server that reads nothing")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message.contains("write timeout"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await conn.isClosed)
        #expect(server.log.contents.contains("stalling"), "\(server.log.contents)")
    }

    /// MySQL's SLEEP() returns 1 when KILL QUERY interrupts it (MariaDB fails with 1317): after
    /// `queryTimeout` that 1 must come back as the timeout, not as the query's value
    /// (`--scenario killed-sleep-returns-1`).
    @Test(.timeLimit(.minutes(1)))
    func aKilledSleepThatReturnsOneReportsTheTimeout() async throws {
        let server = try await ScriptedServer(scenario: "killed-sleep-returns-1")
        defer { server.stop() }
        var configuration = server.configuration
        configuration.queryTimeout = .milliseconds(300)
        let conn = try await MySQLConnection.connect(configuration: configuration)
        let started = ContinuousClock.now
        do {
            let rows = try await conn.query("SELECT SLEEP(5)").collect()
            Issue.record("SELECT SLEEP(5) returned \(try rows.map { try $0.decode(Int.self, at: 0) }), not the timeout")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message.contains("queryTimeout"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(server.log.contents.contains("KILL QUERY 4242"), "\(server.log.contents)")
        #expect(server.log.contents.contains("interrupted: returns 1"), "\(server.log.contents)")
        await conn.close()
    }
}
