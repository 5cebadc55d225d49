import MySQLWireIO

/// The request queue and the consumer side of query streams.
extension MySQLConnection {
    func enqueue(_ request: Request) throws(MySQLError) {
        try checkOpen()
        queue.append(request)
        startNextRequestIfIdle()
    }

    func startNextRequestIfIdle() {
        guard current == nil, machine.isReady, let request = queue.popFirst() else { return }
        current = request
        let action: ConnectionAction
        switch request {
        case .query(let stream):
            if logger.logLevel <= .debug {
                logger.debug("query", metadata: ["sql": "\(stream.sql.prefix(200))"])
            }
            action = machine.startQuery(stream.sql)
        case .simple(let code, let argument, _):
            logger.debug("command", metadata: ["command": "\(code)"])
            action = machine.startSimpleCommand(code, argument: argument)
        }
        armReadTimer()
        run(action)
    }

    /// The current request is finished on the wire: start the next one. A pause for a slow
    /// consumer belonged to that request: its rows are all in memory now, and the next
    /// request's reply must be read.
    func completeCurrentRequest() {
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
    nonisolated func onLoopNow<T: Sendable>(_ body: (isolated MySQLConnection) throws -> T) rethrows -> T {
        precondition(eventLoop.inEventLoop)
        return try assumeIsolated(body)
    }

    /// Runs `body` isolated to this connection: at once on the loop thread, else queued to it.
    /// When the loop has stopped, `body` cannot run and `ifStopped` runs instead (so a waiter
    /// is never left without an answer).
    nonisolated func onLoop(
        _ body: @escaping @Sendable (isolated MySQLConnection) -> Void, ifStopped: @Sendable () -> Void = {}
    ) {
        if eventLoop.inEventLoop {
            assumeIsolated(body)
        } else if !eventLoop.tryExecute({ self.assumeIsolated(body) }) {
            ifStopped()
        }
    }

    static let loopStopped = MySQLError(
        .connectionClosed, "the connection's event loop has shut down; open a new connection on a running loop")

    /// Suspends until `install` (or the server, later) answers `continuation`. `install` runs
    /// isolated to the connection — at once on the loop thread, else queued to it — after
    /// the stream's query is queued when `enqueueFirst`; it resumes at once if the answer is
    /// already there. Pass a closure that captures nothing: on the loop thread nothing is then
    /// allocated.
    nonisolated(nonsending) func waitOnLoop<T: Sendable>(
        for stream: QueryStream, enqueueFirst: Bool = false,
        _ install:
            @escaping @Sendable (isolated MySQLConnection, QueryStream, CheckedContinuation<T, any Error>) -> Void
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            if eventLoop.inEventLoop {
                onLoopNow { connection in connection.startWaiting(stream, enqueueFirst, continuation, install) }
            } else if !eventLoop.tryExecute({
                self.assumeIsolated { connection in
                    connection.startWaiting(stream, enqueueFirst, continuation, install)
                }
            }) {
                continuation.resume(throwing: Self.loopStopped)
            }
        }
    }

    private func startWaiting<T: Sendable>(
        _ stream: QueryStream, _ enqueueFirst: Bool, _ continuation: CheckedContinuation<T, any Error>,
        _ install: (isolated MySQLConnection, QueryStream, CheckedContinuation<T, any Error>) -> Void
    ) {
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
    func installHeaderWaiter(_ stream: QueryStream, _ continuation: CheckedContinuation<Void, any Error>) {
        if stream.headerReceived || stream.end != nil {
            continuation.resume()
        } else if let error = stream.error {
            continuation.resume(throwing: error)
        } else {
            stream.headerWaiter = continuation
        }
    }

    func installCompletionWaiter(_ stream: QueryStream, _ continuation: CheckedContinuation<MySQLResult, any Error>) {
        if let error = stream.error {
            continuation.resume(throwing: error)
        } else if stream.commandComplete, let result = stream.lastResult {
            continuation.resume(returning: result)
        } else {
            stream.completionWaiter = continuation
        }
    }

    typealias BatchAndColumns = (batch: RowBatch, columns: MySQLColumns)

    /// The next batch of the current result set; nil at its end.
    nonisolated(nonsending) func nextBatch(_ stream: QueryStream) async throws -> BatchAndColumns? {
        if eventLoop.inEventLoop, let ready = onLoopNow({ connection in connection.readyBatch(stream) }) {
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
            // Batches are only queued after the header set `columns`.
            return .success((batch, stream.columns ?? MySQLColumns([])))
        }
        if stream.end != nil { return .success(nil) }
        if let error = stream.error { return .failure(error) }
        return nil
    }

    func installBatchWaiter(_ stream: QueryStream, _ continuation: CheckedContinuation<BatchAndColumns?, any Error>) {
        if let ready = readyBatch(stream) {
            continuation.resume(with: ready)
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
        stream.columns ?? MySQLColumns([])
    }

    func currentEnd(_ stream: QueryStream) -> MySQLResult? {
        stream.end?.result
    }

    /// Nobody will read the rest of the current result set (`all`: of the whole command).
    nonisolated func abandon(_ stream: QueryStream, all: Bool) {
        onLoop { connection in connection.abandonIsolated(stream, all: all) }
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

    // MARK: Producer side (called from action execution)

    func streamResultSetStarted(_ stream: QueryStream, columns: [MySQLColumn]) {
        disarmReadTimer()
        stream.columns = MySQLColumns(columns)
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
            waiter.resume(returning: (batch, stream.columns ?? MySQLColumns([])))
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
