import Foundation
import Testing

@testable import MySQLWire

/// `writeTimeout` against a server that logs in and then reads nothing
/// (Tests/ReferenceServer/scripted_server.py --scenario stall-after-login).
@Suite struct WriteTimeoutTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ReferenceServer/scripted_server.py").path

    @Test(.timeLimit(.minutes(1)))
    func aServerThatStopsReadingEndsTheRequestByTheWriteTimeout() async throws {
        let port = try ReferenceServer.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.script, "--listen", "127.0.0.1:\(port)", "--scenario", "stall-after-login", "--timeout",
            "5",
        ]
        let log = OutputFile()
        defer { log.remove() }
        process.standardError = log.handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        // The server serves one connection: wait for its "listening" line, not a probe.
        let deadline = ContinuousClock.now + .seconds(10)
        while !log.contents.contains("listening on"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }

        var configuration = MySQLConfiguration(
            host: "127.0.0.1", port: port, username: "mysqlwire", password: "mysqlwire-pass")
        configuration.tls = .disabled
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
        #expect(log.contents.contains("stalling"), "\(log.contents)")
    }
}
