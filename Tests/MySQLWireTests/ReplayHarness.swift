import Foundation
import MySQLWire
import Synchronization
import Testing

/// Runs a real `MySQLConnection` against a `FakeServer` that plays a fixture.
enum Replay {
    /// Connection attributes of every recording and replay. Fixed here (not the library's
    /// defaults, which name the library version and the CPU architecture) so the recorded
    /// handshake response is the same on every machine and after every version bump.
    static let connectionAttributes: [(key: String, value: String)] = [
        ("_client_name", "MySQLWire"),
        ("_client_version", "fixture"),
    ]

    /// MYSQLWIRE_REPLAY_VERBOSE=1 prints every expected error and the fake server's notes.
    static let verbose = ProcessInfo.processInfo.environment["MYSQLWIRE_REPLAY_VERBOSE"] == "1"

    static func log(_ message: @autoclosure () -> String) {
        if verbose { print("[replay] \(message())") }
    }

    /// Connect and read deadlines of replays: short, so a wrong client fails fast.
    static let ioTimeout: Duration = .seconds(10)
    /// A whole replay test (connect, commands, the fake server's end) never takes longer.
    static let testTimeLimit: Duration = .seconds(45)

    /// The client configuration a fixture was recorded with: its credentials, its
    /// `# client:` options, the fixed attributes and short deadlines.
    static func configuration(
        port: Int, credentials: FixtureFile.Credentials, clientOptions: [String: String]
    ) -> MySQLConfiguration {
        var configuration = MySQLConfiguration(
            host: "127.0.0.1", port: port, username: credentials.user, password: credentials.password,
            database: credentials.database)
        configuration.connectionAttributes = connectionAttributes
        configuration.connectTimeout = ioTimeout
        configuration.readTimeout = ioTimeout
        configuration.multiStatements = clientOptions["multiStatements"] == "true"
        // Most fixtures were recorded before MARIADB_CLIENT_CACHE_METADATA was asked for.
        configuration.cacheMetadata = clientOptions["cacheMetadata"] == "true"
        // RSA key exchange on plain TCP: ask the server for its public key.
        configuration.allowPublicKeyRetrieval = clientOptions["allowPublicKeyRetrieval"] == "true"
        // Fixtures hold plain-text conversations: replay them without TLS unless one says otherwise.
        configuration.tls.mode = MySQLTLSConfiguration.Mode(rawValue: clientOptions["tls"] ?? "DISABLED") ?? .disabled
        // Prepared statements: the long-data threshold, the statement cache, and the row buffer
        // (whose high-water mark decides when a cursor's next COM_STMT_FETCH is sent).
        if let value = clientOptions["longDataThreshold"].flatMap({ Int($0) }) {
            configuration.longDataThreshold = value
        }
        if let value = clientOptions["statementCacheSize"].flatMap({ Int($0) }) {
            configuration.statementCacheSize = value
        }
        if let value = clientOptions["rowBufferHighWaterBytes"].flatMap({ Int($0) }) {
            configuration.rowBufferHighWaterBytes = value
        }
        return configuration
    }

    /// Plays `Fixtures/<name>.fixture` to `body`, which connects with the configuration it
    /// is given, and records an issue for every difference the fake server saw.
    static func play(
        _ name: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: @escaping @Sendable (MySQLConfiguration) async throws -> Void
    ) async throws {
        let fixture = try FixtureFile.load(name)
        let server = try FakeServer(fixture: fixture, ioTimeout: ioTimeout)
        server.start()
        let configuration = configuration(
            port: server.port, credentials: fixture.credentials, clientOptions: fixture.clientOptions)
        var bodyError: (any Error)?
        do {
            try await bounded(testTimeLimit) { try await body(configuration) }
        } catch {
            bodyError = error
        }
        let failures = await server.finish(within: ioTimeout + .seconds(5))
        for note in server.notes { log("\(name): \(note)") }
        for failure in failures {
            Issue.record("\(name).fixture: \(failure)", sourceLocation: sourceLocation)
        }
        if let bodyError {
            if !failures.isEmpty {
                // The client went off script; its error is a consequence, say so.
                Issue.record(
                    "\(name).fixture: the client then failed with \(bodyError)", sourceLocation: sourceLocation)
                return
            }
            throw bodyError
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var limit: Duration
        var description: String { "the replay did not finish within \(limit) (a hang in the client?)" }
    }

    /// Runs `body` in its own task and gives up after `limit`, even if the body waits on
    /// something that ignores cancellation (the task is then abandoned, not awaited).
    static func bounded(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let gate = Gate()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            gate.arm(continuation)
            let work = Task {
                do {
                    try await body()
                    gate.open(.success(()))
                } catch {
                    gate.open(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled {
                    work.cancel()
                    gate.open(.failure(TimedOut(limit: limit)))
                }
            }
            gate.onOpen { timer.cancel() }
        }
    }

    /// Resumes a continuation once, from whichever side comes first.
    private final class Gate: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, any Error>?
            var pending: Result<Void, any Error>?
            var onOpen: (@Sendable () -> Void)?
            var opened = false
        }
        private let state = Mutex(State())

        func arm(_ continuation: CheckedContinuation<Void, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func onOpen(_ action: @escaping @Sendable () -> Void) {
            let runNow = state.withLock { state -> Bool in
                if state.opened { return true }
                state.onOpen = action
                return false
            }
            if runNow { action() }
        }

        func open(_ result: Result<Void, any Error>) {
            let (continuation, action) = state.withLock {
                state -> (CheckedContinuation<Void, any Error>?, (@Sendable () -> Void)?) in
                guard !state.opened else { return (nil, nil) }
                state.opened = true
                defer {
                    state.continuation = nil
                    state.onOpen = nil
                }
                return (state.continuation, state.onOpen)
            }
            continuation?.resume(with: result)
            action?()
        }
    }
}

/// Assertions shared by the replay tests.
extension Replay {
    /// Runs `operation` and returns the `MySQLError` it throws; records an issue when it
    /// succeeds or throws something else.
    @discardableResult
    static func expectMySQLError<T>(
        sourceLocation: SourceLocation = #_sourceLocation, _ operation: () async throws -> T
    ) async -> MySQLError? {
        do {
            _ = try await operation()
            Issue.record("expected a MySQLError, but the operation succeeded", sourceLocation: sourceLocation)
            return nil
        } catch let error as MySQLError {
            log("expected error: \(error)")
            return error
        } catch {
            Issue.record("expected a MySQLError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The connection is unusable: `isClosed` is set and a further query fails with
    /// `.connectionClosed`.
    static func expectClosed(_ connection: MySQLConnection, sourceLocation: SourceLocation = #_sourceLocation) async {
        #expect(
            await connection.isClosed, "the connection should be closed after a fatal error",
            sourceLocation: sourceLocation)
        let error = await expectMySQLError(sourceLocation: sourceLocation) { try await connection.query("SELECT 1") }
        #expect(
            error?.kind == .connectionClosed, "a query on a broken connection: \(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    /// The rows of the current result set as raw values (nil for NULL).
    static func values(_ rows: MySQLRows) async throws -> [[[UInt8]?]] {
        var result: [[[UInt8]?]] = []
        for try await row in rows {
            result.append((0..<row.count).map { row.bytes(at: $0).map(Array.init) })
        }
        return result
    }

    /// Reads rows until the end or an error; returns what arrived and the error.
    static func valuesUntilError(_ rows: MySQLRows) async -> (values: [[[UInt8]?]], error: (any Error)?) {
        var result: [[[UInt8]?]] = []
        do {
            for try await row in rows {
                result.append((0..<row.count).map { row.bytes(at: $0).map(Array.init) })
            }
            return (result, nil)
        } catch {
            log("rows ended after \(result.count) row(s) with: \(error)")
            return (result, error)
        }
    }

    static func text(_ string: String) -> [UInt8]? { Array(string.utf8) }
}
