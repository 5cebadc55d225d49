import MySQLWireProtocol
import Synchronization

/// A statement prepared on one connection (COM_STMT_PREPARE). Execute it any number of times
/// with new parameter values — one COM_STMT_EXECUTE round trip each — and `close()` it when
/// done. Rows come in the binary protocol and decode exactly as text rows do.
///
/// ```swift
/// let stmt = try await conn.prepare("SELECT name FROM customers WHERE id = ?")
/// for try await row in try await stmt.query([42]) { print(try row.decode(String.self, at: 0)) }
/// try await stmt.close()
/// ```
public final class MySQLStatement: Sendable {
    public let connection: MySQLConnection
    public let sql: String
    /// The server's id for the statement on this connection.
    public let statementID: UInt32
    /// One definition per `?` placeholder.
    public let parameters: [MySQLColumn]
    /// The result columns as known at prepare time (an execution's own rows carry the
    /// columns of that execution, which differ after an ALTER TABLE).
    public let columns: MySQLColumns
    private let closed = Atomic<Bool>(false)

    init(connection: MySQLConnection, sql: String, description: PreparedStatementDescription) {
        self.connection = connection
        self.sql = sql
        self.statementID = description.statementID
        self.parameters = description.parameters
        self.columns = description.columns
    }

    /// The number of `?` placeholders: how many values each execution binds.
    public var parameterCount: Int { parameters.count }

    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Executes the statement with `parameters` (one per `?`, in order; `nil` optionals are
    /// NULL) and returns its rows as they arrive. With `fetchSize`, the server keeps the result
    /// in a read-only cursor and sends `fetchSize` rows per COM_STMT_FETCH as the rows are
    /// consumed, so a huge result streams in fixed memory on both sides.
    public nonisolated(nonsending) func query(
        _ parameters: [any MySQLEncodable] = [], fetchSize: Int? = nil
    ) async throws -> MySQLRows {
        try check(parameters)
        if let fetchSize, fetchSize < 1 {
            throw MySQLError(.invalidUsage, "fetchSize must be at least 1 (or nil for no cursor)")
        }
        return try await connection.runStatement(
            sql: sql, statementID: statementID, parameters: parameters, fetchSize: fetchSize, discardAll: false)
    }

    /// Executes the statement for its outcome: affected rows, last insert id, warnings.
    @discardableResult
    public nonisolated(nonsending) func execute(_ parameters: [any MySQLEncodable] = []) async throws -> MySQLResult {
        try check(parameters)
        return try await connection.executeStatement(sql: sql, statementID: statementID, parameters: parameters)
    }

    /// COM_STMT_RESET: closes the statement's open cursor and discards long data sent for it.
    public func reset() async throws {
        try check(nil)
        try await connection.resetStatement(statementID)
    }

    /// COM_STMT_CLOSE: frees the statement on the server. Later use throws; idempotent.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        connection.closeStatement(statementID)
    }

    private func check(_ values: [any MySQLEncodable]?) throws(MySQLError) {
        if isClosed {
            throw MySQLError(
                .invalidUsage, "the statement is closed (close() was called); prepare it again: \(sql.prefix(100))")
        }
        if let values, let error = MySQLConnection.parameterCountError(parameters.count, values.count, sql) {
            throw error
        }
    }
}
