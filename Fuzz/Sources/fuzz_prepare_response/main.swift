import FuzzMain
import MySQLWire

/// The response to COM_STMT_PREPARE, through ConnectionStateMachine + PacketDecoder.
///
/// A scripted greeting and OK log in; then `startPrepare("SELECT ?")`, and the input is the
/// server's reply. Byte 0: bit 0 clears DEPRECATE_EOF in the greeting (EOF packets close the
/// parameter and column definitions); bit 1 sends COM_STMT_CLOSE (no reply) after each
/// prepared statement; bit 2 sets `ConnectionSettings.cacheMetadata`, so
/// MARIADB_CLIENT_CACHE_METADATA is negotiated unless bit 0 is set (the client then keeps each
/// statement's columns; the prepare response itself has no metadata-follows byte). Whenever the
/// connection is ready again the next prepare starts (up to 8).
///
/// The rest is a sequence of server packets as in fuzz_state_machine: a 2-byte little-endian
/// header whose low 15 bits are the payload length (clamped to what is left) and whose top bit
/// means "the next byte is an explicit sequence id"; otherwise the id the client expects.
///
/// Checked: a `.statementPrepared` agrees with the PREPARE_OK fed (id, warnings, parameter and
/// column counts) and arrives on exactly the packet that completes the response; a
/// `.commandFailed` only answers an ERR as the first packet; the HandshakeResponse asks for
/// CACHE_METADATA (extended capabilities 0x10) exactly when it is negotiated.
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
    let deprecateEOF: Bool
    let closeStatements: Bool
    var commands = 0
    /// The current prepare's packets so far, and its PREPARE_OK if the first one parses.
    var fed = 0
    var firstByte: UInt8?
    var prepareOK: PrepareOKPacket?
    var prepared = 0
    var lastWrite: [UInt8] = []

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
            guard let ok = prepareOK else { preconditionFailure("prepared without a PREPARE_OK") }
            precondition(description.statementID == ok.statementID && description.warnings == ok.warnings)
            precondition(description.parameters.count == ok.parameterCount, "parameter count differs from PREPARE_OK")
            precondition(description.columns.count == ok.columnCount, "column count differs from PREPARE_OK")
            let eofs = deprecateEOF ? 0 : (ok.parameterCount > 0 ? 1 : 0) + (ok.columnCount > 0 ? 1 : 0)
            precondition(
                fed == 1 + ok.parameterCount + ok.columnCount + eofs,
                "prepared after \(fed) packets for \(ok.parameterCount) parameters, \(ok.columnCount) columns")
            for column in description.parameters + description.columns.definitions {
                _ = (column.name, column.table, column.type.description, column.isUnsigned)
            }
            _ = description.columns.index(of: "?")
            precondition(machine.isReady)
            prepared += 1
            if closeStatements, !handle(machine.closeStatement(description.statementID)) { return false }
            return startCommand()
        case .commandFailed(let error):
            _ = error.description
            precondition(fed == 1 && firstByte == 0xFF, "a prepare failed on packet \(fed)")
            return startCommand()
        case .closeWithError(let error):
            _ = error.description
            return false
        case .writeAndClose:
            return false
        case .startTLS, .resultSetStarted, .deliverRows, .resultSetEnded, .cursorFetchNeeded, .commandSucceeded:
            preconditionFailure("unexpected action \(action) in a prepare")
        }
    }

    mutating func startCommand() -> Bool {
        guard machine.isReady, commands < 8 else { return machine.isReady }
        commands += 1
        fed = 0
        firstByte = nil
        prepareOK = nil
        return handle(machine.startPrepare("SELECT ?"))
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
        if commands > 0 {
            fed += 1
            if fed == 1 {
                firstByte = payload.first
                prepareOK = try? PrepareOKPacket.parse(payload)
            }
        }
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
    settings.cacheMetadata = mode & 4 != 0
    var d = Driver(
        machine: ConnectionStateMachine(settings: settings), deprecateEOF: mode & 1 == 0,
        closeStatements: mode & 2 != 0)
    guard d.handle(d.machine.connected()) else { return 0 }
    guard d.server(greeting(deprecateEOF: d.deprecateEOF)[...]) else { return 0 }
    // HandshakeResponse41: the MariaDB extended capabilities are payload bytes 28..31.
    precondition(d.lastWrite.count >= 36, "no handshake response")
    let extended = d.lastWrite[32..<36].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let caches = mode & 4 != 0 && d.deprecateEOF
    precondition(extended == (caches ? 0x10 : 0), "extended capabilities 0x\(String(extended, radix: 16))")
    guard d.server([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00][...]) else { return 0 }
    precondition(d.commands == 1 && !d.machine.isReady, "login did not lead to a prepare")
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
@_cdecl("fuzz_prepare_response_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
