/// What the IO layer must do after feeding an event to the state machine.
public enum ConnectionAction {
    case none
    /// Write these framed bytes.
    case write([UInt8])
    /// Write these framed bytes (the SSLRequest), then run the TLS handshake on the socket and
    /// call `tlsEstablished()`.
    case startTLS([UInt8])
    /// Authentication finished: the connection is ready for commands.
    case established(ServerInfo)
    /// A result set of the current query begins with these columns.
    case resultSetStarted(MySQLColumns)
    /// Rows of the current result set, to pass to its consumer.
    case deliverRows(RowBatch)
    /// The current result set (or a result without rows) ended. `rows` are the last rows not
    /// yet delivered. When `moreResults` is false the command is complete.
    case resultSetEnded(rows: RowBatch?, ok: OKPacket, moreResults: Bool)
    /// A read-only cursor is open and waits for COM_STMT_FETCH (`fetchRows`); `rows` are the
    /// rows of the fetch that just ended, if any.
    case cursorFetchNeeded(rows: RowBatch?)
    /// COM_STMT_PREPARE succeeded.
    case statementPrepared(PreparedStatementDescription)
    /// A simple command (ping, init db, reset) succeeded.
    case commandSucceeded(OKPacket)
    /// The current command failed; the connection remains usable.
    case commandFailed(MySQLError)
    /// The connection failed: close the socket without further writes, fail everything.
    case closeWithError(MySQLError)
    /// Write these bytes (COM_QUIT), then close the socket.
    case writeAndClose([UInt8])
}
