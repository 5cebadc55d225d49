import MySQLWireProtocol
import Synchronization

/// What a pool needs to know about a connection without a hop to its event loop: whether it
/// is closed, and whether its session may differ from a fresh one (an open transaction, or a
/// session-state change the server reported). Written on the loop, read from any thread.
final class ConnectionHealth: Sendable {
    private let closed = Atomic<Bool>(false)
    /// The server status of the last OK or EOF.
    private let lastStatus = Atomic<UInt16>(0)
    /// Set when any OK reported SERVER_SESSION_STATE_CHANGED; cleared by `markClean()`.
    private let sessionChanged = Atomic<Bool>(false)

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Inside a transaction at the end of the last command.
    var isInTransaction: Bool { lastStatus.load(ordering: .relaxed) & MySQLServerStatus.inTransaction.rawValue != 0 }

    /// Whether the session may differ from a fresh one (see the type's comment).
    var isDirty: Bool { sessionChanged.load(ordering: .relaxed) || isInTransaction }

    func markClosed() { closed.store(true, ordering: .releasing) }

    func note(_ status: MySQLServerStatus) {
        lastStatus.store(status.rawValue, ordering: .relaxed)
        if status.contains(.sessionStateChanged) { sessionChanged.store(true, ordering: .relaxed) }
    }

    /// After COM_RESET_CONNECTION, or when a pool hands the connection out.
    func markClean() {
        sessionChanged.store(false, ordering: .relaxed)
        lastStatus.store(0, ordering: .relaxed)
    }
}
