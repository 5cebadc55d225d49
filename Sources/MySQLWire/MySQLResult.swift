/// The outcome of a statement that returns no rows (or of the end of a result set).
public struct MySQLResult: Sendable, Equatable {
    public var affectedRows: UInt64
    public var lastInsertID: UInt64
    public var warningCount: UInt16
    public var status: MySQLServerStatus
    /// The server's human-readable info (e.g. "Rows matched: 1  Changed: 1  Warnings: 0").
    public var info: String

    init(_ ok: OKPacket) {
        affectedRows = ok.affectedRows
        lastInsertID = ok.lastInsertID
        warningCount = ok.warnings
        status = ok.status
        info = ok.info
    }
}
