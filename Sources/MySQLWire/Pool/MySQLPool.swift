import Logging
import MySQLWireIO
import ServiceLifecycle
import Synchronization

/// A pool of connections shared by many tasks.
///
/// Each connection runs one request at a time; the pool lends a connection to one task at a
/// time (`withConnection`), opening up to `maximumConnections` and queueing the rest first come,
/// first served. A connection that broke (closed by the server, killed, a failed write) is never
/// lent again: it is checked when it comes back and before it goes out, and idle ones are
/// pinged. Call `run()` (or hand the pool to a swift-service-lifecycle `ServiceGroup`) for the
/// housekeeping: the minimum connections, idle timeout, lifetime and keep-alive.
///
/// All of a pool's connections live on one event loop (`eventLoop`: the configuration's, or
/// one of the shared group's), and `withConnection`, `query`, `execute` and `withTransaction`
/// run on that loop (a task executor preference for the call): waiting for a connection,
/// the query and the hand-over to the next waiter then stay on one thread instead of hopping
/// between the loop and Swift's global executor at every step. Don't block inside `body`: it
/// holds up every connection of the pool. For more throughput than one loop thread gives,
/// run one pool per loop.
///
/// ```swift
/// let pool = try MySQLPool(configuration: config, options: .init())
/// async let _ = pool.run()
/// let name = try await pool.withConnection { conn in
///     try await conn.query("SELECT name FROM customers WHERE id = \(id)").collect().first?.decode(String.self, at: 0)
/// }
/// await pool.shutdown()
/// ```
public final class MySQLPool: Sendable, Service {
    /// The configuration the connections are opened with; its `eventLoop` is the pool's.
    public let configuration: MySQLConfiguration
    public let options: Options
    /// The loop all of the pool's connections and calls run on.
    public let eventLoop: EventLoop
    let logger: Logger

    /// A connection lent out, with its birth date (for the lifetime limit).
    struct Lease: Sendable {
        let connection: MySQLConnection
        let createdAt: ContinuousClock.Instant
    }

    /// What a waiting acquire is resumed with.
    enum Grant: Sendable {
        case connection(Lease)
        /// A slot was reserved for this acquire: open a connection.
        case connect
    }

    typealias Waiter = UnsafeContinuation<Grant, any Error>

    struct Locked {
        var pool: PoolState<MySQLConnection, Waiter>
        /// The acquire-timeout timer task is running.
        var timerRunning = false
        /// `shutdown()` calls waiting for the connections in use to come back.
        var drainWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextDrainWaiterID = 0
    }

    let state: Mutex<Locked>

    /// Checks the options; opens nothing (`run()` opens the minimum, acquires the rest).
    public init(
        configuration: MySQLConfiguration, options: Options = Options(),
        logger: Logger = Logger(label: "mysqlwire.pool", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        try options.validate()
        try configuration.validate()
        var configuration = configuration
        let eventLoop = configuration.eventLoop ?? EventLoopGroup.shared.next()
        configuration.eventLoop = eventLoop
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.options = options
        self.logger = logger
        state = Mutex(
            Locked(pool: PoolState(minimum: options.minimumConnections, maximum: options.maximumConnections)))
    }

    /// The connections and waiters right now.
    public var metrics: Metrics {
        state.withLock { locked in
            let pool = locked.pool
            return Metrics(
                open: pool.open, idle: pool.idle.count, inUse: pool.inUse, connecting: pool.connecting,
                waiters: pool.waiters.count)
        }
    }

    /// Lends a connection to `body` and takes it back when `body` returns or throws. Rows
    /// must be read inside `body`. Waits (up to `acquireTimeout`) when all connections are
    /// lent out; a cancelled task stops waiting with `.cancelled`.
    public nonisolated(nonsending) func withConnection<T>(
        _ body: (MySQLConnection) async throws -> T
    ) async throws -> T {
        try await onPoolLoop {
            let lease = try await acquire()
            do {
                let result = try await body(lease.connection)
                release(lease)
                return result
            } catch {
                release(lease)
                throw error
            }
        }
    }

    /// Runs `body` with the pool's loop as the preferred task executor (see the type's notes).
    nonisolated(nonsending) func onPoolLoop<T>(_ body: () async throws -> T) async throws -> T {
        let executor = eventLoop.taskExecutor.asUnownedTaskExecutor()
        // A task that already prefers the loop (the fast way to use a pool) skips the status
        // record that setting the preference again would push and pop.
        if withUnsafeCurrentTask(body: { $0?.unownedTaskExecutor == executor }) { return try await body() }
        return try await withTaskExecutorPreference(eventLoop.taskExecutor) { try await body() }
    }

    /// Runs `query` on a pooled connection. The connection goes back to the pool when the
    /// returned rows are released (read them, then let them go).
    public nonisolated(nonsending) func query(_ query: MySQLQuery) async throws -> MySQLRows {
        try await onPoolLoop {
            let lease = try await acquire()
            do {
                let rows = try await lease.connection.query(query)
                rows.onRelease = { [self] in release(lease) }
                return rows
            } catch {
                release(lease)
                throw error
            }
        }
    }

    /// Runs SQL on a pooled connection (the text protocol; nothing bound).
    @_disfavoredOverload
    public nonisolated(nonsending) func query(_ sql: String) async throws -> MySQLRows {
        try await query(MySQLQuery(sql))
    }

    /// Runs a statement that returns no rows on a pooled connection.
    @discardableResult
    public nonisolated(nonsending) func execute(_ query: MySQLQuery) async throws -> MySQLResult {
        try await withConnection { try await $0.execute(query) }
    }

    /// Runs SQL that returns no rows on a pooled connection (the text protocol; nothing bound).
    @discardableResult @_disfavoredOverload
    public nonisolated(nonsending) func execute(_ sql: String) async throws -> MySQLResult {
        try await withConnection { try await $0.execute(sql) }
    }

    /// A transaction on one pooled connection: see `MySQLConnection.withTransaction`.
    public nonisolated(nonsending) func withTransaction<T>(
        isolation: MySQLIsolationLevel? = nil, readOnly: Bool = false, _ body: (MySQLConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { conn in
            try await conn.withTransaction(isolation: isolation, readOnly: readOnly) { try await body($0) }
        }
    }
}
