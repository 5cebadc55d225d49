import MySQLWireIO

// Cancelling a running query: `KILL QUERY <id>` sent on a separate, short-lived connection
// (the protocol has no in-band cancel), after which the server ends the statement with error
// 1317 and the connection stays usable. Used for task cancellation and `queryTimeout`.

/// Why a query is being stopped.
enum QueryCancelReason: Sendable {
    case cancelled
    case timedOut(Duration)
    /// Nobody reads the rows any more and the server is still sending them.
    case abandoned
}

extension MySQLConnection {
    /// From a cancellation handler (any thread): stops `stream`'s query if it is still queued
    /// or running.
    nonisolated func cancelFromAnyThread(_ stream: QueryStream) {
        Task { await self.cancel(stream, reason: .cancelled) }
    }

    /// A queued query is taken out of the line; a running one is killed on the server. The
    /// request after it waits until the KILL is done, so the KILL cannot hit it.
    func cancel(_ stream: QueryStream, reason: QueryCancelReason) {
        guard closedError == nil, stream.error == nil, !stream.commandComplete else { return }
        if let index = queue.firstIndex(where: { if case .query(let queued) = $0 { queued === stream } else { false } })
        {
            queue.remove(at: index)
            failStream(stream, Self.cancelError(reason, sent: false))
            return
        }
        guard case .query(let running)? = current, running === stream else {
            // Not queued yet (the cancellation overtook the enqueue): `startWaiting` refuses it.
            if stream.cancelReason == nil { stream.cancelReason = reason }
            return
        }
        guard stream.cancelReason == nil else { return }
        stream.cancelReason = reason
        killRunningQuery(stream)
    }

    private func killRunningQuery(_ stream: QueryStream) {
        killsInFlight += 1
        let target = connectionID
        var configuration = configuration
        configuration.statementCacheSize = 0
        configuration.eventLoop = eventLoop
        // A KILL that gets no answer must not hold this connection's next request forever.
        configuration.readTimeout = configuration.readTimeout ?? configuration.connectTimeout
        configuration.queryTimeout = nil
        let logger = logger
        logger.debug("killing the running query", metadata: ["connection": "\(target)"])
        Task {
            var failure: MySQLError?
            do {
                let killer = try await MySQLConnection.connect(configuration: configuration, logger: logger)
                do {
                    try await killer.execute(MySQLQuery("KILL QUERY " + String(target)))
                } catch {
                    await killer.close()
                    throw error
                }
                await killer.close()
            } catch {
                logger.debug("KILL QUERY failed", metadata: ["error": "\(error)"])
                failure = error as? MySQLError ?? MySQLError(.connectionClosed, "\(error)")
            }
            self.killFinished(stream, failure: failure)
        }
    }

    /// When the KILL could not be carried out (the side connection was refused, say by
    /// max_user_connections), nothing else would stop the statement: the connection is closed,
    /// so the caller gets its cancellation or timeout now and a pool replaces the connection.
    private func killFinished(_ stream: QueryStream, failure: MySQLError?) {
        killsInFlight -= 1
        if let failure, let reason = stream.cancelReason, case .query(let running)? = current, running === stream,
            !stream.commandComplete
        {
            shutDown(Self.killFailedError(reason, failure))
            return
        }
        startNextRequestIfIdle()
    }

    static func killFailedError(_ reason: QueryCancelReason, _ failure: MySQLError) -> MySQLError {
        let (kind, why): (MySQLError.Kind, String)
        switch reason {
        case .cancelled, .abandoned: (kind, why) = (.cancelled, "the task was cancelled")
        case .timedOut(let limit): (kind, why) = (.timeout, "the query ran longer than queryTimeout (\(limit))")
        }
        return MySQLError(
            kind,
            why + ", but KILL QUERY could not be sent (" + failure.message
                + "), so the connection was closed to stop the statement; open a new connection (a pool replaces it)")
    }

    /// The server's error for a statement stopped by KILL QUERY, as the caller should see it.
    static func cancelError(_ reason: QueryCancelReason, sent: Bool) -> MySQLError {
        switch reason {
        case .cancelled, .abandoned:
            return MySQLError(
                .cancelled,
                sent
                    ? "the task was cancelled; the query was stopped with KILL QUERY and the connection is still usable"
                    : "the task was cancelled before the query was sent; nothing ran")
        case .timedOut(let limit):
            return MySQLError(
                .timeout,
                "the query ran longer than queryTimeout (\(limit)) and was stopped with KILL QUERY; the connection is still usable"
            )
        }
    }

    /// ER_QUERY_INTERRUPTED (1317) or ER_STATEMENT_TIMEOUT-like codes after our KILL become
    /// `.cancelled` / `.timeout`; anything else stays as the server said.
    func errorAfterCancel(_ error: MySQLError, stream: QueryStream) -> MySQLError {
        guard let reason = stream.cancelReason, case .server(let code, _) = error.kind, code == 1317 else {
            return error
        }
        return Self.cancelError(reason, sent: true)
    }

    /// KILL QUERY does not always end a statement with error 1317: a killed `SLEEP()` returns 1,
    /// and a statement can finish just as the KILL arrives. A single read-only statement that was
    /// cancelled or ran past `queryTimeout` therefore reports that instead of rows that may be cut
    /// short or wrong. Anything that may write keeps its real outcome: it did its work, and an
    /// error would invite a retry.
    func stoppedQueryOutcome(_ stream: QueryStream) -> MySQLError? {
        guard let reason = stream.cancelReason, Self.isSingleReadOnlyStatement(stream.sql) else { return nil }
        switch reason {
        case .abandoned: return nil
        case .cancelled, .timedOut: return Self.cancelError(reason, sent: true)
        }
    }

    /// Rows nobody will read are drained, so the connection can go on; a result that is still
    /// arriving after `delay` (a large one) is stopped with KILL QUERY instead of read to the
    /// end, so leaving a loop over millions of rows frees the connection quickly.
    func killIfStillRunning(_ stream: QueryStream, after delay: Duration) {
        // Only a single read-only statement: dropping the rows of a CALL or of several
        // statements must not stop work that comes after the rows.
        guard Self.isSingleReadOnlyStatement(stream.sql) else { return }
        eventLoop.scheduleTimer(at: Deadline.now() + delay) { [weak self, weak stream] in
            guard let self, let stream else { return }
            self.onLoopNow(stream) { connection, stream in
                guard !stream.commandComplete, stream.discard == .all else { return }
                connection.cancel(stream, reason: .abandoned)
            }
        }
    }

    /// One statement that only reads: it starts with SELECT, WITH, SHOW, VALUES, TABLE,
    /// DESCRIBE or EXPLAIN, has no `;` (no second statement), and names nothing that writes or
    /// takes a lock (`WITH … UPDATE`, `SELECT … INTO`, `FOR UPDATE`, `GET_LOCK`, `NEXTVAL`…).
    /// Words inside string literals count too; a false "may write" only means the statement is
    /// drained, or reported as the server ended it. A stored function that writes is not seen.
    static func isSingleReadOnlyStatement(_ sql: String) -> Bool {
        guard !sql.utf8.contains(UInt8(ascii: ";")) else { return false }
        let start = sql.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "(" }
        let keyword = start.prefix { $0.isLetter }.uppercased()
        guard ["SELECT", "WITH", "SHOW", "VALUES", "TABLE", "DESCRIBE", "DESC", "EXPLAIN"].contains(keyword) else {
            return false
        }
        let upper = sql.uppercased()
        return !writeOrLockWords.contains { upper.contains($0) }
    }

    private static let writeOrLockWords = [
        "UPDATE", "DELETE", "INSERT", "REPLACE", "INTO", "FOR SHARE", "LOCK IN SHARE MODE", "GET_LOCK", "RELEASE_",
        "NEXTVAL", "SETVAL", "NEXT VALUE",
    ]

    /// Arms `queryTimeout` for the query that was just sent.
    func armQueryTimeout(_ stream: QueryStream) {
        guard let limit = configuration.queryTimeout else { return }
        stream.timeoutTimer = eventLoop.scheduleTimer(at: Deadline.now() + limit) { [weak self, weak stream] in
            guard let self, let stream else { return }
            self.onLoopNow((stream, limit)) { connection, arguments in
                arguments.0.timeoutTimer = nil
                connection.cancel(arguments.0, reason: .timedOut(arguments.1))
            }
        }
    }

    func disarmQueryTimeout(_ stream: QueryStream) {
        if let timer = stream.timeoutTimer {
            eventLoop.cancelTimer(timer)
            stream.timeoutTimer = nil
        }
    }
}
