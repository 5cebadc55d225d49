import DequeModule
import Logging
import MySQLWireIO

/// One connection to a MySQL or MariaDB server.
///
/// The connection is an actor whose executor is its event loop: its state, its socket and
/// its protocol state machine live on that one thread, so reading, parsing and handing rows
/// over need no lock. Requests from any task are queued and run one at a time, in order.
/// Code isolated to the connection (`withIsolation`) or running on its loop
/// (`withTaskExecutorPreference(connection.eventLoop.taskExecutor)`) calls it without a thread hop.
public actor MySQLConnection {
    public nonisolated let eventLoop: EventLoop
    public nonisolated var unownedExecutor: UnownedSerialExecutor { eventLoop.asUnownedSerialExecutor() }

    let configuration: MySQLConfiguration
    var logger: Logger
    /// The logger's level, read once: asking the handler copies it, which the per-packet and
    /// per-query paths should not pay for. (The level is the handler's, fixed when it was given.)
    let logsDebug: Bool
    let logsTrace: Bool
    var machine: ConnectionStateMachine
    var decoder: PacketDecoder
    var socket: Socket?
    var ioHandler: ConnectionIOHandler?
    var outbound: [UInt8] = []
    var outboundIndex = 0
    var interest: IOInterest = []
    var readingPaused = false
    var tls = TLSState.off
    var tlsHandshakeWantsWritable = false
    var tlsCrossCall = false
    var processingHeld = false

    var queue: Deque<Request> = []
    /// Statements prepared for queries with bound parameters, by SQL text.
    var statementCache: StatementCache
    var current: Request?
    var closedError: MySQLError?
    var connectWaiter: CheckedContinuation<Void, any Error>?
    var connectDeadline: Deadline?
    var readTimer: TimerID?
    /// Armed while part of a request waits in `outbound` for the socket (`writeTimeout`).
    var writeTimer: TimerID?
    /// The most row bytes ever buffered for a consumer (tests check backpressure with it).
    var peakBufferedRowBytes = 0
    /// KILL QUERY commands under way on side connections; the next request waits for them.
    var killsInFlight = 0
    /// Closed and session flags, readable without a hop (for `MySQLPool`).
    nonisolated let health = ConnectionHealth()

    /// Set once authentication succeeded.
    public internal(set) var serverInfo: ServerInfo?

    /// The server's id for this connection (`CONNECTION_ID()`), 0 before login.
    public var connectionID: UInt32 { serverInfo?.connectionID ?? 0 }
    /// The server's version string, without MariaDB's `5.5.5-` prefix.
    public var serverVersion: String { serverInfo?.flavor.version ?? "" }
    /// The TLS protocol and cipher ("TLSv1.3 TLS_AES_256_GCM_SHA384"), nil on a plain connection.
    public var tlsDescription: String? { tls == .established ? socket?.tlsDescription : nil }
    /// Whether `close()` was called or the connection failed.
    public var isClosed: Bool { closedError != nil }

    /// Both payloads are single class references: the enum's layout is then fixed at compile
    /// time. (A `CheckedContinuation` payload, a resilient type, made every `if case` on the
    /// current request a runtime call.)
    enum Request: Sendable {
        case query(QueryStream)
        case simple(SimpleCommand)
        case prepare(PrepareRequest)
        /// COM_STMT_CLOSE: written, never answered.
        case closeStatement(UInt32)
    }

    final class PrepareRequest: Sendable {
        let sql: String
        let continuation: UnsafeContinuation<PreparedStatementDescription, any Error>

        init(sql: String, _ continuation: UnsafeContinuation<PreparedStatementDescription, any Error>) {
            self.sql = sql
            self.continuation = continuation
        }
    }

    final class SimpleCommand: Sendable {
        let code: CommandCode
        let argument: String?
        /// For COM_STMT_RESET.
        let statementID: UInt32
        let continuation: CheckedContinuation<OKPacket, any Error>

        init(
            _ code: CommandCode, argument: String?, statementID: UInt32 = 0,
            _ continuation: CheckedContinuation<OKPacket, any Error>
        ) {
            self.code = code
            self.argument = argument
            self.statementID = statementID
            self.continuation = continuation
        }
    }

    init(configuration: MySQLConfiguration, settings: ConnectionSettings, eventLoop: EventLoop, logger: Logger) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.logsDebug = logger.logLevel <= .debug
        self.logsTrace = logger.logLevel <= .trace
        self.machine = ConnectionStateMachine(settings: settings)
        self.statementCache = StatementCache(capacity: configuration.statementCacheSize)
        self.decoder = PacketDecoder(maxPacketSize: configuration.maxPacketSize)
    }

    /// Opens a connection and logs in. The connect timeout covers name resolution, TCP
    /// connect, TLS and authentication.
    public static func connect(
        configuration: MySQLConfiguration,
        logger: Logger = Logger(label: "mysqlwire", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> MySQLConnection {
        try configuration.validate()
        let settings = try configuration.resolvedSettings()
        let loop = configuration.eventLoop ?? EventLoopGroup.shared.next()
        let deadline = Deadline.now() + configuration.connectTimeout
        let endpoint: SocketEndpoint
        switch configuration.endpoint {
        case .tcp(let host, let port): endpoint = .tcp(host: host, port: port)
        case .unixSocket(let path): endpoint = .unix(path: path)
        }
        let socket: Socket
        do {
            socket = try await Socket.connect(to: endpoint, deadline: deadline, on: loop)
        } catch {
            throw MySQLError(transport: error, during: "connect")
        }
        let connection = MySQLConnection(
            configuration: configuration, settings: settings, eventLoop: loop, logger: logger)
        try await connection.start(socket: socket, deadline: deadline)
        return connection
    }

    deinit {
        if let socket, !socket.isClosed, let fd = Optional(socket.fd) {
            let loop = eventLoop
            loop.execute {
                loop.deregister(fd)
                socket.close()
            }
        }
    }

    /// Runs `body` isolated to this connection, that is on its event loop thread. Queries
    /// issued and rows iterated inside pay no executor switch at all: the fastest way to run
    /// many statements or to stream a large result on one connection.
    public func withIsolation<T: Sendable>(
        _ body: @Sendable (isolated MySQLConnection) async throws -> T
    ) async rethrows -> T {
        try await body(self)
    }

    // MARK: Public commands

    /// Runs SQL through COM_QUERY (text protocol) and returns its rows as they arrive.
    /// A statement without a result set gives an empty `MySQLRows` whose `result` is set.
    /// (A string literal picks `query(_: MySQLQuery)`, where interpolated values are bound.)
    @_disfavoredOverload
    public nonisolated(nonsending) func query(_ sql: String) async throws -> MySQLRows {
        let stream = QueryStream(sql: sql, discardAll: false)
        // On the loop thread (its task executor, or isolated to this connection) no hop at all;
        // elsewhere one hop to the loop, and one back when the header arrives.
        try await waitOnLoop(for: stream, enqueueFirst: true) { connection, stream, continuation in
            connection.installHeaderWaiter(stream, continuation)
        }
        return MySQLRows(connection: self, stream: stream)
    }

    /// Runs SQL that returns no rows (or whose rows are not wanted) and returns the outcome:
    /// affected rows, last insert id, warnings. With several statements, the last one's.
    @discardableResult @_disfavoredOverload
    public nonisolated(nonsending) func execute(_ sql: String) async throws -> MySQLResult {
        try await execute(sql, cancellable: true)
    }

    /// `cancellable: false` runs even in a cancelled task (ROLLBACK after a cancellation).
    nonisolated(nonsending) func execute(_ sql: String, cancellable: Bool) async throws -> MySQLResult {
        let stream = QueryStream(sql: sql, discardAll: true, cancellable: cancellable)
        return try await waitOnLoop(for: stream, enqueueFirst: true) { connection, stream, continuation in
            connection.installCompletionWaiter(stream, continuation)
        }
    }

    /// COM_PING: checks that the server answers.
    public nonisolated(nonsending) func ping() async throws {
        _ = try await simpleCommand(.ping, argument: nil)
    }

    /// COM_RESET_CONNECTION: rolls back, drops temporary tables, user variables and prepared
    /// statements (the statement cache is emptied; explicit `MySQLStatement`s must be prepared
    /// again), keeps the login.
    public nonisolated(nonsending) func resetConnection() async throws {
        // The statement cache is emptied when the reset is sent (`start`), not now: a request
        // queued before it could otherwise cache a statement the reset then drops.
        _ = try await simpleCommand(.resetConnection, argument: nil)
        health.markClean()
    }

    /// `ping()` for a pool's keep-alive: closes the connection when the server has not
    /// answered within `limit`, so a silent server never holds housekeeping or `shutdown()`.
    func ping(closingAfter limit: Duration) async throws {
        let timer = closeUnlessAnswered(within: limit, "COM_PING")
        defer { eventLoop.cancelTimer(timer) }
        try await ping()
    }

    /// `resetConnection()` for a pool's release, bounded as `ping(closingAfter:)`.
    func resetConnection(closingAfter limit: Duration) async throws {
        let timer = closeUnlessAnswered(within: limit, "COM_RESET_CONNECTION")
        defer { eventLoop.cancelTimer(timer) }
        try await resetConnection()
    }

    private func closeUnlessAnswered(within limit: Duration, _ command: String) -> TimerID {
        eventLoop.scheduleTimer(at: Deadline.now() + limit) { [weak self] in
            self?.onLoopNow((limit, command)) { connection, what in
                connection.shutDown(
                    MySQLError(
                        .timeout,
                        "the server did not answer the pool's \(what.1) within \(what.0); the connection was closed"))
            }
        }
    }

    /// COM_INIT_DB: makes `database` the default database.
    public nonisolated(nonsending) func selectDatabase(_ database: String) async throws {
        _ = try await simpleCommand(.initDB, argument: database)
    }

    /// Sends COM_QUIT and closes the socket. Requests still queued fail with `.connectionClosed`.
    /// Idempotent; returns at once when the connection's event loop has shut down (the
    /// connection was closed then).
    public nonisolated func close() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            // Unsafe: resumed once, by the loop after closing or here when the loop has stopped.
            onLoop(
                continuation,
                { connection, continuation in
                    connection.closeNow()
                    continuation.resume()
                },
                ifStopped: { continuation.resume() })
        }
    }

    /// `close()` on the loop.
    func closeNow() {
        guard closedError == nil else { return }
        logger.debug("closing connection")
        if case .writeAndClose(let quit) = machine.close(), let socket, !socket.isClosed,
            outboundIndex == outbound.count
        {
            // Best effort: the server may already be gone. Skipped when part of a packet is
            // still queued, which COM_QUIT would be spliced into.
            quit.withUnsafeBytes { bytes in
                _ = try? socket.write(bytes)
            }
        }
        shutDown(MySQLError(.connectionClosed, "the connection was closed with close(); open a new connection"))
    }

    /// Queues a command that answers with OK, from any thread; a stopped loop answers with
    /// an error instead of never.
    private nonisolated(nonsending) func simpleCommand(_ code: CommandCode, argument: String?) async throws
        -> OKPacket
    {
        try await withCheckedThrowingContinuation { continuation in
            enqueueFromAnyThread(
                .simple(SimpleCommand(code, argument: argument, continuation)),
                ifStopped: { continuation.resume(throwing: Self.loopStopped) })
        }
    }

    func checkOpen() throws(MySQLError) {
        if let closedError {
            throw MySQLError(
                .connectionClosed, "the connection is closed (\(closedError.message)); open a new connection")
        }
    }
}
