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

    /// The current request is finished on the wire: start the next one.
    func completeCurrentRequest() {
        current = nil
        disarmReadTimer()
        startNextRequestIfIdle()
    }

    // MARK: Consumer side

    func waitForHeader(_ stream: QueryStream) async throws {
        if stream.headerReceived || stream.end != nil { return }
        if let error = stream.error { throw error }
        try await withCheckedThrowingContinuation(isolation: self) { (continuation: CheckedContinuation<Void, any Error>) in
            stream.headerWaiter = continuation
        }
    }

    func nextBatch(_ stream: QueryStream) async throws -> (batch: RowBatch, columns: MySQLColumns)? {
        if let batch = stream.batches.popFirst() {
            stream.bufferedBytes -= batch.byteCount
            resumeReadingIfDrained(stream)
            // Safe: batches are only queued after the header set `columns`.
            return (batch, stream.columns ?? MySQLColumns([]))
        }
        if stream.end != nil { return nil }
        if let error = stream.error { throw error }
        let batch: RowBatch? = try await withCheckedThrowingContinuation(isolation: self) { continuation in
            stream.batchWaiter = continuation
            if current != nil, readTimer == nil { armReadTimer() }
        }
        guard let batch else { return nil }
        return (batch, stream.columns ?? MySQLColumns([]))
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
        releaseProcessingHold()
        try await waitForHeader(stream)
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
        eventLoop.execute { [self] in
            self.assumeIsolated { connection in
                connection.abandonIsolated(stream, all: all)
            }
        }
    }

    private func abandonIsolated(_ stream: QueryStream, all: Bool) {
        if stream.commandComplete && (stream.end != nil || stream.error != nil) {
            stream.batches.removeAll()
            stream.bufferedBytes = 0
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
            waiter.resume(returning: batch)
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
            // Hold the next result set's packets until the consumer asks for it.
            stream.holdingNextResultSet = true
            processingHeld = true
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
