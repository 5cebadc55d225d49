import MySQLWireProtocol

/// Prepared statements: explicit ones (`prepare`) and the cached ones behind queries with
/// bound parameters.
extension MySQLConnection {
    /// Runs `query`: with bound values as a prepared statement (binary protocol; prepared once
    /// per connection and kept in the statement cache), without them as COM_QUERY.
    public nonisolated(nonsending) func query(_ query: MySQLQuery) async throws -> MySQLRows {
        if query.bindings.isEmpty { return try await self.query(query.sql) }
        return try await runStatement(
            sql: query.sql, statementID: nil, parameters: query.bindings, fetchSize: nil, discardAll: false)
    }

    /// Runs `query` (see `query(_:)`) for its outcome only: affected rows, last insert id.
    @discardableResult
    public nonisolated(nonsending) func execute(_ query: MySQLQuery) async throws -> MySQLResult {
        if query.bindings.isEmpty { return try await self.execute(query.sql) }
        return try await executeStatement(sql: query.sql, statementID: nil, parameters: query.bindings)
    }

    /// Prepares `sql` (COM_STMT_PREPARE) on this connection. The statement lives until
    /// `close()`, `resetConnection()` or the connection's end; it is not in the statement cache.
    public nonisolated(nonsending) func prepare(_ sql: String) async throws -> MySQLStatement {
        let description: PreparedStatementDescription = try await withUnsafeThrowingContinuation { continuation in
            // Unsafe rather than checked (as in waitOnLoop): the request resumes it exactly once,
            // from the loop, or here when the request cannot be queued.
            enqueueFromAnyThread(
                .prepare(PrepareRequest(sql: sql, continuation)),
                ifStopped: { continuation.resume(throwing: Self.loopStopped) })
        }
        return MySQLStatement(connection: self, sql: sql, description: description)
    }

    /// Executes a prepared statement (explicit when `statementID` is set, else the cached one
    /// for `sql`) and returns its rows as they arrive.
    nonisolated(nonsending) func runStatement(
        sql: String, statementID: UInt32?, parameters: [any MySQLEncodable], fetchSize: Int?, discardAll: Bool
    ) async throws -> MySQLRows {
        let stream = QueryStream(
            sql: sql, discardAll: discardAll,
            execution: StatementExecution(statementID: statementID, parameters: parameters, fetchSize: fetchSize))
        try await waitOnLoop(for: stream, enqueueFirst: true) { connection, stream, continuation in
            connection.installHeaderWaiter(stream, continuation)
        }
        return MySQLRows(connection: self, stream: stream)
    }

    /// Executes a prepared statement (as `runStatement`) for its outcome only.
    nonisolated(nonsending) func executeStatement(
        sql: String, statementID: UInt32?, parameters: [any MySQLEncodable]
    ) async throws -> MySQLResult {
        let stream = QueryStream(
            sql: sql, discardAll: true,
            execution: StatementExecution(statementID: statementID, parameters: parameters, fetchSize: nil))
        return try await waitOnLoop(for: stream, enqueueFirst: true) { connection, stream, continuation in
            connection.installCompletionWaiter(stream, continuation)
        }
    }

    /// COM_STMT_RESET for an explicit statement.
    func resetStatement(_ statementID: UInt32) async throws {
        try checkOpen()
        _ = try await withCheckedThrowingContinuation(isolation: self) { continuation in
            do {
                try enqueue(.simple(SimpleCommand(.stmtReset, argument: nil, statementID: statementID, continuation)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Queues COM_STMT_CLOSE (no reply; nothing to wait for). On a closed connection the
    /// server has already dropped the statement.
    nonisolated func closeStatement(_ statementID: UInt32) {
        onLoop(statementID) { connection, id in
            guard connection.closedError == nil else { return }
            try? connection.enqueue(.closeStatement(id))
        }
    }

    /// The SQL texts in the statement cache, most recently used first (for tests).
    var cachedStatementSQL: [String] { statementCache.sqlByRecency }
}
