import FuzzMain
import MySQLWire

/// The response to COM_STMT_EXECUTE (binary rows, optionally a cursor read with
/// COM_STMT_FETCH), through ConnectionStateMachine + PacketDecoder.
///
/// A scripted greeting and OK log in; then `startExecute(statementID: 1, parameters: [],
/// cursor:, longDataThreshold: 1 << 20)`, and the input is the server's reply. Byte 0: bit 0
/// clears DEPRECATE_EOF in the greeting; bit 1 asks for a cursor; bit 2 abandons the cursor
/// (`abandonCursor`) the second time it waits for a fetch instead of fetching again; bit 3 sets
/// `ConnectionSettings.cacheMetadata`, so MARIADB_CLIENT_CACHE_METADATA is negotiated (the
/// scripted MariaDB greeting offers it, extended capabilities 0x1d) unless bit 0 cleared
/// DEPRECATE_EOF: every column count is then followed by a metadata-follows byte, and 0 there
/// means "the definitions you have"; bit 4 makes every third command, starting with the first,
/// a `startPrepare("SELECT ?")` whose reply also comes from the input, and the executions use
/// the statement id it returned (1 until one is prepared). Whenever the cursor waits
/// (`isAwaitingFetch`), `fetchRows` is called and feeding continues; whenever the connection is
/// ready again the next command starts (up to 8).
///
/// The rest is a sequence of server packets as in fuzz_state_machine: a 2-byte little-endian
/// header whose low 15 bits are the payload length (clamped to what is left) and whose top bit
/// means "the next byte is an explicit sequence id"; otherwise the id the client expects.
///
/// Every delivered RowBatch must be binary, match the current result set's column count, and
/// have each value read and decoded as String (errors expected, traps not). The
/// HandshakeResponse must ask for CACHE_METADATA exactly when it is negotiated; a result set
/// whose definitions the server skipped must be read with the columns of the statement's last
/// PREPARE or execution (the driver keeps its own copy).
let greetingHex =
    "0a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531001a0200005827576160405f3f00feff2d0200ff81150000000000001d0000005b2d6b54443829654258745e00"

func hexBytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = s.utf8.makeIterator()
    while let a = it.next(), let b = it.next() {
        func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
        out.append(v(a) << 4 | v(b))
    }
    return out
}

func greeting(deprecateEOF: Bool) -> [UInt8] {
    var g = hexBytes(greetingHex)
    // Upper capability word: after version, "5.5.5-...\0", connection id, nonce 1, filler,
    // lower caps, charset, status.
    let nul = g.firstIndex(of: 0)!
    let upper = nul + 1 + 4 + 8 + 1 + 2 + 1 + 2
    if !deprecateEOF { g[upper + 1] &= ~0x01 }  // DEPRECATE_EOF is bit 24
    return g + Array("mysql_native_password".utf8) + [0]
}

struct Driver {
    var machine: ConnectionStateMachine
    var decoder = PacketDecoder(initialCapacity: 256)
    var nextServerSequenceID: UInt8 = 0
    let cursor: Bool
    let abandon: Bool
    /// MARIADB_CLIENT_CACHE_METADATA is in effect.
    let cachesMetadata: Bool
    /// Every third command is a prepare.
    let prepares: Bool
    var commands = 0
    var preparing = false
    /// The statement executed: the last one prepared, or 1.
    var statementID: UInt32 = 1
    /// The driver's copy of the column definitions the client may reuse, by statement.
    var known: [UInt32: [MySQLColumn]] = [:]
    /// The last packet fed, and the client's last write.
    var lastPayload: ArraySlice<UInt8> = []
    var lastWrite: [UInt8] = []
    var fetches = 0
    /// The current result set's columns (nil before the first, or after the command ended).
    var columns: MySQLColumns?

    mutating func frame(_ payload: ArraySlice<UInt8>, sequenceID: UInt8) {
        let n = payload.count
        decoder.append([UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n >> 16), sequenceID])
        decoder.append(payload)
    }

    /// Returns false once the connection is closed.
    mutating func handle(_ action: ConnectionAction) -> Bool {
        switch action {
        case .none:
            return true
        case .write(let bytes):
            // The client wrote packets; the server's reply continues after the last id.
            var i = 0
            while i + 4 <= bytes.count {
                let length = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16
                nextServerSequenceID = bytes[i + 3] &+ 1
                i += 4 + length
            }
            precondition(i == bytes.count, "client wrote a malformed frame")
            lastWrite = bytes
            return true
        case .established:
            return startCommand()
        case .statementPrepared(let description):
            precondition(preparing, "a statement prepared in an execution")
            preparing = false
            statementID = description.statementID
            if cachesMetadata { known[statementID] = description.columns.definitions }
            return startCommand()
        case .resultSetStarted(let columns):
            precondition(!columns.isEmpty && !preparing)
            if let count = skippedMetadataCount(lastPayload) {
                precondition(cachesMetadata, "definitions skipped without CACHE_METADATA")
                precondition(count == columns.count, "\(columns.count) columns for a count of \(count)")
                precondition(
                    known[statementID] == columns.definitions,
                    "skipped definitions read with columns other than the statement's last ones")
            }
            if cachesMetadata { known[statementID] = columns.definitions }
            self.columns = columns
            return fetchIfWaiting()
        case .deliverRows(let rows):
            read(rows)
            return true
        case .resultSetEnded(let rows, _, let more):
            if let rows { read(rows) }
            if more { return true }
            precondition(machine.isReady)
            return startCommand()
        case .cursorFetchNeeded(let rows):
            precondition(cursor && !preparing, "a cursor fetch without a cursor")
            if let rows { read(rows) }
            return fetchIfWaiting()
        case .commandFailed(let error):
            _ = error.description
            preparing = false
            if let rows = machine.takeRowsBeforeFailure() { read(rows) }
            return startCommand()
        case .closeWithError(let error):
            _ = error.description
            if let rows = machine.takeRowsBeforeFailure() { read(rows) }
            return false
        case .writeAndClose:
            return false
        case .startTLS, .commandSucceeded:
            preconditionFailure("unexpected action \(action) in an execution")
        }
    }

    /// The cursor waits for COM_STMT_FETCH: fetch (or, the second time with `abandon`, give up).
    mutating func fetchIfWaiting() -> Bool {
        guard machine.isAwaitingFetch else { return true }
        precondition(cursor, "awaiting a fetch without a cursor")
        fetches += 1
        if abandon && fetches == 2 {
            precondition(machine.abandonCursor() && machine.isReady)
            return startCommand()
        }
        let action = machine.fetchRows(statementID: statementID, rows: 3)
        guard case .write = action else { preconditionFailure("fetchRows did not write: \(action)") }
        return handle(action)
    }

    func read(_ rows: RowBatch) {
        guard let columns else { preconditionFailure("rows before any columns") }
        precondition(rows.format == .binary && rows.columnCount == columns.count && rows.count > 0)
        for r in 0..<rows.count {
            for c in 0..<rows.columnCount {
                if let v = rows.value(row: r, column: c) {
                    precondition(v.startIndex >= 0 && v.endIndex <= rows.byteCount)
                    _ = try? String.decode(mysqlValue: v, format: .binary, column: columns[c])
                }
            }
        }
    }

    mutating func startCommand() -> Bool {
        columns = nil
        guard machine.isReady, commands < 8 else { return machine.isReady }
        commands += 1
        fetches = 0
        if prepares && commands % 3 == 1 {
            preparing = true
            return handle(machine.startPrepare("SELECT ?"))
        }
        return handle(
            machine.startExecute(statementID: statementID, parameters: [], cursor: cursor, longDataThreshold: 1 << 20))
    }

    /// The column count of a column-count packet that says the definitions are skipped
    /// (length-encoded count, then metadata-follows 0); nil for any other packet.
    func skippedMetadataCount(_ p: ArraySlice<UInt8>) -> Int? {
        guard let first = p.first, first != 0x00, first != 0xFB, first != 0xFF else { return nil }
        let width = first < 0xFB ? 0 : first == 0xFC ? 2 : first == 0xFD ? 3 : 8
        guard p.count == 2 + width, p.last == 0 else { return nil }
        if width == 0 { return Int(first) }
        var n = 0
        for k in (0..<width).reversed() { n = n << 8 | Int(p[p.startIndex + 1 + k]) }
        return n
    }

    /// Feeds complete packets to the machine, handling every action.
    mutating func pump() -> Bool {
        while let action = machine.processPackets(from: &decoder) {
            if !handle(action) { return false }
        }
        return handle(machine.readComplete())
    }

    mutating func server(_ payload: ArraySlice<UInt8>, sequenceID: UInt8? = nil) -> Bool {
        let id = sequenceID ?? nextServerSequenceID
        nextServerSequenceID = id &+ 1
        lastPayload = payload
        frame(payload, sequenceID: id)
        return pump()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = bytes[0]
    var settings = ConnectionSettings(username: "mysqlwire", password: "mysqlwire-pass")
    settings.rowBatchBytes = 64
    settings.maxPacketSize = 1 << 16
    settings.cacheMetadata = mode & 8 != 0
    var d = Driver(
        machine: ConnectionStateMachine(settings: settings), cursor: mode & 2 != 0, abandon: mode & 4 != 0,
        cachesMetadata: mode & 8 != 0 && mode & 1 == 0, prepares: mode & 16 != 0)
    guard d.handle(d.machine.connected()) else { return 0 }
    guard d.server(greeting(deprecateEOF: mode & 1 == 0)[...]) else { return 0 }
    // HandshakeResponse41: the MariaDB extended capabilities are payload bytes 28..31.
    precondition(d.lastWrite.count >= 36, "no handshake response")
    let extended = d.lastWrite[32..<36].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    precondition(extended == (d.cachesMetadata ? 0x10 : 0), "extended capabilities 0x\(String(extended, radix: 16))")
    guard d.server([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00][...]) else { return 0 }
    precondition(d.commands == 1 && !d.machine.isReady, "login did not lead to a command")
    var i = 1
    while i + 2 <= bytes.count {
        let header = Int(bytes[i]) | Int(bytes[i + 1]) << 8
        i += 2
        var sequenceID: UInt8? = nil
        if header & 0x8000 != 0, i < bytes.count {
            sequenceID = bytes[i]
            i += 1
        }
        let length = min(header & 0x7FFF, bytes.count - i)
        let payload = bytes[i..<(i + length)]
        i += length
        guard d.server(payload, sequenceID: sequenceID) else { break }
    }
    _ = d.machine.stateName
    _ = d.handle(d.machine.close())
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_execute_response_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
