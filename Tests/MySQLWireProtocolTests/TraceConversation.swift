@testable import MySQLWireProtocol

/// A reference reading of a recorded conversation: every packet is classified by its position
/// (what the client asked, what came before) and parsed with the library's decoder for that
/// position, strictly (trailing bytes the decoder would ignore are reported as failures too).
/// The tests then compare the results with the expectations written out in
/// `TraceReplayTests`.
struct TraceConversation {
    enum Kind: Hashable, CustomStringConvertible {
        case greeting, ok, okTerminator, eof, error, authSwitch, authMoreData, columnCount, column, parameter
        case fieldListColumn, textRow, binaryRow, prepareOK, statistics

        var description: String {
            switch self {
            case .greeting: return "greeting"
            case .ok: return "OK"
            case .okTerminator: return "OK terminator (0xFE)"
            case .eof: return "EOF"
            case .error: return "ERR"
            case .authSwitch: return "AuthSwitchRequest"
            case .authMoreData: return "AuthMoreData"
            case .columnCount: return "column count"
            case .column: return "column definition"
            case .parameter: return "parameter definition"
            case .fieldListColumn: return "COM_FIELD_LIST column definition"
            case .textRow: return "text row"
            case .binaryRow: return "binary row"
            case .prepareOK: return "COM_STMT_PREPARE OK"
            case .statistics: return "statistics string"
            }
        }
    }

    enum Parsed {
        case greeting(Greeting)
        case ok(OKPacket, [TraceSessionState])
        case eof(EOFPacket)
        case error(ErrorPacket)
        case authSwitch(AuthSwitchRequest)
        /// The data after the 0x01 header.
        case authMoreData([UInt8])
        case columnCount(Int)
        /// `defaultValue`: COM_FIELD_LIST appends the column default (`.some(nil)` = NULL).
        case column(MySQLColumn, defaultValue: String??)
        case textRow([String?])
        /// Values rendered as text by column type (integers in decimal, DATETIME as
        /// `YYYY-MM-DD hh:mm:ss`, strings as UTF-8); nil is NULL.
        case binaryRow(nullBitmap: [UInt8], values: [String?])
        case prepareOK(statementID: UInt32, columns: Int, parameters: Int, warnings: UInt16)
        case statistics(String)
    }

    struct ServerPacket {
        var line: TraceFile.Line
        var kind: Kind
        var parsed: Parsed
    }

    enum ClientPacket {
        case handshakeResponse(TraceHandshakeResponse)
        case sslRequest(MySQLCapabilities)
        /// Auth data sent after the handshake response (switch response, key request, RSA, ...).
        case authData([UInt8])
        case command(TraceCommand)
    }

    struct ClientLine {
        var line: TraceFile.Line
        var packet: ClientPacket
    }

    var trace: TraceFile
    var server: [ServerPacket] = []
    var client: [ClientLine] = []
    /// What the server's replies depend on: the recorded client's flags ∩ the greeting's.
    var negotiated: MySQLCapabilities
    var greeting: Greeting?
    /// Problems found, with the line they concern. Empty when every packet was understood.
    var failures: [String] = []

    /// Where the conversation stands before the next packet.
    enum Phase {
        case awaitingGreeting
        case authenticating
        case tls
        case idle
        case result(binary: Bool)
        case columns(remaining: Int, columns: [MySQLColumn], binary: Bool)
        case columnsEOF([MySQLColumn], binary: Bool)
        case rows([MySQLColumn], binary: Bool, batch: RowBatchBuilder)
        case fieldList
        case simple
        case statistics
        case prepare
        case prepareParameters(remaining: Int, columns: Int)
        case prepareParametersEOF(columns: Int)
        case prepareColumns(remaining: Int)
        case prepareColumnsEOF
    }

    /// - Parameters:
    ///   - start: the phase of the first packet (traces cut out of a longer capture).
    ///   - assumedCapabilities: the client's flags when the trace has no handshake response.
    ///   - clientPacketsMissing: sequence ids may jump where a client packet is not in the source.
    init(
        _ trace: TraceFile, start: Phase = .awaitingGreeting, assumedCapabilities: MySQLCapabilities = [],
        clientPacketsMissing: Bool = false
    ) {
        self.trace = trace
        self.negotiated = assumedCapabilities
        var phase = start
        var previousSequenceID: UInt8?
        for line in trace.lines {
            // Sequence ids: a command restarts at 0, everything else continues by one.
            let startsCommand = line.direction == .client && line.sequenceID == 0
            if !startsCommand, let previous = previousSequenceID, line.sequenceID != previous &+ 1 {
                let gapIsAMissingClientPacket =
                    clientPacketsMissing && line.direction == .server && line.sequenceID == previous &+ 2
                if !gapIsAMissingClientPacket {
                    fail(line, "sequence id \(line.sequenceID) follows \(previous)")
                }
            }
            previousSequenceID = line.sequenceID
            switch line.direction {
            case .client:
                clientPacket(line, phase: &phase)
            case .server:
                serverPacket(line, phase: &phase)
            }
        }
    }

    private mutating func fail(_ line: TraceFile.Line, _ message: String) {
        failures.append(
            "\(trace.name):\(line.lineNumber) (\(line.direction == .server ? "S" : "C") \(line.sequenceID)): \(message) — comment: \(line.comment)"
        )
    }

    // MARK: Client packets

    private mutating func clientPacket(_ line: TraceFile.Line, phase: inout Phase) {
        let payload = line.payload
        switch phase {
        case .awaitingGreeting, .tls:
            fail(line, "client packet before the greeting or inside TLS")
        case .authenticating where line.sequenceID == 1 && greeting != nil && client.isEmpty:
            do {
                let caps = MySQLCapabilities(rawValue: try TraceReader.uint32(payload, at: 0))
                if payload.count == 32, caps.contains(.ssl) {
                    // SSLRequest: flags, max packet size, character set, 23 zero bytes.
                    guard payload[9...].allSatisfy({ $0 == 0 }) else {
                        fail(line, "SSLRequest has non-zero reserved bytes")
                        return
                    }
                    client.append(ClientLine(line: line, packet: .sslRequest(caps)))
                    negotiated = caps.intersection(greeting!.capabilities)
                    phase = .tls
                    return
                }
                let response = try TraceHandshakeResponse.parse(payload)
                client.append(ClientLine(line: line, packet: .handshakeResponse(response)))
                negotiated = response.capabilities.intersection(greeting!.capabilities)
            } catch {
                fail(line, "handshake response does not parse: \(error)")
            }
        case .authenticating:
            client.append(ClientLine(line: line, packet: .authData(payload)))
        case .idle:
            guard line.sequenceID == 0 else {
                fail(line, "a command must start with sequence id 0")
                return
            }
            do {
                let command = try TraceCommand.parse(payload, capabilities: negotiated)
                client.append(ClientLine(line: line, packet: .command(command)))
                switch command.code {
                case .query: phase = .result(binary: false)
                case .stmtExecute: phase = .result(binary: true)
                case .fieldList: phase = .fieldList
                case .statistics: phase = .statistics
                case .changeUser: phase = .authenticating
                case .stmtPrepare: phase = .prepare
                case .quit, .stmtClose, .stmtSendLongData: phase = .idle  // no response
                case .ping, .initDB, .resetConnection, .setOption, .stmtReset: phase = .simple
                case .stmtFetch: phase = .result(binary: true)
                }
            } catch {
                fail(line, "command does not parse: \(error)")
            }
        default:
            fail(line, "client packet while the server's response is incomplete")
        }
    }

    // MARK: Server packets

    private mutating func record(_ line: TraceFile.Line, _ kind: Kind, _ parsed: Parsed) {
        server.append(ServerPacket(line: line, kind: kind, parsed: parsed))
    }

    private mutating func serverPacket(_ line: TraceFile.Line, phase: inout Phase) {
        let payload = line.payload[...]
        guard let header = payload.first else {
            fail(line, "empty server packet")
            return
        }
        do throws(MySQLError) {
            switch phase {
            case .awaitingGreeting:
                let greeting = try Greeting.parse(payload)
                self.greeting = greeting
                record(line, .greeting, .greeting(greeting))
                phase = .authenticating

            case .tls:
                fail(line, "plain packet after the SSLRequest")

            case .authenticating:
                switch header {
                case 0x00:
                    try recordOK(line, terminator: false)
                    phase = .idle
                case 0xFF:
                    record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                    phase = .idle
                case 0xFE:
                    record(line, .authSwitch, .authSwitch(try AuthSwitchRequest.parse(payload)))
                case 0x01:
                    record(line, .authMoreData, .authMoreData(Array(payload.dropFirst())))
                default:
                    fail(line, "unexpected packet 0x\(String(header, radix: 16)) during authentication")
                }

            case .idle:
                fail(line, "server packet while no command is running")

            case .simple:
                switch header {
                case 0x00: try recordOK(line, terminator: false)
                case 0xFF: record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                default: fail(line, "expected OK or ERR")
                }
                phase = .idle

            case .statistics:
                // COM_STATISTICS answers with a bare string (no header byte).
                record(line, .statistics, .statistics(String(decoding: payload, as: UTF8.self)))
                phase = .idle

            case .result(let binary):
                switch header {
                case 0x00:
                    let ok = try recordOK(line, terminator: false)
                    phase = ok.status.contains(.moreResultsExist) ? .result(binary: binary) : .idle
                case 0xFF:
                    record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                    phase = .idle
                case 0xFB:
                    fail(line, "LOCAL INFILE request (not expected in these traces)")
                default:
                    var r = ByteReader(payload, context: "column count")
                    let count = try r.readLengthEncodedInteger()
                    try r.expectEnd()
                    record(line, .columnCount, .columnCount(Int(count)))
                    phase = .columns(remaining: Int(count), columns: [], binary: binary)
                }

            case .columns(let remaining, var columns, let binary):
                let column = try parseColumn(payload, fieldList: false).0
                record(line, .column, .column(column, defaultValue: nil))
                columns.append(column)
                if remaining > 1 {
                    phase = .columns(remaining: remaining - 1, columns: columns, binary: binary)
                } else if negotiated.contains(.deprecateEOF) {
                    phase = .rows(
                        columns, binary: binary,
                        batch: RowBatchBuilder(format: binary ? .binary : .text, columnCount: columns.count))
                } else {
                    phase = .columnsEOF(columns, binary: binary)
                }

            case .columnsEOF(let columns, let binary):
                try recordEOF(line)
                phase = .rows(
                    columns, binary: binary,
                    batch: RowBatchBuilder(format: binary ? .binary : .text, columnCount: columns.count))

            case .rows(let columns, let binary, var builder):
                if header == 0xFE && payload.count < maxPhysicalPayload {
                    let status: MySQLServerStatus
                    if negotiated.contains(.deprecateEOF) {
                        status = try recordOK(line, terminator: true).status
                    } else {
                        status = try recordEOF(line).status
                    }
                    phase = status.contains(.moreResultsExist) ? .result(binary: binary) : .idle
                } else if header == 0xFF {
                    record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                    phase = .idle
                } else if binary {
                    let (bitmap, values) = try TraceBinaryRow.parse(payload, columns: columns)
                    let rendered = zip(values, columns).map { value, column in
                        value.map { TraceBinaryRow.render($0, column: column) }
                    }
                    record(line, .binaryRow, .binaryRow(nullBitmap: bitmap, values: rendered))
                } else {
                    try builder.appendTextRow(payload)
                    phase = .rows(columns, binary: binary, batch: builder)
                    let batch = builder.build()
                    let row = batch.count - 1
                    let values = (0..<columns.count).map { column in
                        batch.value(row: row, column: column).map { String(decoding: $0, as: UTF8.self) }
                    }
                    record(line, .textRow, .textRow(values))
                }

            case .fieldList:
                if header == 0xFE && payload.count < maxPhysicalPayload {
                    if negotiated.contains(.deprecateEOF) {
                        try recordOK(line, terminator: true)
                    } else {
                        try recordEOF(line)
                    }
                    phase = .idle
                } else if header == 0xFF {
                    record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                    phase = .idle
                } else {
                    let (column, defaultValue) = try parseColumn(payload, fieldList: true)
                    record(line, .fieldListColumn, .column(column, defaultValue: defaultValue))
                }

            case .prepare:
                if header == 0xFF {
                    record(line, .error, .error(ErrorPacket.parse(payload, capabilities: negotiated)))
                    phase = .idle
                    return
                }
                var r = ByteReader(payload, context: "COM_STMT_PREPARE OK")
                guard try r.readUInt8() == 0 else { throw .violation("COM_STMT_PREPARE OK must start with 0x00") }
                let statementID = try r.readUInt32()
                let columns = Int(try r.readUInt16())
                let parameters = Int(try r.readUInt16())
                guard try r.readUInt8() == 0 else { throw .violation("COM_STMT_PREPARE OK filler is not 0") }
                let warnings = try r.readUInt16()
                try r.expectEnd()
                record(
                    line, .prepareOK,
                    .prepareOK(statementID: statementID, columns: columns, parameters: parameters, warnings: warnings))
                if parameters > 0 {
                    phase = .prepareParameters(remaining: parameters, columns: columns)
                } else if columns > 0 {
                    phase = .prepareColumns(remaining: columns)
                } else {
                    phase = .idle
                }

            case .prepareParameters(let remaining, let columns):
                let column = try parseColumn(payload, fieldList: false).0
                record(line, .parameter, .column(column, defaultValue: nil))
                if remaining > 1 {
                    phase = .prepareParameters(remaining: remaining - 1, columns: columns)
                } else if !negotiated.contains(.deprecateEOF) {
                    phase = .prepareParametersEOF(columns: columns)
                } else {
                    phase = columns > 0 ? .prepareColumns(remaining: columns) : .idle
                }

            case .prepareParametersEOF(let columns):
                try recordEOF(line)
                phase = columns > 0 ? .prepareColumns(remaining: columns) : .idle

            case .prepareColumns(let remaining):
                let column = try parseColumn(payload, fieldList: false).0
                record(line, .column, .column(column, defaultValue: nil))
                if remaining > 1 {
                    phase = .prepareColumns(remaining: remaining - 1)
                } else {
                    phase = negotiated.contains(.deprecateEOF) ? .idle : .prepareColumnsEOF
                }

            case .prepareColumnsEOF:
                try recordEOF(line)
                phase = .idle
            }
        } catch {
            fail(line, "\(error)")
        }
    }

    @discardableResult
    private mutating func recordOK(_ line: TraceFile.Line, terminator: Bool) throws(MySQLError) -> OKPacket {
        let ok = try OKPacket.parse(line.payload[...], capabilities: negotiated)
        // Strictness: re-encode what was parsed; a difference means bytes the parser skipped.
        let reencoded = Self.encodeOK(ok, header: line.payload[0], capabilities: negotiated)
        if reencoded != line.payload {
            fail(line, "OK packet re-encodes as \(traceHex(reencoded)): the parser ignored or misread bytes")
        }
        let state = try TraceSessionState.parse(ok.sessionStateChanges)
        record(line, terminator ? .okTerminator : .ok, .ok(ok, state))
        return ok
    }

    @discardableResult
    private mutating func recordEOF(_ line: TraceFile.Line) throws(MySQLError) -> EOFPacket {
        guard line.payload.first == 0xFE, line.payload.count == 5 else {
            throw .violation("expected a 5-byte EOF packet, got \(line.payload.count) byte(s)")
        }
        let eof = try EOFPacket.parse(line.payload[...])
        record(line, .eof, .eof(eof))
        return eof
    }

    /// The library's column parser, plus a strict walk of the same bytes: after the 12 fixed
    /// bytes nothing may follow, except a COM_FIELD_LIST default value (lenenc or 0xFB NULL).
    private func parseColumn(_ payload: ArraySlice<UInt8>, fieldList: Bool) throws(MySQLError) -> (
        MySQLColumn, String??
    ) {
        let column = try MySQLColumn.parse(payload)
        var r = ByteReader(payload, context: "column definition (strict)")
        for _ in 0..<6 { _ = try r.readLengthEncodedBytes() }
        guard try r.readLengthEncodedInteger() == 0x0C else { throw .violation("fixed-length block is not 12 bytes") }
        try r.skip(10)
        guard try r.readUInt16() == 0 else { throw .violation("column definition filler is not zero") }
        if !fieldList {
            try r.expectEnd()
            return (column, nil)
        }
        if r.isAtEnd { return (column, .none) }
        if r.peekUInt8() == 0xFB {
            _ = try r.readUInt8()
            try r.expectEnd()
            return (column, .some(nil))
        }
        let value = try r.readLengthEncodedString()
        try r.expectEnd()
        return (column, .some(value))
    }

    static func encodeOK(_ ok: OKPacket, header: UInt8, capabilities: MySQLCapabilities) -> [UInt8] {
        var w = ByteWriter()
        w.writeUInt8(header)
        w.writeLengthEncodedInteger(ok.affectedRows)
        w.writeLengthEncodedInteger(ok.lastInsertID)
        w.writeUInt16(ok.status.rawValue)
        w.writeUInt16(ok.warnings)
        if capabilities.contains(.sessionTrack) {
            if !ok.info.isEmpty || !ok.sessionStateChanges.isEmpty {
                w.writeLengthEncodedString(ok.info)
            }
            if !ok.sessionStateChanges.isEmpty {
                w.writeLengthEncodedBytes(ok.sessionStateChanges)
            }
        } else {
            w.writeBytes(Array(ok.info.utf8))
        }
        return w.bytes
    }

    // MARK: Queries over the result

    func packets(_ kind: Kind) -> [ServerPacket] { server.filter { $0.kind == kind } }

    var kindCounts: [Kind: Int] {
        var counts: [Kind: Int] = [:]
        for packet in server { counts[packet.kind, default: 0] += 1 }
        return counts
    }

    var handshakeResponse: TraceHandshakeResponse? {
        for c in client { if case .handshakeResponse(let r) = c.packet { return r } }
        return nil
    }
}

/// One entry of an OK packet's session-state block.
enum TraceSessionState: Equatable, CustomStringConvertible {
    case systemVariable(name: String, value: String)
    case schema(String)
    case stateChange(String)
    case gtids(String)
    case transactionCharacteristics(String)
    case transactionState(String)

    var description: String {
        switch self {
        case .systemVariable(let name, let value): return "sysvar \(name)=\(value)"
        case .schema(let s): return "schema \(s)"
        case .stateChange(let s): return "state-change \(s)"
        case .gtids(let s): return "gtids \(s)"
        case .transactionCharacteristics(let s): return "trx-characteristics '\(s)'"
        case .transactionState(let s): return "trx-state \(s)"
        }
    }

    /// Every entry must decode completely; unknown types are violations here.
    static func parse(_ block: [UInt8]) throws(MySQLError) -> [TraceSessionState] {
        var r = ByteReader(block[...], context: "session state")
        var entries: [TraceSessionState] = []
        while !r.isAtEnd {
            let type = try r.readUInt8()
            var data = ByteReader(try r.readLengthEncodedBytes(), context: "session state entry")
            switch type {
            case 0:
                let name = try data.readLengthEncodedString()
                entries.append(.systemVariable(name: name, value: try data.readLengthEncodedString()))
            case 1: entries.append(.schema(try data.readLengthEncodedString()))
            case 2: entries.append(.stateChange(try data.readLengthEncodedString()))
            case 3:
                guard try data.readUInt8() == 0 else { throw .violation("unknown GTID encoding") }
                entries.append(.gtids(try data.readLengthEncodedString()))
            case 4: entries.append(.transactionCharacteristics(try data.readLengthEncodedString()))
            case 5: entries.append(.transactionState(try data.readLengthEncodedString()))
            default: throw .violation("unknown session-state type \(type)")
            }
            try data.expectEnd()
        }
        return entries
    }
}

/// Protocol::HandshakeResponse41 as a client sent it.
struct TraceHandshakeResponse {
    var capabilities: MySQLCapabilities
    var maxPacketSize: UInt32
    var characterSet: UInt8
    var username: String
    var authResponse: [UInt8]
    var database: String?
    var pluginName: String?
    var attributes: [(String, String)]

    static func parse(_ payload: [UInt8]) throws(MySQLError) -> TraceHandshakeResponse {
        var r = ByteReader(payload[...], context: "handshake response")
        let caps = MySQLCapabilities(rawValue: try r.readUInt32())
        let maxPacketSize = try r.readUInt32()
        let characterSet = try r.readUInt8()
        try r.skip(23)
        let username = try r.readNullTerminatedString()
        let auth: [UInt8]
        if caps.contains(.pluginAuthLengthEncodedClientData) {
            auth = Array(try r.readLengthEncodedBytes())
        } else if caps.contains(.secureConnection) {
            auth = Array(try r.readBytes(Int(try r.readUInt8())))
        } else {
            auth = Array(try r.readNullTerminatedBytes())
        }
        let database = caps.contains(.connectWithDB) ? try r.readNullTerminatedString() : nil
        let plugin = caps.contains(.pluginAuth) ? try r.readNullTerminatedString() : nil
        var attributes: [(String, String)] = []
        if caps.contains(.connectAttributes) {
            var a = ByteReader(try r.readLengthEncodedBytes(), context: "connection attributes")
            while !a.isAtEnd {
                let key = try a.readLengthEncodedString()
                attributes.append((key, try a.readLengthEncodedString()))
            }
        }
        // CLIENT_ZSTD_COMPRESSION_ALGORITHM would add a level byte; none of these clients set it.
        try r.expectEnd()
        return TraceHandshakeResponse(
            capabilities: caps, maxPacketSize: maxPacketSize, characterSet: characterSet, username: username,
            authResponse: auth, database: database, pluginName: plugin, attributes: attributes)
    }
}

/// A command packet as a client sent it; the fields the tests need.
struct TraceCommand {
    var code: CommandCode
    /// COM_QUERY / COM_STMT_PREPARE text, COM_FIELD_LIST table.
    var text: String?
    /// COM_QUERY query attributes (name, raw value) when CLIENT_QUERY_ATTRIBUTES was negotiated.
    var queryAttributes: [(name: String, value: [UInt8]?)] = []
    var statementID: UInt32?
    /// COM_CHANGE_USER.
    var changeUser: (username: String, authResponse: [UInt8], database: String, pluginName: String)?

    static func parse(_ payload: [UInt8], capabilities: MySQLCapabilities) throws(MySQLError) -> TraceCommand {
        var r = ByteReader(payload[...], context: "command")
        let byte = try r.readUInt8()
        guard let code = CommandCode(rawValue: byte) else {
            throw .violation("unknown command 0x\(String(byte, radix: 16))")
        }
        var command = TraceCommand(code: code)
        switch code {
        case .query:
            if capabilities.contains(.queryAttributes) {
                let count = Int(try r.readLengthEncodedInteger())
                guard try r.readLengthEncodedInteger() == 1 else { throw .violation("parameter set count must be 1") }
                if count > 0 {
                    let bitmap = Array(try r.readBytes((count + 7) / 8))
                    guard try r.readUInt8() == 1 else { throw .violation("query attributes without types") }
                    var types: [(MySQLType, String)] = []
                    for _ in 0..<count {
                        let type = MySQLType(rawValue: UInt8(truncatingIfNeeded: try r.readUInt16()))
                        types.append((type, try r.readLengthEncodedString()))
                    }
                    for (i, (type, name)) in types.enumerated() {
                        if bitmap[i / 8] & (1 << (i % 8)) != 0 {
                            command.queryAttributes.append((name, nil))
                            continue
                        }
                        let value = try TraceBinaryRow.value(&r, type: type)
                        command.queryAttributes.append((name, Array(value)))
                    }
                }
            }
            command.text = String(decoding: r.readRest(), as: UTF8.self)
        case .stmtPrepare, .initDB:
            command.text = String(decoding: r.readRest(), as: UTF8.self)
        case .fieldList:
            command.text = try r.readNullTerminatedString()
            _ = r.readRest()  // wildcard
        case .stmtExecute, .stmtClose, .stmtReset, .stmtSendLongData, .stmtFetch:
            command.statementID = try r.readUInt32()
            _ = r.readRest()
        case .changeUser:
            let user = try r.readNullTerminatedString()
            let auth = Array(try r.readBytes(Int(try r.readUInt8())))
            let database = try r.readNullTerminatedString()
            _ = try r.readUInt16()  // character set
            let plugin = try r.readNullTerminatedString()
            _ = try r.readLengthEncodedBytes()  // connection attributes
            try r.expectEnd()
            command.changeUser = (user, auth, database, plugin)
        case .quit, .ping, .statistics, .resetConnection:
            try r.expectEnd()
        case .setOption:
            _ = try r.readUInt16()
            try r.expectEnd()
        }
        return command
    }
}

/// Binary-protocol rows (COM_STMT_EXECUTE results): 0x00, a NULL bitmap offset by 2 bits, then
/// the non-NULL values by column type. The library has no binary row decoder in this layer
/// yet, so the test walks the row itself to prove every byte is accounted for.
enum TraceBinaryRow {
    static func parse(_ payload: ArraySlice<UInt8>, columns: [MySQLColumn]) throws(MySQLError) -> ([UInt8], [[UInt8]?])
    {
        var r = ByteReader(payload, context: "binary row")
        guard try r.readUInt8() == 0 else { throw .violation("binary row must start with 0x00") }
        let bitmap = Array(try r.readBytes((columns.count + 7 + 2) / 8))
        var values: [[UInt8]?] = []
        for (i, column) in columns.enumerated() {
            let bit = i + 2
            if bitmap[bit / 8] & (1 << (bit % 8)) != 0 {
                values.append(nil)
                continue
            }
            values.append(Array(try value(&r, type: column.type)))
        }
        try r.expectEnd()
        return (bitmap, values)
    }

    /// One binary value (also the encoding of COM_QUERY attributes and statement parameters).
    static func value(_ r: inout ByteReader, type: MySQLType) throws(MySQLError) -> ArraySlice<UInt8> {
        switch type {
        case .tiny: return try r.readBytes(1)
        case .short, .year: return try r.readBytes(2)
        case .long, .int24, .float: return try r.readBytes(4)
        case .longlong, .double: return try r.readBytes(8)
        case .date, .datetime, .timestamp, .time, .newdate, .datetime2, .timestamp2, .time2:
            let length = Int(try r.readUInt8())
            guard [0, 4, 7, 8, 11, 12].contains(length) else { throw .violation("temporal value of \(length) bytes") }
            return try r.readBytes(length)
        case .null: return []
        default: return try r.readLengthEncodedBytes()
        }
    }
}

extension TraceBinaryRow {
    static func render(_ bytes: [UInt8], column: MySQLColumn) -> String {
        func littleEndian(_ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<count { value |= UInt64(bytes[i]) << (8 * i) }
            return value
        }
        let unsigned = column.flags.contains(.unsigned)
        switch column.type {
        case .tiny: return unsigned ? "\(bytes[0])" : "\(Int8(bitPattern: bytes[0]))"
        case .short, .year:
            let v = UInt16(littleEndian(2))
            return unsigned ? "\(v)" : "\(Int16(bitPattern: v))"
        case .long, .int24:
            let v = UInt32(littleEndian(4))
            return unsigned ? "\(v)" : "\(Int32(bitPattern: v))"
        case .longlong:
            let v = littleEndian(8)
            return unsigned ? "\(v)" : "\(Int64(bitPattern: v))"
        case .date, .datetime, .timestamp:
            guard bytes.count >= 4 else { return "0000-00-00 00:00:00" }
            func two(_ v: UInt8) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let year = Int(bytes[0]) | Int(bytes[1]) << 8
            var text =
                String(repeating: "0", count: max(0, 4 - "\(year)".count)) + "\(year)-\(two(bytes[2]))-\(two(bytes[3]))"
            if bytes.count >= 7 { text += " \(two(bytes[4])):\(two(bytes[5])):\(two(bytes[6]))" }
            if bytes.count == 11 {
                let micro = "\(Int(bytes[7]) | Int(bytes[8]) << 8 | Int(bytes[9]) << 16 | Int(bytes[10]) << 24)"
                text += "." + String(repeating: "0", count: 6 - micro.count) + micro
            }
            return text
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// Small readers for raw client payloads.
enum TraceReader {
    static func uint32(_ bytes: [UInt8], at offset: Int) throws(MySQLError) -> UInt32 {
        var r = ByteReader(bytes[...], context: "uint32")
        try r.skip(offset)
        return try r.readUInt32()
    }
}
