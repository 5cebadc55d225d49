import Foundation

@testable import MySQLWire

/// Tests/ReferenceServer/scripted_server.py running one scenario on a free port, its stderr
/// captured; stopped by `stop()`.
final class ScriptedServer: Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ReferenceServer/scripted_server.py").path

    let port: Int
    let log = OutputFile()
    private let process: Process

    /// Starts the scenario and waits for its "listening" line (a probe connection would use up
    /// one of the connections the scenario serves).
    init(scenario: String, timeoutSeconds: Int = 5) async throws {
        port = try ReferenceServer.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.script, "--listen", "127.0.0.1:\(port)", "--scenario", scenario, "--timeout",
            String(timeoutSeconds),
        ]
        process.standardError = log.handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while !log.contents.contains("listening on"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The configuration its login accepts (plaintext only).
    var configuration: MySQLConfiguration {
        var configuration = MySQLConfiguration(
            host: "127.0.0.1", port: port, username: "mysqlwire", password: "mysqlwire-pass")
        configuration.tls = .disabled
        return configuration
    }

    func stop() {
        // SIGKILL: a child started from a thread that blocks signals (as the test runner's do)
        // inherits the blocked SIGTERM of `terminate()` and would linger until its own timeout.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        log.remove()
    }
}
