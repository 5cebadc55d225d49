import FuzzMain
import MySQLWire

/// ConnectionStateMachine driven through PacketDecoder + processPackets.
///
/// Byte 0 (mode): bits 0-1 pick the scripted prefix — 0: greeting + OK, then a query is
/// started and the input is its response; 1: greeting only (the input is the auth exchange);
/// 2: nothing (the input starts with the greeting); 3 as 0 but the first command is a ping.
/// Bit 2 clears DEPRECATE_EOF and bit 3 clears SESSION_TRACK in the scripted greeting; bit 4
/// makes the scripted greeting announce caching_sha2_password; bit 5 sets a database; bit 6
/// sets `ConnectionSettings.cacheMetadata` (the scripted MariaDB greeting offers
/// MARIADB_CLIENT_CACHE_METADATA, extended capabilities 0x1d, so it is negotiated unless bit 2
/// cleared DEPRECATE_EOF: every column count then carries a metadata-follows byte); bit 7 makes
/// the commands prepared statements instead of queries and pings: `startPrepare("SELECT ?")`,
/// then two `startExecute`s of the id it returned (1 before any), and so on (binary rows; with
/// bit 6, an execution may skip the definitions the prepare or the last execution sent).
///
/// The rest is a sequence of server packets: a 2-byte little-endian header whose low 15 bits
/// are the payload length (clamped to what is left) and whose top bit means "the next byte is
/// an explicit sequence id"; otherwise the id the client expects is used. Whenever the
/// connection is ready again, the next command (query or ping) is started.
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

let greetingPrefix = hexBytes(greetingHex)

func greeting(mode: UInt8) -> [UInt8] {
    var g = greetingPrefix
    // Upper capability word: after version, "5.5.5-...\0", connection id, nonce 1, filler,
    // lower caps, charset, status.
    let nul = g.firstIndex(of: 0)!
    let upper = nul + 1 + 4 + 8 + 1 + 2 + 1 + 2
    if mode & 4 != 0 { g[upper + 1] &= ~0x01 }  // DEPRECATE_EOF is bit 24
    if mode & 8 != 0 { g[upper] &= ~0x80 }  // SESSION_TRACK is bit 23
    g += Array((mode & 16 != 0 ? "caching_sha2_password" : "mysql_native_password").utf8) + [0]
    return g
}

struct Driver {
    var machine: ConnectionStateMachine
    var decoder = PacketDecoder(initialCapacity: 256)
    var nextServerSequenceID: UInt8 = 0
    var usePing: Bool
    var statements: Bool
    var statementID: UInt32 = 1
    var commands = 0

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
            return true
        case .established:
            return startCommand()
        case .resultSetStarted(let columns):
            precondition(!columns.isEmpty)
            return true
        case .deliverRows(let rows):
            read(rows)
            return true
        case .resultSetEnded(let rows, _, let more):
            if let rows { read(rows) }
            return more ? true : startCommand()
        case .statementPrepared(let description):
            statementID = description.statementID
            return startCommand()
        case .commandSucceeded, .commandFailed:
            return startCommand()
        case .cursorFetchNeeded(let rows):
            if let rows { read(rows) }
            return true
        case .startTLS:
            return false
        case .closeWithError(let error):
            _ = error.description
            if let rows = machine.takeRowsBeforeFailure() { read(rows) }
            return false
        case .writeAndClose:
            return false
        }
    }

    func read(_ rows: RowBatch) {
        let column = MySQLColumn(name: "c", type: .varString)
        for r in 0..<rows.count {
            for c in 0..<rows.columnCount {
                if let v = rows.value(row: r, column: c) {
                    _ = try? String.decode(mysqlValue: v, format: rows.format, column: column)
                }
            }
        }
    }

    mutating func startCommand() -> Bool {
        guard machine.isReady, commands < 8 else { return machine.isReady }
        commands += 1
        let action: ConnectionAction
        if statements {
            action =
                commands % 3 == 1
                ? machine.startPrepare("SELECT ?")
                : machine.startExecute(statementID: statementID, parameters: [], cursor: false, longDataThreshold: 1 << 20)
        } else {
            action = usePing && commands % 2 == 1 ? machine.startSimpleCommand(.ping) : machine.startQuery("SELECT 1")
        }
        return handle(action)
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
        frame(payload, sequenceID: id)
        return pump()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = bytes[0]
    var settings = ConnectionSettings(
        username: "mysqlwire", password: "mysqlwire-pass", database: mode & 32 != 0 ? "db" : nil)
    settings.rowBatchBytes = 64
    settings.maxPacketSize = 1 << 16
    settings.cacheMetadata = mode & 64 != 0
    var d = Driver(
        machine: ConnectionStateMachine(settings: settings), usePing: mode & 3 == 3, statements: mode & 128 != 0)
    guard d.handle(d.machine.connected()) else { return 0 }
    let script = mode & 3
    if script != 2 {
        guard d.server(greeting(mode: mode)[...]) else { return 0 }
    }
    if script == 0 || script == 3 {
        guard d.server([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00][...]) else { return 0 }
        precondition(d.machine.isReady || d.commands > 0)
    }
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
@_cdecl("fuzz_state_machine_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
