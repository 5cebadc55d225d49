import MySQLWireIO

/// The request queue and the consumer side of query streams.
extension MySQLConnection {
    func enqueue(_ request: Request) throws(MySQLError) {
        try checkOpen()
        if current == nil && queue.isEmpty && machine.isReady && killsInFlight == 0 {
            start(request)  // the usual case: nothing ahead of it, no trip through the queue
        } else {
            queue.append(request)
            startNextRequestIfIdle()
        }
    }

    func startNextRequestIfIdle() {
        guard current == nil, machine.isReady, killsInFlight == 0, let request = queue.popFirst() else {
            if current == nil && queue.isEmpty { health.noteIdle() }
            return
        }
        start(request)
    }

    private func start(_ request: Request) {
        current = request
        health.noteBusy()
        let action: ConnectionAction
        switch request {
        case .query(let stream):
            if logsDebug {
                logger.debug(
                    stream.execution == nil ? "query" : "execute", metadata: ["sql": "\(stream.sql.prefix(200))"])
            }
            if let execution = stream.execution {
                action = startExecution(stream, execution)
            } else {
                action = machine.startQuery(stream.sql)
            }
            armQueryTimeout(stream)
        case .simple(let command):
            logger.debug("command", metadata: ["command": "\(command.code)"])
            if command.code == .stmtReset {
                action = machine.startStatementReset(command.statementID)
            } else {
                // The server drops every prepared statement; later requests prepare again.
                if command.code == .resetConnection { statementCache.removeAll() }
                action = machine.startSimpleCommand(command.code, argument: command.argument)
            }
        case .prepare(let request):
            if logsDebug { logger.debug("prepare", metadata: ["sql": "\(request.sql.prefix(200))"]) }
            action = machine.startPrepare(request.sql)
        case .closeStatement(let id):
            // No reply: the command is complete once written.
            run(machine.closeStatement(id))
            current = nil
            startNextRequestIfIdle()
            return
        }
        armReadTimer()
        run(action)
    }

    /// COM_STMT_EXECUTE for `stream`: an explicit statement's id, a cached one, or first a
    /// COM_STMT_PREPARE whose answer (`statementPrepared`) continues here.
    private func startExecution(_ stream: QueryStream, _ execution: StatementExecution) -> ConnectionAction {
        if execution.statementID == nil, let cached = statementCache.lookup(stream.sql) {
            if let error = Self.parameterCountError(cached.parameters.count, execution.parameters.count, stream.sql) {
                return .commandFailed(error)
            }
            execution.statementID = cached.statementID
        }
        guard let id = execution.statementID else { return machine.startPrepare(stream.sql) }
        return machine.startExecute(
            statementID: id, parameters: execution.parameters, cursor: execution.fetchSize != nil,
            longDataThreshold: configuration.longDataThreshold)
    }

    /// A statement was prepared for the current request: hand it to `prepare()`'s caller, or
    /// cache it and execute.
    func statementPrepared(_ description: PreparedStatementDescription) {
        switch current {
        case .prepare(let request)?:
            current = nil
            request.continuation.resume(returning: description)
            completeCurrentRequest()
        case .query(let stream)?:
            guard let execution = stream.execution else { return }
            if statementCache.isEnabled {
                if let evicted = statementCache.insert(stream.sql, description) {
                    queue.prepend(.closeStatement(evicted))
                }
            } else {
                execution.closeWhenDone = true
            }
            execution.statementID = description.statementID
            if let error = Self.parameterCountError(
                description.parameters.count, execution.parameters.count, stream.sql)
            {
                run(.commandFailed(error))
                return
            }
            run(
                machine.startExecute(
                    statementID: description.statementID, parameters: execution.parameters,
                    cursor: execution.fetchSize != nil, longDataThreshold: configuration.longDataThreshold))
        default:
            break
        }
    }

    static func parameterCountError(_ expected: Int, _ given: Int, _ sql: String) -> MySQLError? {
        guard expected != given else { return nil }
        return MySQLError(
            .invalidUsage,
            "the statement has \(expected) parameter placeholder(s) but \(given) value(s) were bound; pass one value per '?' in: \(sql.prefix(100))"
        )
    }

    /// The current request is finished on the wire: start the next one. A pause for a slow
    /// consumer belonged to that request: its rows are all in memory now, and the next
    /// request's reply must be read.
    func completeCurrentRequest() {
        if case .query(let stream)? = current {
            disarmQueryTimeout(stream)
            if let execution = stream.execution, execution.closeWhenDone, let id = execution.statementID {
                queue.prepend(.closeStatement(id))
            }
        }
        current = nil
        disarmReadTimer()
        if readingPaused {
            readingPaused = false
            updateInterest()
        }
        startNextRequestIfIdle()
    }

    // MARK: Consumer side
    //
    // Consumers usually run on the loop thread (a task preferring the loop, or code isolated
    // to the connection): they then read the stream synchronously (`assumeIsolated` holds,
    // since the loop runs one job at a time) and suspend only when they must wait for the
    // server. From any other thread the same steps run as actor-isolated calls.

    /// Runs `body` isolated to this connection, synchronously. Only on the loop thread: there
    /// the loop runs one job at a time, so no other code touches the connection meanwhile.
    ///
    /// This is `assumeIsolated` without its cost. The standard library's version (like any
    /// `withoutActuallyEscaping` of a closure) allocates two closure contexts per call, which on
    /// the point-query path was a fifth of all allocations. `body` must capture nothing — pass
    /// what it needs as `argument` — so that it is a bare function pointer and the call
    /// allocates nothing.
    @inline(__always)
    nonisolated func onLoopNow<Argument, R>(
        _ argument: Argument, _ body: @escaping (isolated MySQLConnection, Argument) -> R
    ) -> R {
        precondition(eventLoop.inEventLoop, "MySQLConnection state used off its event loop")
        // unsafeBitCast: safe because this thread is the loop, the actor's only executor, which
        // runs one job at a time; an `isolated` parameter has the same ABI as a plain one (the
        // cast `assumeIsolated` performs).
        let plain = unsafeBitCast(body, to: ((MySQLConnection, Argument) -> R).self)
        return plain(self, argument)
    }

    /// Runs `body` isolated to this connection: at once on the loop thread, else queued to it.
    /// When the loop has stopped, `body` cannot run and `ifStopped` runs instead (so a waiter
    /// is never left without an answer). As with `onLoopNow`, a capture-free `body` costs no
    /// allocation on the loop thread.
    @inline(__always)
    nonisolated func onLoop<Argument: Sendable>(
        _ argument: Argument, _ body: @escaping @Sendable (isolated MySQLConnection, Argument) -> Void,
        ifStopped: () -> Void = {}
    ) {
        if eventLoop.inEventLoop {
            onLoopNow(argument, body)
        } else if !eventLoop.tryExecute({ self.onLoopNow(argument, body) }) {
            ifStopped()
        }
    }

    static let loopStopped = MySQLError(
        .connectionClosed, "the connection's event loop was shut down; open a new connection on a running loop")

    /// Queues `request` from any thread: at once on the loop thread, else through the loop's
    /// queue. A request that cannot be queued (closed connection) is answered with the error;
    /// when the loop has stopped, `ifStopped` answers it instead.
    nonisolated func enqueueFromAnyThread(_ request: Request, ifStopped: () -> Void) {
        onLoop(
            request,
            { connection, request in
                do throws(MySQLError) {
                    try connection.enqueue(request)
                } catch {
                    connection.fail(request, error)
                }
            },
            ifStopped: ifStopped)
    }

    /// Suspends until `install` (or the server, later) answers `continuation`. `install` runs
    /// isolated to the connection — at once on the loop thread, else queued to it — after
    /// the stream's query is queued when `enqueueFirst`; it resumes at once if the answer is
    /// already there. Pass a closure that captures nothing: on the loop thread nothing is then
    /// allocated.
    nonisolated(nonsending) func waitOnLoop<T: Sendable>(
        for stream: QueryStream, enqueueFirst: Bool = false,
        _ install:
            @escaping @Sendable (isolated MySQLConnection, QueryStream, UnsafeContinuation<T, any Error>) -> Void
    ) async throws -> T {
        // Unsafe rather than checked: a checked continuation costs an allocation per wait. Every
        // waiter slot is cleared (`take()`, or set to nil) before it is resumed, so each is resumed once.
        // A cancelled task stops the query (already cancelled: not sent; queued: removed;
        // running: KILL QUERY), which then ends the wait with `.cancelled`.
        guard stream.cancellable else { return try await wait(for: stream, enqueueFirst: enqueueFirst, install) }
        if enqueueFirst && Task.isCancelled { throw Self.cancelError(.cancelled, sent: false) }
        return try await withTaskCancellationHandler {
            try await wait(for: stream, enqueueFirst: enqueueFirst, install)
        } onCancel: {
            cancelFromAnyThread(stream)
        }
    }

    private nonisolated(nonsending) func wait<T: Sendable>(
        for stream: QueryStream, enqueueFirst: Bool,
        _ install:
            @escaping @Sendable (isolated MySQLConnection, QueryStream, UnsafeContinuation<T, any Error>) -> Void
    ) async throws -> T {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, any Error>) in
            onLoop(
                (stream, enqueueFirst, continuation, install),
                { connection, request in connection.startWaiting(request) },
                ifStopped: { continuation.resume(throwing: Self.loopStopped) })
        }
    }

    private func startWaiting<T: Sendable>(
        _ request: (
            stream: QueryStream, enqueueFirst: Bool, continuation: UnsafeContinuation<T, any Error>,
            install: (isolated MySQLConnection, QueryStream, UnsafeContinuation<T, any Error>) -> Void
        )
    ) {
        let (stream, enqueueFirst, continuation, install) = request
        if enqueueFirst, let reason = stream.cancelReason {
            continuation.resume(throwing: Self.cancelError(reason, sent: false))
            return
        }
        if enqueueFirst {
            do {
                try enqueue(.query(stream))
            } catch {
                continuation.resume(throwing: error)
                return
            }
        }
        install(self, stream, continuation)
    }

    /// Resumes at once when the header (or the end, or an error) is already there.
    func installHeaderWaiter(_ stream: QueryStream, _ continuation: UnsafeContinuation<Void, any Error>) {
        if stream.headerReceived || stream.end != nil {
            continuation.resume()
        } else if let error = stream.error {
            continuation.resume(throwing: error)
        } else {
            stream.headerWaiter = continuation
        }
    }

    func installCompletionWaiter(_ stream: QueryStream, _ continuation: UnsafeContinuation<MySQLResult, any Error>) {
        if let error = stream.error {
            continuation.resume(throwing: error)
        } else if stream.commandComplete, let result = stream.lastResult {
            continuation.resume(returning: result)
        } else {
            stream.completionWaiter = continuation
        }
    }

    /// A batch, its result set's columns, and whether it is the last of that result set (known
    /// when the end had already arrived when the batch was taken).
    typealias BatchAndColumns = (batch: RowBatch, columns: MySQLColumns, isLast: Bool)

    /// The next batch of the current result set; nil at its end.
    nonisolated(nonsending) func nextBatch(_ stream: QueryStream) async throws -> BatchAndColumns? {
        if eventLoop.inEventLoop, let ready = onLoopNow(stream, { connection, stream in connection.readyBatch(stream) })
        {
            return try ready.get()
        }
        return try await waitOnLoop(for: stream) { connection, stream, continuation in
            connection.installBatchWaiter(stream, continuation)
        }
    }

    /// What the consumer can have without waiting: a batch, the end (nil), an error; or nil
    /// when it has to wait.
    private func readyBatch(_ stream: QueryStream) -> Result<BatchAndColumns?, any Error>? {
        if let batch = stream.batches.popFirst() {
            stream.bufferedBytes -= batch.byteCount
            resumeReadingIfDrained(stream)
            if stream.fetchWanted { fetchIfWanted(stream) }
            // Batches are only queued after the header set `columns`.
            return .success((batch, stream.columns ?? MySQLColumns.empty, stream.end != nil && stream.batches.isEmpty))
        }
        if stream.end != nil { return .success(nil) }
        if let error = stream.error { return .failure(error) }
        return nil
    }

    func installBatchWaiter(_ stream: QueryStream, _ continuation: UnsafeContinuation<BatchAndColumns?, any Error>) {
        if let ready = readyBatch(stream) {
            continuation.resume(with: ready)
            return
        }
        guard stream.batchWaiter == nil else {
            // Replacing the first reader's continuation would leave it waiting forever.
            continuation.resume(
                throwing: MySQLError(
                    .invalidUsage,
                    "two tasks read the same MySQLRows at once; read a result from one task (collect() it to share the rows)"
                ))
            return
        }
        stream.batchWaiter = continuation
        if current != nil, readTimer == nil { armReadTimer() }
    }

    func nextResultSet(_ stream: QueryStream) async throws -> Bool {
        if stream.end == nil {
            if let error = stream.error { throw error }
            // Discard what is left of the current set, then continue.
            stream.discard = .currentResultSet
            dropBuffered(stream)
            try await waitForEnd(stream)
        }
        guard let end = stream.end, end.more else { return false }
        stream.end = nil
        stream.columns = nil
        stream.headerReceived = false
        stream.holdingNextResultSet = false
        armReadTimer()
        releaseProcessingHold()
        try await waitOnLoop(for: stream) { connection, stream, continuation in
            connection.installHeaderWaiter(stream, continuation)
        }
        return true
    }

    private func waitForEnd(_ stream: QueryStream) async throws {
        while stream.end == nil {
            if let error = stream.error { throw error }
            _ = try await nextBatch(stream)
        }
    }

    func currentColumns(_ stream: QueryStream) -> MySQLColumns {
        stream.columns ?? MySQLColumns.empty
    }

    func currentEnd(_ stream: QueryStream) -> MySQLResult? {
        stream.end?.result
    }

    /// Nobody will read the rest of the current result set (`all`: of the whole command).
    nonisolated func abandon(_ stream: QueryStream, all: Bool) {
        onLoop((stream, all)) { connection, request in connection.abandonIsolated(request.0, all: request.1) }
    }

    private func abandonIsolated(_ stream: QueryStream, all: Bool) {
        if stream.commandComplete && (stream.end != nil || stream.error != nil) {
            dropBuffered(stream)
            return
        }
        if all {
            stream.discard = .all
        } else if stream.end == nil, stream.discard == .none {
            stream.discard = .currentResultSet
        }
        dropBuffered(stream)
        if stream.execution?.fetchSize != nil {
            fetchIfWanted(stream)
        } else if all {
            killIfStillRunning(stream, after: .milliseconds(50))
        }
        if all && stream.holdingNextResultSet {
            stream.holdingNextResultSet = false
            releaseProcessingHold()
        }
    }

    private func dropBuffered(_ stream: QueryStream) {
        stream.batches.removeAll()
        stream.bufferedBytes = 0
        resumeReadingIfDrained(stream)
    }

    private func resumeReadingIfDrained(_ stream: QueryStream) {
        if readingPaused, stream.bufferedBytes <= configuration.rowBufferHighWaterBytes / 2 {
            readingPaused = false
            updateInterest()
            processBufferedPackets()
        }
    }

    // MARK: Cursors

    /// The open cursor's next COM_STMT_FETCH: now, unless the consumer already has enough rows
    /// waiting (then when it takes them) or wants no more (then the command ends here and the
    /// server closes the cursor at the statement's next execute, reset or close).
    func fetchIfWanted(_ stream: QueryStream) {
        guard machine.isAwaitingFetch, case .query(let running)? = current, running === stream,
            let execution = stream.execution, let fetchSize = execution.fetchSize, let id = execution.statementID
        else { return }
        if stream.discard != .none {
            stream.fetchWanted = false
            _ = machine.abandonCursor()
            streamResultSetEnded(stream, rows: nil, ok: OKPacket(), more: false)
            completeCurrentRequest()
            return
        }
        if stream.bufferedBytes > configuration.rowBufferHighWaterBytes / 2 {
            stream.fetchWanted = true
            disarmReadTimer()  // waiting for the consumer, not the server
            return
        }
        stream.fetchWanted = false
        armReadTimer()
        run(machine.fetchRows(statementID: id, rows: UInt32(clamping: fetchSize)))
    }

    // MARK: Producer side (called from action execution)

    func streamResultSetStarted(_ stream: QueryStream, columns: MySQLColumns) {
        disarmReadTimer()
        stream.columns = columns
        stream.headerReceived = true
        if let waiter = stream.headerWaiter {
            stream.headerWaiter = nil
            waiter.resume()
        }
    }

    func streamRows(_ stream: QueryStream, _ batch: RowBatch) {
        if stream.discard != .none { return }
        if let waiter = stream.batchWaiter {
            stream.batchWaiter = nil
            disarmReadTimer()
            waiter.resume(returning: (batch, stream.columns ?? MySQLColumns.empty, false))
            return
        }
        stream.batches.append(batch)
        stream.bufferedBytes += batch.byteCount
        peakBufferedRowBytes = max(peakBufferedRowBytes, stream.bufferedBytes)
        if stream.bufferedBytes > configuration.rowBufferHighWaterBytes && !readingPaused {
            readingPaused = true
            updateInterest()
        }
    }

    func streamResultSetEnded(_ stream: QueryStream, rows: RowBatch?, ok: OKPacket, more: Bool) {
        if !more, let error = stoppedQueryOutcome(stream) {
            failStream(stream, error)
            return
        }
        if let rows { streamRows(stream, rows) }
        let result = MySQLResult(ok)
        stream.lastResult = result
        let wasDiscardingCurrent = stream.discard == .currentResultSet
        if wasDiscardingCurrent { stream.discard = .none }
        if stream.discard == .all {
            if !more { finishStream(stream) }
            return
        }
        stream.end = (result, more)
        if !stream.headerReceived, let waiter = stream.headerWaiter {
            stream.headerWaiter = nil
            waiter.resume()
        }
        if let waiter = stream.batchWaiter {
            stream.batchWaiter = nil
            waiter.resume(returning: nil)
        }
        if more {
            // Hold the next result set's packets until the consumer asks for it: stop reading
            // (level-triggered epoll would spin otherwise) and stop the read deadline, since
            // nothing is being asked of the server meanwhile.
            stream.holdingNextResultSet = true
            processingHeld = true
            disarmReadTimer()
            updateInterest()
        } else {
            finishStream(stream)
        }
    }

    func finishStream(_ stream: QueryStream) {
        stream.commandComplete = true
        if let waiter = stream.completionWaiter {
            stream.completionWaiter = nil
            if let result = stream.lastResult {
                waiter.resume(returning: result)
            } else {
                waiter.resume(throwing: MySQLError(.protocolViolation, "the command ended without a result"))
            }
        }
    }

    func failStream(_ stream: QueryStream, _ error: MySQLError) {
        stream.error = error
        stream.commandComplete = true
        stream.headerWaiter.take()?.resume(throwing: error)
        stream.batchWaiter.take()?.resume(throwing: error)
        stream.completionWaiter.take()?.resume(throwing: error)
    }
}
