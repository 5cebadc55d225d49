/// The whole client side of one connection as a value: events in, actions out. It owns the
/// sequence ids and knows which packet may come next; the IO layer only executes actions.
/// One command is in flight at a time; the queue of waiting requests lives outside.
public struct ConnectionStateMachine {
    enum State {
        case initialized
        case awaitingGreeting
        /// The SSLRequest is out; the IO layer is running the TLS handshake.
        case awaitingTLS(Greeting)
        case authenticating(AuthenticationStateMachine)
        case ready
        case simpleCommand(CommandCode)
        /// A COM_QUERY response is being read; its sub-machine is `query` (kept outside the enum so
        /// the per-row path mutates it in place instead of copying it out and back).
        case query
        /// A COM_STMT_PREPARE response is being read (sub-machine `prepare`).
        case prepare
        case closing
        case closed
    }

    private(set) var state = State.initialized
    public let settings: ConnectionSettings
    public private(set) var serverInfo: ServerInfo?
    var capabilities: MySQLCapabilities = []
    var expectedSequenceID: UInt8 = 0
    var query: QueryStateMachine?
    /// MARIADB_CLIENT_CACHE_METADATA is in effect (asked for, offered, and with DEPRECATE_EOF).
    var cachesMetadata = false
    /// Prepared statements' column definitions, by id, while metadata is cached: an execution
    /// whose definitions the server skips is read with these.
    var statementColumns: [UInt32: MySQLColumns] = [:]
    /// The statement of the COM_STMT_EXECUTE in flight (to remember its columns).
    var executingStatementID: UInt32?
    var prepare: PrepareStateMachine?
    /// The last result set's column definitions, reused when the next ones are identical.
    var columnCache = ColumnDefinitionCache()
    /// Storage of the last command sent (see `takeCommandBuffer`).
    private var commandBuffer: [UInt8] = []
    var rowsBeforeFailure: RowBatch?

    public init(settings: ConnectionSettings) {
        self.settings = settings
    }

    /// The capabilities this client asks for; the handshake intersects them with the server's.
    public static func clientCapabilities(for settings: ConnectionSettings) -> MySQLCapabilities {
        var caps: MySQLCapabilities = [
            .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .multiResults,
            .psMultiResults, .pluginAuth, .connectAttributes, .pluginAuthLengthEncodedClientData,
            .sessionTrack, .deprecateEOF,
        ]
        if settings.database?.isEmpty == false { caps.insert(.connectWithDB) }
        if settings.multiStatements { caps.insert(.multiStatements) }
        // CLIENT_LOCAL_FILES is never announced: sending local files is not implemented.
        return caps
    }

    public var isReady: Bool {
        if case .ready = state { return true }
        return false
    }

    public var isClosed: Bool {
        switch state {
        case .closed, .closing: return true
        default: return false
        }
    }

    /// A short name of the current state, for error messages and logs.
    public var stateName: String {
        switch state {
        case .initialized: return "initialized"
        case .awaitingGreeting: return "awaiting greeting"
        case .awaitingTLS: return "TLS handshake"
        case .authenticating: return "authenticating"
        case .ready: return "ready"
        case .simpleCommand(let code): return "command \(code)"
        case .query: return "query"
        case .prepare: return "prepare"
        case .closing: return "closing"
        case .closed: return "closed"
        }
    }

    // MARK: Events

    /// The transport is connected; the server speaks first.
    public mutating func connected() -> ConnectionAction {
        state = .awaitingGreeting
        expectedSequenceID = 0
        return .none
    }

    /// One logical packet arrived.
    public mutating func packetReceived(_ packet: Packet) -> ConnectionAction {
        if packet.sequenceID != expectedSequenceID {
            // An unsolicited ERR (idle timeout 4031, shutdown, KILL) comes with sequence id 0.
            if packet.sequenceID == 0, packet.firstByte == 0xFF {
                return fail(ErrorPacket.parse(packet.payload, capabilities: capabilities).error)
            }
            return fail(
                .violation(
                    "packet sequence id \(packet.sequenceID) in state \(stateName), expected \(expectedSequenceID)"))
        }
        expectedSequenceID = packet.lastSequenceID &+ 1

        switch state {
        case .initialized, .closed, .closing:
            return .none
        case .awaitingGreeting:
            return greetingReceived(packet.payload)
        case .awaitingTLS:
            return fail(.violation("the server sent a packet instead of starting TLS after the SSLRequest"))
        case .authenticating(var auth):
            state = .closed  // release the copy while `auth` is mutated
            let step = auth.receive(packet.payload)
            state = .authenticating(auth)
            return authStep(step, auth: auth)
        case .ready:
            if packet.firstByte == 0xFF {
                return fail(ErrorPacket.parse(packet.payload, capabilities: capabilities).error)
            }
            return fail(
                .violation(
                    "unexpected packet 0x\(String(packet.firstByte ?? 0, radix: 16)) while no command is running"))
        case .simpleCommand(let code):
            switch packet.firstByte {
            case 0x00:
                do throws(MySQLError) {
                    let ok = try OKPacket.parse(packet.payload, capabilities: capabilities)
                    state = .ready
                    return .commandSucceeded(ok)
                } catch {
                    return fail(error)
                }
            case 0xFF:
                state = .ready
                return .commandFailed(ErrorPacket.parse(packet.payload, capabilities: capabilities).error)
            default:
                return fail(
                    .violation("unexpected packet 0x\(String(packet.firstByte ?? 0, radix: 16)) in response to \(code)")
                )
            }
        case .prepare:
            guard let step = prepare?.receive(packet.payload) else { return .none }
            switch step {
            case .none:
                return .none
            case .prepared(let description):
                state = .ready
                prepare = nil
                if cachesMetadata { statementColumns[description.statementID] = description.columns }
                return .statementPrepared(description)
            case .failed(let error):
                state = .ready
                prepare = nil
                return .commandFailed(error)
            case .fatal(let error):
                return fail(error)
            }
        case .query:
            guard let step = query?.receive(packet.payload, columnCache: &columnCache) else { return .none }
            switch step {
            case .none:
                return .none
            case .action(let action):
                if cachesMetadata, let id = executingStatementID, case .resultSetStarted(let columns) = action {
                    statementColumns[id] = columns
                }
                if case .resultSetEnded(_, _, false) = action {
                    state = .ready
                    query = nil
                }
                return action
            case .sendPayload(let payload):
                return .write(framedReply(payload))
            case .failed(let error):
                state = .ready
                // Rows before an error mid-result are still the consumer's, as with mysql_fetch_row.
                rowsBeforeFailure = query?.takeBatch()
                query = nil
                return .commandFailed(error)
            case .fatal(let error):
                return fail(error)
            }
        }
    }

    /// Feeds complete packets from `decoder` until one of them asks for an action; nil when no
    /// complete packet is left. One call runs many row packets in a tight loop, so the caller
    /// pays its own bookkeeping per action rather than per packet.
    public mutating func processPackets(from decoder: inout PacketDecoder) -> ConnectionAction? {
        while true {
            if case .query = state, let rows = query?.receiveRows(from: &decoder, sequenceID: &expectedSequenceID) {
                return rows
            }
            let packet: Packet?
            do throws(MySQLError) {
                packet = try decoder.next()
            } catch {
                return fail(error)
            }
            guard let packet else { return nil }
            let action = packetReceived(packet)
            if case .none = action { continue }
            return action
        }
    }

    /// Rows received intact before an error (a fatal one, or an ERR packet mid-result), once,
    /// for the consumer to read before the error.
    public mutating func takeRowsBeforeFailure() -> RowBatch? {
        defer { rowsBeforeFailure = nil }
        return rowsBeforeFailure
    }

    /// The current read is exhausted: hand over the rows accumulated so far.
    public mutating func readComplete() -> ConnectionAction {
        guard case .query = state, let batch = query?.takeBatch() else { return .none }
        return .deliverRows(batch)
    }

    /// Starts COM_QUERY. Precondition: `isReady` (the caller queues requests).
    public mutating func startQuery(_ sql: String) -> ConnectionAction {
        guard case .ready = state else { return notReady("query") }
        var out = takeCommandBuffer()
        out.reserveCapacity(sql.utf8.count + 5)
        let replySequenceID = CommandEncoder.command(.query, argument: sql, into: &out)
        state = .query
        query = QueryStateMachine(
            capabilities: capabilities, rowBatchBytes: settings.rowBatchBytes, metadataFollowsByte: cachesMetadata)
        executingStatementID = nil
        expectedSequenceID = replySequenceID
        commandBuffer = out
        return .write(out)
    }

    /// Starts COM_STMT_PREPARE. Precondition: `isReady`.
    public mutating func startPrepare(_ sql: String) -> ConnectionAction {
        guard case .ready = state else { return notReady("prepare") }
        var out = takeCommandBuffer()
        out.reserveCapacity(sql.utf8.count + 5)
        let replySequenceID = StatementEncoder.prepare(sql, into: &out)
        state = .prepare
        prepare = PrepareStateMachine(capabilities: capabilities)
        expectedSequenceID = replySequenceID
        commandBuffer = out
        return .write(out)
    }

    /// Starts COM_STMT_EXECUTE (after COM_STMT_SEND_LONG_DATA for long values); with `cursor`,
    /// a read-only cursor whose rows come with `fetchRows`. A value that cannot be encoded
    /// fails the command without sending anything. Precondition: `isReady`.
    public mutating func startExecute(
        statementID: UInt32, parameters: [any MySQLEncodable], cursor: Bool, longDataThreshold: Int
    ) -> ConnectionAction {
        guard case .ready = state else { return notReady("execute") }
        var out = takeCommandBuffer()
        let replySequenceID: UInt8
        do throws(MySQLError) {
            replySequenceID = try StatementEncoder.execute(
                statementID: statementID, parameters: parameters, cursor: cursor,
                longDataThreshold: longDataThreshold, into: &out)
        } catch {
            commandBuffer = out
            return .commandFailed(error)
        }
        state = .query
        query = QueryStateMachine(
            capabilities: capabilities, rowBatchBytes: settings.rowBatchBytes, format: .binary, cursor: cursor,
            metadataFollowsByte: cachesMetadata, knownColumns: statementColumns[statementID])
        executingStatementID = statementID
        expectedSequenceID = replySequenceID
        commandBuffer = out
        return .write(out)
    }

    /// Whether the current execution's cursor waits for COM_STMT_FETCH.
    public var isAwaitingFetch: Bool {
        guard case .query = state else { return false }
        return query?.isAwaitingFetch ?? false
    }

    /// Asks the open cursor for `rows` more rows.
    public mutating func fetchRows(statementID: UInt32, rows: UInt32) -> ConnectionAction {
        guard isAwaitingFetch else { return notReady("COM_STMT_FETCH") }
        var out = takeCommandBuffer()
        expectedSequenceID = StatementEncoder.fetch(statementID: statementID, rows: rows, into: &out)
        query?.fetchStarted()
        commandBuffer = out
        return .write(out)
    }

    /// Nobody wants the rest of the cursor's rows: the command ends here. The server closes
    /// the cursor when the statement is executed again, reset or closed.
    public mutating func abandonCursor() -> Bool {
        guard isAwaitingFetch else { return false }
        state = .ready
        query = nil
        return true
    }

    /// COM_STMT_CLOSE: the server does not reply, so the connection stays ready.
    /// Precondition: `isReady`.
    public mutating func closeStatement(_ statementID: UInt32) -> ConnectionAction {
        guard case .ready = state else { return notReady("COM_STMT_CLOSE") }
        statementColumns[statementID] = nil
        var out: [UInt8] = []
        StatementEncoder.command(.stmtClose, statementID: statementID, into: &out)
        return .write(out)
    }

    /// COM_STMT_RESET: discards long data sent for the statement and closes its cursor; the
    /// server replies OK or ERR. Precondition: `isReady`.
    public mutating func startStatementReset(_ statementID: UInt32) -> ConnectionAction {
        guard case .ready = state else { return notReady("COM_STMT_RESET") }
        var out: [UInt8] = []
        expectedSequenceID = StatementEncoder.command(.stmtReset, statementID: statementID, into: &out)
        state = .simpleCommand(.stmtReset)
        return .write(out)
    }

    /// The previous command's bytes, emptied for the next one. The `.write` action shares the
    /// buffer; once the caller has written and dropped it, the storage is unique again and is
    /// reused, so a command costs no allocation. (Were it still referenced, appending would copy:
    /// never a wrong result.) A buffer grown by a large statement is not kept.
    private mutating func takeCommandBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &commandBuffer)
        if buffer.capacity > 64 * 1024 { return [] }
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    /// Starts COM_PING, COM_RESET_CONNECTION or COM_INIT_DB (`argument` for the last).
    public mutating func startSimpleCommand(_ code: CommandCode, argument: String? = nil) -> ConnectionAction {
        guard case .ready = state else { return notReady("\(code)") }
        // COM_RESET_CONNECTION drops every prepared statement.
        if code == .resetConnection { statementColumns.removeAll() }
        var out: [UInt8] = []
        let replySequenceID: UInt8
        if let argument {
            replySequenceID = CommandEncoder.command(code, argument: argument, into: &out)
        } else {
            replySequenceID = CommandEncoder.command(code, into: &out)
        }
        state = .simpleCommand(code)
        expectedSequenceID = replySequenceID
        return .write(out)
    }

    /// Close politely: COM_QUIT when the connection is in sync, otherwise just close.
    public mutating func close() -> ConnectionAction {
        switch state {
        case .closed, .closing:
            return .none
        case .ready, .simpleCommand, .query, .prepare:
            // After login COM_QUIT is always in order: the server reads it once the command in
            // flight (if any) is done.
            state = .closing
            var out: [UInt8] = []
            CommandEncoder.command(.quit, into: &out)
            return .writeAndClose(out)
        case .initialized, .awaitingGreeting, .awaitingTLS, .authenticating:
            state = .closing
            return .closeWithError(MySQLError(.connectionClosed, "the connection was closed by the application"))
        }
    }

    /// The transport failed (IO error, EOF, timeout).
    public mutating func transportFailed(_ error: MySQLError) -> ConnectionAction {
        if case .closed = state { return .none }
        return fail(error)
    }

    // MARK: Handshake

    private mutating func greetingReceived(_ payload: ArraySlice<UInt8>) -> ConnectionAction {
        let greeting: Greeting
        do throws(MySQLError) {
            greeting = try Greeting.parse(payload)
        } catch {
            return fail(error)
        }
        let wanted = Self.clientCapabilities(for: settings)
        capabilities = wanted.intersection(greeting.capabilities)
        // Decided here, before an SSLRequest, which carries the same capability bytes.
        cachesMetadata =
            settings.cacheMetadata && greeting.mariaDBCapabilities.contains(.cacheMetadata)
            && capabilities.contains(.deprecateEOF)
        capabilities.insert(.protocol41)
        if settings.database?.isEmpty == false && !capabilities.contains(.connectWithDB) {
            return fail(
                MySQLError(
                    .invalidUsage,
                    "the server does not support selecting a database at connect time (CLIENT_CONNECT_WITH_DB)"))
        }
        switch settings.tls {
        case .disabled:
            break
        case .preferred, .required:
            if greeting.capabilities.contains(.ssl) {
                capabilities.insert(.ssl)
                state = .awaitingTLS(greeting)
                let request = handshakeResponse(settings: settings, authResponse: [], pluginName: "")
                return .startTLS(framedReply(request.encodeSSLRequest()))
            }
            if settings.tls == .required {
                return fail(
                    MySQLError(
                        .tls,
                        "the server does not offer TLS, and the configuration requires it; enable TLS on the server (ssl-cert, ssl-key) or lower tls.mode to preferred"
                    ))
            }
        }
        return authenticate(greeting, settings: settings)
    }

    /// The TLS handshake finished: log in over it.
    public mutating func tlsEstablished() -> ConnectionAction {
        guard case .awaitingTLS(let greeting) = state else {
            return fail(.violation("TLS was established in state \(stateName)"))
        }
        var secure = settings
        secure.transportIsSecure = true
        return authenticate(greeting, settings: secure)
    }

    /// Sends the HandshakeResponse41 and starts authentication.
    private mutating func authenticate(_ greeting: Greeting, settings: ConnectionSettings) -> ConnectionAction {
        var auth = AuthenticationStateMachine(
            settings: settings, capabilities: capabilities, pluginName: greeting.authPluginName, nonce: greeting.nonce)
        let (pluginName, data) = auth.initialResponse()
        if !capabilities.contains(.pluginAuthLengthEncodedClientData) && data.count > 255 {
            return fail(MySQLError(.authentication, "the server cannot take an auth response of \(data.count) bytes"))
        }
        serverInfo = ServerInfo(
            connectionID: greeting.connectionID, serverVersion: greeting.serverVersion, flavor: greeting.flavor,
            capabilities: greeting.capabilities, negotiatedCapabilities: capabilities,
            mariaDBCapabilities: greeting.mariaDBCapabilities, status: greeting.status, authPluginName: pluginName)
        let response = handshakeResponse(settings: settings, authResponse: data, pluginName: pluginName)
        state = .authenticating(auth)
        return .write(framedReply(response.encode()))
    }

    /// The HandshakeResponse41 for the negotiated capabilities (its first 32 bytes are also the SSLRequest).
    private func handshakeResponse(
        settings: ConnectionSettings, authResponse: [UInt8], pluginName: String
    ) -> HandshakeResponse {
        HandshakeResponse(
            capabilities: capabilities, mariaDBCapabilities: cachesMetadata ? [.cacheMetadata] : [],
            maxPacketSize: UInt32(clamping: settings.maxPacketSize), characterSet: settings.characterSet,
            username: settings.username, authResponse: authResponse, database: settings.database,
            authPluginName: pluginName, attributes: settings.connectionAttributes)
    }

    /// `payload` framed with the next sequence id of the exchange, which then moves on.
    private mutating func framedReply(_ payload: [UInt8]) -> [UInt8] {
        PacketEncoder.frame(payload, sequenceID: &expectedSequenceID)
    }

    private mutating func authStep(_ step: AuthenticationStateMachine.Step, auth: AuthenticationStateMachine)
        -> ConnectionAction
    {
        switch step {
        case .send(let payload):
            return .write(framedReply(payload))
        case .wait:
            return .none
        case .authenticated(let ok):
            guard var info = serverInfo else {
                return fail(.violation("authentication completed before a greeting was received"))
            }
            state = .ready
            info.status = ok.status
            info.authPluginName = auth.pluginName
            serverInfo = info
            return .established(info)
        case .failed(let error):
            return fail(error)
        }
    }

    // MARK: Helpers

    private mutating func fail(_ error: MySQLError) -> ConnectionAction {
        state = .closed
        // Rows that arrived intact before the failure still belong to the consumer.
        rowsBeforeFailure = query?.takeBatch()
        query = nil
        prepare = nil
        return .closeWithError(error)
    }

    private func notReady(_ what: String) -> ConnectionAction {
        .commandFailed(MySQLError(.invalidUsage, "cannot start \(what) while the connection is \(stateName)"))
    }
}
