import Synchronization

/// The rows of a query, as an `AsyncSequence`, one result set at a time.
///
/// Rows arrive in batches (one hand-over per socket read, not per row); when the consumer
/// falls behind, the connection stops reading the socket until it catches up. Iterate once.
/// Leaving a `for` loop early discards the rest of that result set; dropping the `MySQLRows`
/// discards everything that is left, so the connection is ready for the next request.
/// With several result sets (multi-statements), call `nextResultSet()` to move on.
public final class MySQLRows: AsyncSequence, Sendable {
    public typealias Element = MySQLRow

    let connection: MySQLConnection
    let stream: QueryStream

    /// Called once when these rows are released (`MySQLPool.query` gives the connection back).
    private let releaseHook = Mutex<(@Sendable () -> Void)?>(nil)

    init(connection: MySQLConnection, stream: QueryStream) {
        self.connection = connection
        self.stream = stream
    }

    var onRelease: (@Sendable () -> Void)? {
        get { releaseHook.withLock { $0 } }
        set { releaseHook.withLock { $0 = newValue } }
    }

    deinit {
        // Nobody can read the rest: discard what the command still sends (a no-op when it is complete).
        connection.abandon(stream, all: true)
        releaseHook.withLock { $0 }?()
    }

    /// Columns of the current result set (empty for a statement that returned no rows).
    public var columns: MySQLColumns {
        get async { await connection.currentColumns(stream) }
    }

    /// The end-of-result information (affected rows, warnings, status) of the current result
    /// set, once its rows have been read; nil before.
    public var result: MySQLResult? {
        get async { await connection.currentEnd(stream) }
    }

    /// Moves to the next result set, discarding what is left of the current one. Returns false
    /// when there is none.
    public func nextResultSet() async throws -> Bool {
        try await connection.nextResultSet(stream)
    }

    /// Reads all rows of the current result set into an array.
    public func collect() async throws -> [MySQLRow] {
        var rows: [MySQLRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }

    /// Calls `body` for each row of the current result set. The rows of a batch are visited
    /// in a plain loop, with no suspension point per row: the cheapest way to consume a large
    /// result (the `for try await` form pays an executor check per row). Throwing from `body`
    /// stops and discards the rest of the result set.
    public nonisolated(nonsending) func forEach(_ body: (MySQLRow) throws -> Void) async throws {
        var iterator = makeAsyncIterator()
        while let (batch, columns) = try await iterator.nextBatchForEach() {
            // One row value per batch, lent to `body` and moved along (see `moveToRow`).
            var row = MySQLRow(batch: batch, rowIndex: 0, columns: columns)
            for index in 0..<batch.count {
                row.moveToRow(index)
                try body(row)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(rows: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let rows: MySQLRows
        /// Discards the rest of the result set if the iterator is dropped before its end. Made
        /// only once a batch arrives that is not known to be the last (a point query needs none).
        var token: AbandonToken?
        var batch: RowBatch?
        var columns: MySQLColumns?
        var index = 0
        var finished = false

        init(rows: MySQLRows) {
            self.rows = rows
        }

        /// Runs on the caller's executor (nonsending): a row from the current batch costs no executor switch.
        public nonisolated(nonsending) mutating func next() async throws -> MySQLRow? {
            if let batch, index < batch.count, let columns {
                defer { index += 1 }
                return MySQLRow(batch: batch, rowIndex: index, columns: columns)
            }
            return try await nextBatch()
        }

        /// Stays on the caller's isolation: a row from the current batch costs no executor switch.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> MySQLRow? {
            try await next()
        }

        /// The next whole batch (for `forEach`); nil at the end of the result set.
        nonisolated(nonsending) mutating func nextBatchForEach() async throws -> (RowBatch, MySQLColumns)? {
            guard try await nextBatch() != nil, let batch, let columns else { return nil }
            index = batch.count
            return (batch, columns)
        }

        private nonisolated(nonsending) mutating func nextBatch() async throws -> MySQLRow? {
            if finished { return nil }
            if Task.isCancelled {
                finished = true
                // Stop the server too (KILL QUERY), so the rest is not read only to be dropped.
                rows.connection.cancelFromAnyThread(rows.stream)
                rows.connection.abandon(rows.stream, all: false)
                throw MySQLError(
                    .cancelled,
                    "the task was cancelled while reading rows; the query was stopped with KILL QUERY and the rest of the result is discarded"
                )
            }
            guard let next = try await rows.connection.nextBatch(rows.stream) else {
                finished = true
                token?.disarm()
                batch = nil
                return nil
            }
            if !next.isLast && token == nil {
                token = AbandonToken(connection: rows.connection, stream: rows.stream, all: false)
            }
            batch = next.batch
            columns = next.columns
            index = 1
            return MySQLRow(batch: next.batch, rowIndex: 0, columns: next.columns)
        }
    }
}

/// Tells the connection, when the last reference goes away, that nobody will read the rest.
final class AbandonToken: Sendable {
    let connection: MySQLConnection
    let stream: QueryStream
    let all: Bool
    private let armed = Atomic<Bool>(true)

    init(connection: MySQLConnection, stream: QueryStream, all: Bool) {
        self.connection = connection
        self.stream = stream
        self.all = all
    }

    func disarm() { armed.store(false, ordering: .relaxed) }

    deinit {
        if armed.load(ordering: .relaxed) { connection.abandon(stream, all: all) }
    }
}
