/// The isolation level of one transaction (`SET TRANSACTION ISOLATION LEVEL`).
public enum MySQLIsolationLevel: String, Sendable, CaseIterable {
    case readUncommitted = "READ UNCOMMITTED"
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension MySQLConnection {
    /// Runs `body` in a transaction: `START TRANSACTION` (`READ ONLY` if asked, at `isolation`
    /// if given — for this transaction only), then `COMMIT` when `body` returns, or `ROLLBACK`
    /// when it throws or the task was cancelled (the error is rethrown; cancellation throws
    /// `.cancelled`). If the rollback itself fails the connection is closed, since the
    /// transaction's state is then unknown. Do not nest: use `withSavepoint` inside.
    public nonisolated(nonsending) func withTransaction<T>(
        isolation: MySQLIsolationLevel? = nil, readOnly: Bool = false, _ body: (MySQLConnection) async throws -> T
    ) async throws -> T {
        if let isolation {
            // `MySQLQuery(literal)` would bind the interpolation: the SQL is built first.
            let sql = "SET TRANSACTION ISOLATION LEVEL " + isolation.rawValue
            try await execute(MySQLQuery(sql))
        }
        let start = readOnly ? "START TRANSACTION READ ONLY" : "START TRANSACTION"
        do {
            try await execute(MySQLQuery(start))
        } catch {
            // The one-shot isolation level would apply to whatever transaction comes next
            // (a pool's next borrower): the session is no longer a fresh one.
            if isolation != nil { health.markDirty() }
            throw error
        }
        let result = try await run(body, rollingBackTo: nil)
        if Task.isCancelled {
            let error = MySQLError(
                .cancelled, "the task was cancelled inside withTransaction; the transaction was rolled back")
            await rollBack(to: nil, after: error)
            throw error
        }
        // Not cancellable: a cancellation arriving now would leave the transaction open (COMMIT
        // refused before it is sent) or send a KILL at a COMMIT, whose outcome is then unknown.
        _ = try await execute("COMMIT", cancellable: false)
        return result
    }

    /// Runs `body` between `SAVEPOINT name` and `RELEASE SAVEPOINT name` inside a transaction;
    /// when `body` throws, `ROLLBACK TO SAVEPOINT name` undoes only its work and the error is
    /// rethrown (the transaction goes on).
    public nonisolated(nonsending) func withSavepoint<T>(
        _ name: String = "mysqlwire_savepoint", _ body: (MySQLConnection) async throws -> T
    ) async throws -> T {
        let quoted = MySQLQuery.quoted(identifier: name)
        let savepoint = "SAVEPOINT " + quoted
        try await execute(MySQLQuery(savepoint))
        let result = try await run(body, rollingBackTo: quoted)
        let release = "RELEASE SAVEPOINT " + quoted
        try await execute(MySQLQuery(release))
        return result
    }

    /// `body`, rolled back (to the savepoint, or the whole transaction) when it throws.
    private nonisolated(nonsending) func run<T>(
        _ body: (MySQLConnection) async throws -> T, rollingBackTo savepoint: String?
    ) async throws -> T {
        do {
            return try await body(self)
        } catch {
            await rollBack(to: savepoint, after: error)
            throw error
        }
    }

    /// ROLLBACK (to a savepoint) after `body` failed; when that fails too, the transaction's
    /// state is unknown and the connection is closed.
    private nonisolated(nonsending) func rollBack(to savepoint: String?, after error: any Error) async {
        do {
            let sql = savepoint.map { "ROLLBACK TO SAVEPOINT " + $0 } ?? "ROLLBACK"
            // Runs even when the task was cancelled: that is often why we roll back.
            _ = try await execute(sql, cancellable: false)
        } catch {
            await closeAfterFailedRollback(error)
        }
    }

    private func closeAfterFailedRollback(_ error: any Error) async {
        guard closedError == nil else { return }
        logger.debug("rollback failed; closing the connection", metadata: ["error": "\(error)"])
        await close()
    }
}
