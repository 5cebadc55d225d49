@testable import MySQLWireProtocol

/// Builders of the prepared-statement packets, spelled out from the protocol documentation
/// (MySQL "COM_STMT_PREPARE Response" and "Binary Protocol Resultset Row"; MariaDB
/// "COM_STMT_EXECUTE", "COM_STMT_SEND_LONG_DATA", "COM_STMT_FETCH"), and the byte helpers the
/// expected client packets are written with. Nothing here calls the encoders under test.
enum StatementPackets {
    /// COM_STMT_PREPARE_OK: `0x00, statement_id<4>, num_columns<2>, num_params<2>,
    /// reserved<1>, warning_count<2>`.
    static func prepareOK(statementID: UInt32, columns: UInt16, parameters: UInt16, warnings: UInt16 = 0)
        -> [UInt8]
    {
        [0x00] + le(statementID) + le(columns) + le(parameters) + [0x00] + le(warnings)
    }

    /// A parameter definition as servers send one per `?`: a ColumnDefinition41 named "?"
    /// with little more than a type.
    static func parameter(type: MySQLType = .varString) -> [UInt8] {
        ServerPackets.column("?", type: type, charset: 63, length: 0)
    }

    /// Protocol::BinaryResultsetRow: header 0x00, the NULL bitmap ((columns + 7 + 2) / 8
    /// bytes, column i at bit i + 2), then each non-NULL value as it is on the wire (`nil` is
    /// NULL). Values are given with their length prefix, if they have one.
    static func binaryRow(_ values: [[UInt8]?]) -> [UInt8] {
        var bitmap = [UInt8](repeating: 0, count: (values.count + 9) / 8)
        var body: [UInt8] = []
        for (column, value) in values.enumerated() {
            if let value {
                body += value
            } else {
                bitmap[(column + 2) / 8] |= 1 << UInt8((column + 2) % 8)
            }
        }
        return [0x00] + bitmap + body
    }

    /// A result set terminator: with CLIENT_DEPRECATE_EOF an OK packet with header 0xFE,
    /// else an EOF packet (`0xFE, warnings<2>, status<2>`).
    static func terminator(status: UInt16, deprecateEOF: Bool) -> [UInt8] {
        deprecateEOF ? ServerPackets.ok(status: status, header: 0xFE) : ServerPackets.eof(status: status)
    }
}

// MARK: Byte helpers

/// `value` little-endian, as every fixed-length integer of the protocol.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// A string<lenenc> of up to 0xFFFF bytes: one length byte below 251, else 0xFC and two bytes.
func lenenc(_ bytes: [UInt8]) -> [UInt8] {
    precondition(bytes.count <= 0xFFFF)
    return (bytes.count < 251 ? [UInt8(bytes.count)] : [0xFC] + le(UInt16(bytes.count))) + bytes
}

func lenenc(_ text: String) -> [UInt8] { lenenc(Array(text.utf8)) }

/// One packet as it goes over the wire: `payload_length<3>, sequence_id<1>, payload`
/// (payloads under 16 MiB).
func framed(_ payload: [UInt8], seq: UInt8) -> [UInt8] {
    precondition(payload.count < 0xFF_FFFF)
    return [
        UInt8(payload.count & 0xFF), UInt8((payload.count >> 8) & 0xFF), UInt8(payload.count >> 16), seq,
    ] + payload
}

/// Server payloads framed with consecutive sequence ids from `firstSeq`.
func serverWire(_ payloads: [[UInt8]], firstSeq: UInt8) -> [UInt8] {
    var out: [UInt8] = []
    for (i, payload) in payloads.enumerated() {
        out += framed(payload, seq: firstSeq &+ UInt8(truncatingIfNeeded: i))
    }
    return out
}

/// The values of one row of a batch as arrays (`nil` is NULL).
func rowValues(_ batch: RowBatch?, _ row: Int) -> [[UInt8]?] {
    guard let batch else { return [] }
    return (0..<batch.columnCount).map { batch.value(row: row, column: $0).map(Array.init) }
}

/// A parameter that cannot be encoded: it writes a few bytes, then throws.
struct UnencodableParameter: MySQLEncodable {
    func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        buffer += [0xDE, 0xAD, 0xBE, 0xEF]
        throw MySQLError(.invalidUsage, "this value has no MySQL form")
    }
}

/// One value of a binary row as a test writes it: its bytes, and how the row carries them.
enum BinaryValue: Sendable {
    case null
    /// Numbers: TINY 1 byte, SHORT and YEAR 2, LONG, INT24 and FLOAT 4, LONGLONG and DOUBLE 8.
    case fixed([UInt8])
    /// DATE, DATETIME, TIMESTAMP (0, 4, 7 or 11 bytes) and TIME (0, 8 or 12): a length byte first.
    case lengthByte([UInt8])
    /// Everything else: a string<lenenc>.
    case lengthEncoded([UInt8])

    static func text(_ text: String) -> BinaryValue { .lengthEncoded(Array(text.utf8)) }

    /// The value as the row carries it; nil for NULL (a bit in the bitmap).
    var wire: [UInt8]? {
        switch self {
        case .null: return nil
        case .fixed(let bytes): return bytes
        case .lengthByte(let bytes): return [UInt8(bytes.count)] + bytes
        case .lengthEncoded(let bytes): return lenenc(bytes)
        }
    }

    /// What `RowBatch.value(row:column:)` should give: the bytes without their length prefix.
    var value: [UInt8]? {
        switch self {
        case .null: return nil
        case .fixed(let bytes), .lengthByte(let bytes), .lengthEncoded(let bytes): return bytes
        }
    }
}

extension StatementPackets {
    static func binaryRow(_ values: [BinaryValue]) -> [UInt8] { binaryRow(values.map(\.wire)) }
}

extension Conversation {
    /// A connection past login; with `deprecateEOF: false` the server lacks
    /// CLIENT_DEPRECATE_EOF, so EOF packets close column definitions and results.
    static func loggedIn(deprecateEOF: Bool = true, configure: (inout ConnectionSettings) -> Void = { _ in })
        -> Conversation
    {
        var c = Conversation(configure: configure)
        var capabilities = ServerPackets.defaultServerCapabilities
        if !deprecateEOF { capabilities.remove(.deprecateEOF) }
        _ = c.server(ServerPackets.greeting(capabilities: capabilities), seq: 0)
        _ = c.server(ServerPackets.ok(), seq: 2)
        precondition(c.machine.isReady, "login failed")
        return c
    }
}

extension ConnectionAction {
    var writtenBytes: [UInt8]? {
        if case .write(let bytes) = self { return bytes }
        return nil
    }

    var preparedStatement: PreparedStatementDescription? {
        if case .statementPrepared(let description) = self { return description }
        return nil
    }

    var startedColumns: MySQLColumns? {
        if case .resultSetStarted(let columns) = self { return columns }
        return nil
    }

    var resultSetEnd: (rows: RowBatch?, ok: OKPacket, more: Bool)? {
        if case .resultSetEnded(let rows, let ok, let more) = self { return (rows, ok, more) }
        return nil
    }

    var isCursorFetchNeeded: Bool {
        if case .cursorFetchNeeded = self { return true }
        return false
    }

    var cursorFetchRows: RowBatch? {
        if case .cursorFetchNeeded(let rows) = self { return rows }
        return nil
    }

    var commandError: MySQLError? {
        if case .commandFailed(let error) = self { return error }
        return nil
    }

    var connectionError: MySQLError? {
        if case .closeWithError(let error) = self { return error }
        return nil
    }
}
