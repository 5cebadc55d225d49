extension MySQLPool {
    /// How many connections, how long they live, and how the pool waits.
    public struct Options: Sendable {
        /// Connections kept open even when idle (opened by `run()`).
        public var minimumConnections = 0
        /// Connections open at most; acquires beyond wait in line.
        public var maximumConnections = 10
        /// An idle connection above the minimum is closed after this long unused; nil keeps it.
        public var idleTimeout: Duration? = .seconds(60)
        /// A connection is closed (and replaced on demand) once this old; nil: no limit. Keep it
        /// below the server's `wait_timeout`.
        public var maximumLifetime: Duration? = .seconds(30 * 60)
        /// How long an acquire waits for a connection before failing with `.timeout`; nil waits
        /// until one is free (or the task is cancelled).
        public var acquireTimeout: Duration? = .seconds(30)
        /// Idle connections are pinged this often (a broken one is replaced before anyone gets
        /// it); nil: no pings.
        public var keepAliveInterval: Duration? = .seconds(30)
        /// When a released connection gets COM_RESET_CONNECTION.
        public var resetOnRelease = ResetPolicy.whenDirty

        public init() {}

        func validate() throws(MySQLError) {
            guard maximumConnections >= 1 else {
                throw MySQLError(.invalidUsage, "MySQLPool.Options: maximumConnections must be at least 1")
            }
            guard minimumConnections >= 0, minimumConnections <= maximumConnections else {
                throw MySQLError(
                    .invalidUsage, "MySQLPool.Options: minimumConnections must be between 0 and maximumConnections")
            }
            for (name, value) in [
                ("idleTimeout", idleTimeout), ("maximumLifetime", maximumLifetime), ("acquireTimeout", acquireTimeout),
                ("keepAliveInterval", keepAliveInterval),
            ] {
                if let value, value <= .zero {
                    throw MySQLError(.invalidUsage, "MySQLPool.Options: \(name) must be positive or nil")
                }
            }
        }
    }

    /// When a connection coming back to the pool is reset with COM_RESET_CONNECTION, which
    /// rolls back an open transaction and clears session variables, temporary tables, user
    /// locks and prepared statements (so it also empties the connection's statement cache).
    public enum ResetPolicy: Sendable, Equatable {
        /// Every time: each borrower starts from a fresh session, at a round trip per release
        /// and re-preparing cached statements.
        case always
        /// When the session may have changed: a transaction is still open, or the server
        /// reported a session-state change (`SET`, `USE`, ... of tracked state; MySQL and
        /// MariaDB track system variables, the schema and, with
        /// `session_track_state_change=ON`, user variables and temporary tables).
        case whenDirty
        /// Never: the borrower is responsible for leaving the session as it found it.
        case never
    }

    /// A snapshot of the pool's connections and waiters.
    public struct Metrics: Sendable, Equatable, CustomStringConvertible {
        /// Connections open or being opened.
        public var open: Int
        /// Open and not lent out.
        public var idle: Int
        /// Lent out (or being pinged or reset).
        public var inUse: Int
        /// Being opened.
        public var connecting: Int
        /// Acquires waiting for a connection.
        public var waiters: Int

        public var description: String {
            "open \(open) (idle \(idle), in use \(inUse), connecting \(connecting)), waiters \(waiters)"
        }
    }
}
