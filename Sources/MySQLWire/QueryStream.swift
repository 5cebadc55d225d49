import DequeModule
import MySQLWireIO

/// The rows of one COM_QUERY between the connection, which fills it on its event loop, and
/// the task that consumes them. Loop-confined.
final class QueryStream: @unchecked Sendable {
    // @unchecked Sendable: every property is read and written on the owning connection's event
    // loop only (all access goes through MySQLConnection's actor-isolated methods).

    enum Discard {
        /// Keep everything for the consumer.
        case none
        /// Drop rows until the current result set ends (the consumer left a loop early).
        case currentResultSet
        /// Drop everything until the command completes (the consumer is gone, or `execute`).
        case all
    }

    /// Columns of the current result set; nil before its header arrived (or for a result without rows).
    var columns: MySQLColumns?
    var headerReceived = false
    var batches = BatchQueue()
    var bufferedBytes = 0
    /// Set when the current result set has ended.
    var end: (result: MySQLResult, more: Bool)?
    /// Set when the command failed or the connection closed.
    var error: MySQLError?
    /// The command is complete on the wire (the connection has moved on).
    var commandComplete = false
    var discard = Discard.none
    /// Processing of the next result set waits until the consumer asks for it.
    var holdingNextResultSet = false

    var headerWaiter: UnsafeContinuation<Void, any Error>?
    var batchWaiter: UnsafeContinuation<MySQLConnection.BatchAndColumns?, any Error>?
    var completionWaiter: UnsafeContinuation<MySQLResult, any Error>?
    /// For `execute`: the last OK of the command.
    var lastResult: MySQLResult?
    /// Set once a KILL QUERY was started for this query (task cancelled, or `queryTimeout`).
    var cancelReason: QueryCancelReason?
    /// The `queryTimeout` timer, while the query runs.
    var timeoutTimer: TimerID?

    let sql: String
    /// Set for COM_STMT_EXECUTE (binary rows); nil for COM_QUERY.
    let execution: StatementExecution?
    /// A cursor's next COM_STMT_FETCH waits until the consumer has taken enough rows.
    var fetchWanted = false

    /// Whether cancelling the waiting task stops this query (false for ROLLBACK after a
    /// cancellation, which must run). Immutable: read from any thread.
    let cancellable: Bool

    init(sql: String, discardAll: Bool, execution: StatementExecution? = nil, cancellable: Bool = true) {
        self.sql = sql
        self.discard = discardAll ? .all : .none
        self.execution = execution
        self.cancellable = cancellable
    }
}

/// What executing a prepared statement needs: the statement (an explicit one, or the SQL of
/// a cached one, looked up — and prepared when missing — when the request starts), the
/// parameter values and, for a cursor, the fetch size. Immutable but for `statementID`,
/// which is only touched on the connection's loop.
final class StatementExecution: @unchecked Sendable {
    // @unchecked Sendable: `statementID` and `closeWhenDone` are only read and written on the
    // owning connection's event loop; everything else is immutable and Sendable.
    /// Set for an explicit statement; filled in from the cache (or a fresh prepare) otherwise.
    var statementID: UInt32?
    let parameters: [any MySQLEncodable]
    /// Rows per COM_STMT_FETCH; nil: no cursor.
    let fetchSize: Int?
    /// A statement prepared only for this execution (statement cache disabled): closed after it.
    var closeWhenDone = false

    init(statementID: UInt32?, parameters: [any MySQLEncodable], fetchSize: Int?) {
        self.statementID = statementID
        self.parameters = parameters
        self.fetchSize = fetchSize
    }
}

/// The batches a consumer has not taken yet, in order. Most results fit one batch (a point
/// query's row arrives with its header), so the first waits in a slot of its own and a deque is
/// only allocated when a second one queues behind it.
struct BatchQueue {
    private var first: RowBatch?
    private var rest: Deque<RowBatch> = []

    mutating func append(_ batch: RowBatch) {
        if first == nil && rest.isEmpty {
            first = batch
        } else {
            rest.append(batch)
        }
    }

    mutating func popFirst() -> RowBatch? {
        if let batch = first {
            first = nil
            return batch
        }
        return rest.popFirst()
    }

    var isEmpty: Bool { first == nil && rest.isEmpty }

    mutating func removeAll() {
        first = nil
        rest.removeAll()
    }
}
