import Foundation
import MySQLWireIO
import Testing

@testable import MySQLWire

/// Shutting down an event loop while its connections are still in use: the work in flight ends
/// with a clear error instead of waiting forever for events that will not come.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveLoopShutdownTests {
    @Test(.timeLimit(.minutes(1)))
    func shuttingDownTheLoopEndsAQueryInFlight() async throws {
        let group = try EventLoopGroup(numberOfThreads: 1)
        var configuration = LiveServer.configuration()
        configuration.eventLoop = group.loops[0]
        let conn = try await MySQLConnection.connect(configuration: configuration)
        let running = Task { try await conn.query("SELECT SLEEP(10)").collect() }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        group.shutdown()
        do {
            _ = try await running.value
            Issue.record("the query outlived its event loop")
        } catch let error as MySQLError {
            #expect(error.kind == .connectionClosed, "\(error)")
            #expect(error.message.contains("event loop was shut down"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        // Later requests and connects on the stopped loop fail at once.
        await #expect(throws: MySQLError.self) { _ = try await conn.query("SELECT 1").collect() }
        await #expect(throws: MySQLError.self) { _ = try await MySQLConnection.connect(configuration: configuration) }
        await #expect(throws: MySQLError.self) { try await conn.ping() }
        await #expect(throws: MySQLError.self) { try await conn.resetConnection() }
        await conn.close()  // returns: the loop is gone, the connection already closed
        #expect(conn.health.isClosed)
    }
}
