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

    /// A request is running or queued (kept on the loop; read by a pool on release).
    private let busy = Atomic<Bool>(false)

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Work is still running or queued: a borrower left a result draining.
    var isBusy: Bool { busy.load(ordering: .acquiring) }

    func noteBusy() { busy.store(true, ordering: .relaxed) }

    func noteIdle() {
        if busy.load(ordering: .relaxed) { busy.store(false, ordering: .releasing) }
    }

    /// Inside a transaction at the end of the last command.
    var isInTransaction: Bool { lastStatus.load(ordering: .relaxed) & MySQLServerStatus.inTransaction.rawValue != 0 }

    /// Whether the session may differ from a fresh one (see the type's comment).
    var isDirty: Bool { sessionChanged.load(ordering: .relaxed) || isInTransaction }

    func markClosed() { closed.store(true, ordering: .releasing) }

    func note(_ status: MySQLServerStatus) {
        lastStatus.store(status.rawValue, ordering: .relaxed)
        if status.contains(.sessionStateChanged) { sessionChanged.store(true, ordering: .relaxed) }
    }

    /// The session changed in a way the server does not report (a pending one-shot
    /// `SET TRANSACTION`): a pool resets it before the next borrower.
    func markDirty() { sessionChanged.store(true, ordering: .relaxed) }

    /// After COM_RESET_CONNECTION, or when a pool hands the connection out.
    func markClean() {
        sessionChanged.store(false, ordering: .relaxed)
        lastStatus.store(0, ordering: .relaxed)
    }
}
