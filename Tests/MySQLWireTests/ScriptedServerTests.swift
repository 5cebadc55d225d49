import Foundation
import Testing

@testable import MySQLWire

/// Timeouts and hostile flows against servers MariaDB cannot play
/// (Tests/ReferenceServer/scripted_server.py).
@Suite struct ScriptedServerTests {
    /// `writeTimeout` against a server that logs in and then reads nothing
    /// (`--scenario stall-after-login`).
    @Test(.timeLimit(.minutes(1)))
    func aServerThatStopsReadingEndsTheRequestByTheWriteTimeout() async throws {
        // It stalls for up to 30 s: building 32 MiB of SQL in a debug build under load is slow.
        let server = try await ScriptedServer(scenario: "stall-after-login", timeoutSeconds: 30)
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
        do {
            let rows = try await conn.query("SELECT SLEEP(5)").collect()
            Issue.record("SELECT SLEEP(5) returned \(try rows.map { try $0.decode(Int.self, at: 0) }), not the timeout")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message.contains("queryTimeout"), "\(error)")
        }
        #expect(server.log.contents.contains("KILL QUERY 4242"), "\(server.log.contents)")
        #expect(server.log.contents.contains("interrupted: returns 1"), "\(server.log.contents)")
        await conn.close()
    }

    /// The KILL QUERY connection is refused (a full server): nothing else would stop the
    /// statement, so the connection is closed and the caller gets its timeout at once
    /// (`--scenario kill-refused`).
    @Test(.timeLimit(.minutes(1)))
    func aRefusedKillClosesTheConnectionWithTheTimeout() async throws {
        let server = try await ScriptedServer(scenario: "kill-refused")
        defer { server.stop() }
        var configuration = server.configuration
        configuration.queryTimeout = .milliseconds(300)
        let conn = try await MySQLConnection.connect(configuration: configuration)
        do {
            _ = try await conn.query("SELECT SLEEP(5)").collect()
            Issue.record("SELECT SLEEP(5) was not stopped")
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message.contains("KILL QUERY could not be sent"), "\(error)")
            #expect(error.message.contains("Too many connections"), "\(error)")
        }
        #expect(await conn.isClosed)
        #expect(server.log.contents.contains("refusing connection 1"), "\(server.log.contents)")
    }

    /// A server that stops answering must not hold the pool's keep-alive ping (and so its
    /// housekeeping and `shutdown()`) forever: the ping closes the connection after the connect
    /// timeout (`--scenario stall-after-login`).
    @Test(.timeLimit(.minutes(1)))
    func aSilentServerDoesNotHoldThePoolsKeepAlive() async throws {
        let server = try await ScriptedServer(scenario: "stall-after-login")
        defer { server.stop() }
        var configuration = server.configuration
        configuration.connectTimeout = .seconds(2)  // also the ping's limit (no readTimeout set)
        var options = MySQLPool.Options()
        options.maximumConnections = 1
        options.keepAliveInterval = .milliseconds(100)
        let pool = try MySQLPool(configuration: configuration, options: options)
        try await pool.withConnection { _ in }  // opens the connection; it is idle afterwards
        let runner = Task { try await pool.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while pool.metrics.open > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(pool.metrics.open == 0, "\(pool.metrics)")
        let started = ContinuousClock.now
        await pool.shutdown()
        try await runner.value
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    /// Plain-text bytes after a greeting that offers TLS would frame the decrypted stream
    /// (STARTTLS injection): the client refuses to start TLS with them buffered
    /// (`--scenario tls-injection`).
    @Test(.timeLimit(.minutes(1)))
    func bytesAfterTheGreetingStopTheTLSUpgrade() async throws {
        let server = try await ScriptedServer(scenario: "tls-injection")
        defer { server.stop() }
        var configuration = server.configuration
        configuration.tls = .required
        configuration.connectTimeout = .seconds(5)
        do {
            let conn = try await MySQLConnection.connect(configuration: configuration)
            await conn.close()
            Issue.record("connected through a greeting followed by injected bytes")
        } catch let error as MySQLError {
            #expect(error.kind == .protocolViolation, "\(error)")
            #expect(error.message.contains("before the TLS handshake"), "\(error)")
        }
    }

    /// A TLS peer that vanishes without close_notify (OpenSSL 3 calls that an SSL error) is a
    /// closed connection to the caller, not a TLS failure (`--scenario tls-then-drop`).
    @Test(.timeLimit(.minutes(1)))
    func aTLSPeerThatDropsIsAClosedConnection() async throws {
        let material = try ReferenceServer.material.get()
        let server = try await ScriptedServer(
            scenario: "tls-then-drop", extraArguments: ["--cert", material.tlsCertificate, "--key", material.tlsKey])
        defer { server.stop() }
        var configuration = server.configuration
        configuration.tls = .required
        do {
            let conn = try await MySQLConnection.connect(configuration: configuration)
            await conn.close()
            Issue.record("logged in to a server that dropped the connection")
        } catch let error as MySQLError {
            #expect(error.kind == .connectionClosed, "\(error)")
        }
        #expect(server.log.contents.contains("dropping the connection"), "\(server.log.contents)")
    }
}
