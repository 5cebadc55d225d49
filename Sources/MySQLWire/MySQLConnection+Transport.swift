import Logging
import MySQLWireIO

/// Receives readiness events from the event loop and hands them to the connection, which
/// is isolated to that same loop.
final class ConnectionIOHandler: IOEventHandler {
    weak var connection: MySQLConnection?

    init(connection: MySQLConnection) { self.connection = connection }

    func ioReadable() {
        connection?.onLoopNow((), { connection, _ in connection.handleReadable() })
    }

    func ioWritable() {
        connection?.onLoopNow((), { connection, _ in connection.handleWritable() })
    }

    func ioLoopClosing() {
        connection?.onLoopNow((), { connection, _ in connection.shutDown(MySQLConnection.loopStopped) })
    }
}

extension MySQLConnection {
    /// Registers the socket and runs the handshake until the server accepts the login.
    func start(socket: Socket, deadline: Deadline) async throws {
        self.socket = socket
        let handler = ConnectionIOHandler(connection: self)
        ioHandler = handler
        do {
            interest = [.readable]
            try eventLoop.register(socket.fd, interest: interest, handler: handler)
        } catch {
            socket.close()
            self.socket = nil
            throw MySQLError(transport: error, during: "register the socket")
        }
        run(machine.connected())
        connectDeadline = deadline
        let timer = eventLoop.scheduleTimer(at: deadline) { [weak self] in
            self?.onLoopNow((), { connection, _ in connection.connectTimedOut() })
        }
        defer { eventLoop.cancelTimer(timer) }
        try await withCheckedThrowingContinuation(isolation: self) {
            (continuation: CheckedContinuation<Void, any Error>) in
            if let closedError {
                continuation.resume(throwing: closedError)
            } else {
                connectWaiter = continuation
                // Bytes may already be waiting (the greeting).
                handleReadable()
            }
        }
    }

    private func connectTimedOut() {
        guard connectWaiter != nil else { return }
        let place: String
        switch configuration.endpoint {
        case .tcp(let host, let port): place = "\(host):\(port)"
        case .unixSocket(let path): place = path
        }
        let limit = configuration.connectTimeout
        shutDown(
            MySQLError(
                .timeout,
                "connecting to \(place) did not complete within the connect timeout (\(limit)); the server may be overloaded or unreachable"
            ))
    }

    // MARK: Reading

    /// During connect: whether the deadline has passed (then the connection fails with a
    /// timeout). Checked before bytes are processed, so a connect that got to run late — its
    /// task waited for a thread — times out instead of acting on what arrived meanwhile.
    private func connectDeadlinePassed() -> Bool {
        guard let connectDeadline, connectWaiter != nil, Deadline.now() >= connectDeadline else { return false }
        connectTimedOut()
        return true
    }

    func handleReadable() {
        if connectDeadlinePassed() { return }
        if tls == .handshaking {
            continueTLSHandshake()
            return
        }
        if let socket, socket.tlsWriteWantsReadable, outboundIndex < outbound.count, !tlsCrossCall {
            // A TLS write was waiting for bytes from the server. (Guarded: a read waiting to
            // write and a write waiting to read must not call each other forever.)
            tlsCrossCall = true
            handleWritable()
            tlsCrossCall = false
        }
        guard let socket, !socket.isClosed, !readingPaused, !processingHeld else {
            processBufferedPackets()
            return
        }
        var bytesThisEvent = 0
        while true {
            var result = Socket.ReadResult.wouldBlock
            var readError: IOError?
            var space = 0
            _ = decoder.withWritableSpace { (buffer) -> Int in
                space = buffer.count
                do throws(IOError) {
                    result = try socket.read(into: buffer)
                } catch {
                    readError = error
                    return 0
                }
                if case .bytes(let n) = result { return n }
                return 0
            }
            if let readError {
                shutDown(MySQLError(transport: readError, during: "read"))
                return
            }
            switch result {
            case .bytes(let n):
                processBufferedPackets()
                if closedError != nil || readingPaused || processingHeld { return }
                // A short read means the socket is drained; level-triggered epoll reports more.
                // (Not when TLS holds decrypted bytes back: those are read on, now.)
                if n < space && !socket.hasBufferedBytes {
                    finishRead()
                    return
                }
                // Fairness: after this many bytes give the loop back (its timers, the other
                // connections on it); level-triggered epoll reports the socket again, and bytes
                // TLS holds back get a turn of their own.
                bytesThisEvent += n
                if bytesThisEvent >= Self.readBudgetPerEvent {
                    finishRead()
                    if socket.hasBufferedBytes {
                        eventLoop.execute { self.onLoopNow((), { connection, _ in connection.handleReadable() }) }
                    }
                    return
                }
            case .wouldBlock:
                finishRead()
                return
            case .eof:
                processBufferedPackets()
                finishRead()
                shutDown(
                    MySQLError(.connectionClosed, "the server closed the connection (in state \(machine.stateName))"))
                return
            }
        }
    }

    /// Bytes one readiness event may read and process before the loop gets a turn.
    static let readBudgetPerEvent = 256 * 1024

    private func finishRead() {
        if closedError == nil { run(machine.readComplete()) }
    }

    /// Feeds every complete packet in the buffer to the state machine, unless held.
    func processBufferedPackets() {
        if logsTrace {
            processBufferedPacketsTracing()
            return
        }
        while closedError == nil && !processingHeld {
            guard let action = machine.processPackets(from: &decoder) else { return }
            run(action)
        }
    }

    /// The same, one packet at a time, logging each.
    private func processBufferedPacketsTracing() {
        while closedError == nil && !processingHeld {
            let packet: Packet?
            do {
                packet = try decoder.next()
            } catch {
                shutDown(error)
                return
            }
            guard let packet else { return }
            logger.trace("packet in", metadata: ["seq": "\(packet.sequenceID)", "length": "\(packet.payload.count)"])
            run(machine.packetReceived(packet))
        }
    }

    func releaseProcessingHold() {
        guard processingHeld else { return }
        processingHeld = false
        processBufferedPackets()
        if closedError == nil {
            run(machine.readComplete())
            updateInterest()
        }
    }

    // MARK: Writing

    func write(_ bytes: [UInt8]) {
        guard let socket, !socket.isClosed else { return }
        if logsTrace {
            logger.trace("packet out", metadata: ["bytes": "\(bytes.count)"])
        }
        if outboundIndex == outbound.count {
            // Nothing queued: write directly, keep only the rest.
            let written: Int
            do {
                written = try bytes.withUnsafeBytes { (raw) throws(IOError) -> Int in try socket.write(raw) }
            } catch {
                shutDown(MySQLError(transport: error, during: "write"))
                return
            }
            if written == bytes.count { return }
            outbound = Array(bytes[written...])
            outboundIndex = 0
            armWriteTimer()
        } else {
            outbound.append(contentsOf: bytes)
        }
        updateInterest()
    }

    func handleWritable() {
        if tls == .handshaking {
            continueTLSHandshake()
            return
        }
        guard let socket, !socket.isClosed else { return }
        if socket.tlsReadWantsWritable, !tlsCrossCall {
            // A TLS read was waiting to send (renegotiation, key update).
            tlsCrossCall = true
            handleReadable()
            tlsCrossCall = false
        }
        while outboundIndex < outbound.count {
            let written: Int
            do {
                let start = outboundIndex
                written = try outbound.withUnsafeBytes { (raw) throws(IOError) -> Int in
                    try socket.write(UnsafeRawBufferPointer(rebasing: raw[start...]))
                }
            } catch {
                shutDown(MySQLError(transport: error, during: "write"))
                return
            }
            if written == 0 { break }
            outboundIndex += written
            // Progress: the server is reading; the wait starts again.
            armWriteTimer()
        }
        if outboundIndex == outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 64 * 1024)
            outboundIndex = 0
            disarmWriteTimer()
            if tls == .sslRequestSent { startTLSWhenFlushed() }
        }
        updateInterest()
    }

    // MARK: TLS

    /// Where the TLS switch stands. The SSLRequest goes out in plain text; once it is fully
    /// written the handshake runs on the socket (OpenSSL reads and writes it directly), driven
    /// by readiness events; then the state machine logs in over TLS.
    enum TLSState: Equatable {
        case off
        case sslRequestSent
        case handshaking
        case established
    }

    func startTLSWhenFlushed() {
        guard tls == .sslRequestSent, outboundIndex == outbound.count, let socket else { return }
        // Bytes that came in plain text after the greeting would frame the protected stream
        // (STARTTLS injection): a server sends nothing before the handshake.
        guard decoder.isEmpty else {
            shutDown(
                MySQLError(
                    .protocolViolation,
                    "the server sent \(decoder.bufferedByteCount) bytes after its greeting, before the TLS handshake; they cannot be trusted, so the connection was closed"
                ))
            return
        }
        let host: String?
        if case .tcp(let name, _) = configuration.endpoint { host = name } else { host = nil }
        do throws(IOError) {
            let context = try TLSContextCache.shared.context(for: configuration.tls.clientConfiguration(host: host))
            try socket.startTLS(context: context)
        } catch {
            shutDown(MySQLError(transport: error, during: "TLS set-up"))
            return
        }
        tls = .handshaking
        continueTLSHandshake()
    }

    func continueTLSHandshake() {
        guard let socket, !socket.isClosed, !connectDeadlinePassed() else { return }
        let progress: Socket.TLSHandshakeProgress
        do throws(IOError) {
            progress = try socket.continueTLSHandshake()
        } catch {
            shutDown(MySQLError(transport: error, during: "TLS handshake"))
            return
        }
        switch progress {
        case .wantsReadable:
            tlsHandshakeWantsWritable = false
        case .wantsWritable:
            tlsHandshakeWantsWritable = true
        case .done:
            tls = .established
            tlsHandshakeWantsWritable = false
            if logsDebug { logger.debug("TLS established", metadata: ["tls": "\(socket.tlsDescription ?? "")"]) }
            run(machine.tlsEstablished())
        }
        updateInterest()
    }

    func updateInterest() {
        guard let socket, !socket.isClosed else { return }
        var wanted: IOInterest = []
        let reading = !readingPaused && !processingHeld
        let writePending = outboundIndex < outbound.count
        // A TLS write that needs bytes from the server waits for readable (even while reading
        // is paused: `handleReadable` retries the write first), not for writable, which is
        // always ready and would spin; a TLS read that needs to write matters only while reading.
        let writeWaitsForReadable = writePending && socket.tlsWriteWantsReadable
        if reading || writeWaitsForReadable { wanted.insert(.readable) }
        if (writePending && !writeWaitsForReadable) || tlsHandshakeWantsWritable
            || (reading && socket.tlsReadWantsWritable)
        {
            wanted.insert(.writable)
        }
        guard wanted != interest else { return }
        interest = wanted
        do {
            try eventLoop.setInterest(socket.fd, wanted)
        } catch {
            shutDown(MySQLError(transport: error, during: "update epoll interest"))
        }
    }

    // MARK: Timers

    /// The deadline of each wait for the server's answer (`readTimeout`).
    func armReadTimer() {
        readTimer = closingTimer(
            replacing: readTimer, after: configuration.readTimeout, slot: .read,
            "the server did not answer within the read timeout (%@); the connection was closed because its position in the result stream is unknown"
        )
    }

    /// The deadline for the server to accept more of a half-written request (`writeTimeout`).
    func armWriteTimer() {
        writeTimer = closingTimer(
            replacing: writeTimer, after: configuration.writeTimeout, slot: .write,
            "the server did not accept more of the request within the write timeout (%@); the connection was closed because the request is half sent"
        )
    }

    func disarmReadTimer() { readTimer = closingTimer(replacing: readTimer, after: nil, slot: .read, "") }

    func disarmWriteTimer() { writeTimer = closingTimer(replacing: writeTimer, after: nil, slot: .write, "") }

    enum TimerSlot { case read, write }

    /// Cancels `old`; with a timeout, a timer that closes the connection with `.timeout` and
    /// `message` (`%@` replaced by the timeout) unless cancelled first.
    private func closingTimer(
        replacing old: TimerID?, after timeout: Duration?,
        slot: TimerSlot, _ message: String
    ) -> TimerID? {
        if let old { eventLoop.cancelTimer(old) }
        guard let timeout else { return nil }
        return eventLoop.scheduleTimer(at: Deadline.now() + timeout) { [weak self] in
            self?.onLoopNow((timeout, message, slot)) { connection, timer in
                switch timer.2 {
                case .read: connection.readTimer = nil
                case .write: connection.writeTimer = nil
                }
                let text = timer.1.replacingOccurrences(of: "%@", with: "\(timer.0)")
                connection.shutDown(MySQLError(.timeout, text))
            }
        }
    }

    // MARK: Actions

    func run(_ action: ConnectionAction) {
        switch action {
        case .none:
            break
        case .write(let bytes):
            write(bytes)
        case .startTLS(let sslRequest):
            write(sslRequest)
            tls = .sslRequestSent
            startTLSWhenFlushed()
        case .established(let info):
            serverInfo = info
            logger[metadataKey: "mysql.connection_id"] = "\(info.connectionID)"
            logger.debug(
                "connected", metadata: ["server": "\(info.serverVersion)", "plugin": "\(info.authPluginName)"])
            connectWaiter.take()?.resume()
            connectDeadline = nil
            startNextRequestIfIdle()
        case .resultSetStarted(let columns):
            if case .query(let stream) = current {
                streamResultSetStarted(stream, columns: columns)
                if machine.isAwaitingFetch { fetchIfWanted(stream) }
            }
        case .cursorFetchNeeded(let rows):
            if case .query(let stream) = current {
                if let rows { streamRows(stream, rows) }
                fetchIfWanted(stream)
            }
        case .statementPrepared(let description):
            statementPrepared(description)
        case .deliverRows(let batch):
            if case .query(let stream) = current { streamRows(stream, batch) }
        case .resultSetEnded(let rows, let ok, let more):
            health.note(ok.status)
            guard case .query(let stream) = current else { break }
            streamResultSetEnded(stream, rows: rows, ok: ok, more: more)
            if more {
                // The next result's own wait starts now.
                if stream.discard == .all { armReadTimer() }
            } else {
                completeCurrentRequest()
            }
        case .commandSucceeded(let ok):
            health.note(ok.status)
            if case .simple(let command) = current {
                current = nil
                command.continuation.resume(returning: ok)
            }
            completeCurrentRequest()
        case .commandFailed(let serverError):
            let error = Self.withAdvice(serverError)
            logger.debug("command failed", metadata: ["error": "\(error)"])
            switch current {
            case .query(let stream)?:
                if let rows = machine.takeRowsBeforeFailure() { streamRows(stream, rows) }
                if case .server(1243, _) = serverError.kind, let execution = stream.execution,
                    execution.statementID == nil
                {
                    // A cached statement the server no longer knows: the next run prepares anew.
                    statementCache.remove(stream.sql)
                }
                failStream(stream, errorAfterCancel(error, stream: stream))
            case .simple(let command)?: command.continuation.resume(throwing: error)
            case .prepare(let request)?: request.continuation.resume(throwing: error)
            case .closeStatement?, nil: break
            }
            completeCurrentRequest()
        case .closeWithError(let error):
            shutDown(error)
        case .writeAndClose(let bytes):
            write(bytes)
            shutDown(MySQLError(.connectionClosed, "the connection was closed"))
        }
    }

    /// Server errors whose message does not say what to do, with advice added.
    static func withAdvice(_ error: MySQLError) -> MySQLError {
        guard case .server(let code, _) = error.kind else { return error }
        switch code {
        case 1461:  // ER_MAX_PREPARED_STMT_COUNT_REACHED
            return MySQLError(
                error.kind,
                error.message
                    + " — close statements that are no longer needed (MySQLStatement.close()), lower MySQLConfiguration.statementCacheSize, or raise max_prepared_stmt_count on the server"
            )
        case 1243:  // ER_UNKNOWN_STMT_HANDLER
            return MySQLError(
                error.kind,
                error.message
                    + " — the statement no longer exists on the server (closed, or dropped by resetConnection()); prepare it again"
            )
        default:
            return error
        }
    }

    /// Closes the socket and fails whatever waits. Idempotent.
    func shutDown(_ error: MySQLError) {
        guard closedError == nil else { return }
        health.markClosed()
        _ = machine.transportFailed(error)
        if let rows = machine.takeRowsBeforeFailure(), case .query(let stream) = current {
            streamRows(stream, rows)
        }
        closedError = error
        if error.kind != .connectionClosed || connectWaiter != nil {
            logger.debug("connection closed", metadata: ["reason": "\(error)"])
        }
        disarmReadTimer()
        disarmWriteTimer()
        if let socket {
            eventLoop.deregister(socket.fd)
            socket.close()
        }
        socket = nil
        processingHeld = false
        connectWaiter.take()?.resume(throwing: error)
        let queued = queue
        queue.removeAll()
        let failure = MySQLError(error.kind == .connectionClosed ? .connectionClosed : error.kind, error.message)
        if let current {
            self.current = nil
            fail(current, failure)
        }
        for request in queued {
            fail(
                request,
                MySQLError(.connectionClosed, "the connection closed before this request ran: \(error.message)"))
        }
    }

    func fail(_ request: Request, _ error: MySQLError) {
        switch request {
        case .query(let stream): failStream(stream, error)
        case .simple(let command): command.continuation.resume(throwing: error)
        case .prepare(let request): request.continuation.resume(throwing: error)
        case .closeStatement: break
        }
    }
}

extension Optional {
    /// Returns the value and leaves nil behind.
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}

extension MySQLError {
    /// A transport failure as the one public error type.
    init(transport error: any Error, during operation: String) {
        if let error = error as? MySQLError {
            self = error
            return
        }
        guard let io = error as? IOError else {
            self.init(.io(errno: 0), "\(operation) failed: \(error)")
            return
        }
        switch io.kind {
        case .timeout: self.init(.timeout, io.message)
        case .errno(let code):
            // ECONNRESET / EPIPE: the server went away.
            if code == 104 || code == 32 {
                self.init(.connectionClosed, "the server reset the connection during \(operation): \(io.message)")
            } else {
                self.init(.io(errno: code), io.message)
            }
        case .eof, .closed: self.init(.connectionClosed, io.message)
        case .resolution: self.init(.io(errno: 0), io.message)
        case .tls: self.init(.tls, io.message)
        }
    }
}
