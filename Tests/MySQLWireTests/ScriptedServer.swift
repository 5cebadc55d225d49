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

    /// Starts the scenario on a port the server picks itself (a port picked here and then
    /// bound by the server could be taken by a parallel test in between) and waits for its
    /// "listening on HOST:PORT" line.
    init(scenario: String, timeoutSeconds: Int = 5, extraArguments: [String] = []) async throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", Self.script, "--listen", "127.0.0.1:0", "--scenario", scenario, "--timeout",
                String(timeoutSeconds),
            ] + extraArguments
        process.standardError = log.handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        var found: Int?
        while found == nil, ContinuousClock.now < deadline {
            found = Self.listeningPort(in: log.contents)
            if found == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let found else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw MySQLError(.invalidUsage, "scripted_server.py did not start: \(log.contents)")
        }
        port = found
    }

    private static func listeningPort(in log: String) -> Int? {
        guard let range = log.range(of: "listening on 127.0.0.1:") else { return nil }
        let rest = log[range.upperBound...]
        let digits = rest.prefix { $0.isNumber }
        // Only a whole line: the number may still be being written.
        guard rest.dropFirst(digits.count).first == "\n" else { return nil }
        return Int(digits)
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
