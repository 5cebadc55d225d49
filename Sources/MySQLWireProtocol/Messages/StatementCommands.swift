/// Builders of the prepared-statement commands, framed into an output buffer. Each command
/// starts at sequence id 0; the builders return the sequence id of the server's reply.
public enum StatementEncoder {
    /// COM_STMT_EXECUTE flag: open a read-only cursor (rows come with COM_STMT_FETCH).
    static let cursorReadOnly: UInt8 = 0x01
    /// Long data is sent in parts of at most this many bytes: below any server's
    /// max_allowed_packet (MySQL and MariaDB refuse a packet above it).
    public static let longDataChunkBytes = 1 << 20

    /// COM_STMT_PREPARE.
    @discardableResult
    public static func prepare(_ sql: some StringProtocol, into out: inout [UInt8]) -> UInt8 {
        CommandEncoder.command(.stmtPrepare, argument: sql, into: &out)
    }

    /// COM_STMT_EXECUTE with every parameter's type announced (new-params-bound = 1). A string
    /// or bytes value longer than `longDataThreshold` is sent before it, in parts, with
    /// COM_STMT_SEND_LONG_DATA (which has no reply) and left out of the execute packet, so a
    /// value larger than a packet can be bound. Throws when a value cannot be encoded; `out` is
    /// then unchanged.
    public static func execute(
        statementID: UInt32, parameters: [any MySQLEncodable], cursor: Bool, longDataThreshold: Int,
        into out: inout [UInt8]
    ) throws(MySQLError) -> UInt8 {
        let commandStart = out.count
        let start = PacketEncoder.beginPacket(&out)
        out.append(CommandCode.stmtExecute.rawValue)
        appendUInt32(statementID, to: &out)
        out.append(cursor ? cursorReadOnly : 0)
        appendUInt32(1, to: &out)  // iteration count
        var longData: [UInt8] = []
        let count = parameters.count
        if count > 0 {
            let bitmapStart = out.count
            out.append(contentsOf: repeatElement(0, count: (count + 7) / 8))
            out.append(1)  // new-params-bound: the types follow
            let typesStart = out.count
            out.append(contentsOf: repeatElement(0, count: count * 2))
            for (index, parameter) in parameters.enumerated() {
                let valueStart = out.count
                let type: MySQLParameterType
                do throws(MySQLError) {
                    type = try parameter.encodeMySQLParameter(into: &out)
                } catch {
                    out.removeSubrange(commandStart...)
                    throw MySQLError(error.kind, "parameter \(index + 1): \(error.message)")
                }
                out[typesStart + 2 * index] = type.type.rawValue
                out[typesStart + 2 * index + 1] = type.isUnsigned ? 0x80 : 0
                if type == .null {
                    out.removeSubrange(valueStart...)  // a NULL carries no bytes
                    out[bitmapStart + index / 8] |= 1 << UInt8(index % 8)
                } else if out.count - valueStart > longDataThreshold, type.type.isLongDataCapable,
                    let content = lengthEncodedContent(out, from: valueStart), content.count > longDataThreshold
                {
                    appendLongData(
                        statementID: statementID, parameter: UInt16(clamping: index), out[content], to: &longData)
                    out.removeSubrange(valueStart...)
                }
            }
        }
        var sequenceID: UInt8 = 0
        PacketEncoder.endPacket(&out, start: start, sequenceID: &sequenceID)
        if !longData.isEmpty {
            out.insert(contentsOf: longData, at: commandStart)
        }
        return sequenceID
    }

    /// COM_STMT_SEND_LONG_DATA packets for one parameter: each is its own command (sequence
    /// id 0) and the server does not answer them.
    static func appendLongData(
        statementID: UInt32, parameter: UInt16, _ data: ArraySlice<UInt8>, to out: inout [UInt8]
    ) {
        var offset = data.startIndex
        repeat {
            let end = min(offset + longDataChunkBytes, data.endIndex)
            let start = PacketEncoder.beginPacket(&out)
            out.append(CommandCode.stmtSendLongData.rawValue)
            appendUInt32(statementID, to: &out)
            out.append(UInt8(truncatingIfNeeded: parameter))
            out.append(UInt8(truncatingIfNeeded: parameter >> 8))
            out.append(contentsOf: data[offset..<end])
            var sequenceID: UInt8 = 0
            PacketEncoder.endPacket(&out, start: start, sequenceID: &sequenceID)
            offset = end
        } while offset < data.endIndex
    }

    /// COM_STMT_FETCH: `rows` more rows of the open cursor.
    @discardableResult
    public static func fetch(statementID: UInt32, rows: UInt32, into out: inout [UInt8]) -> UInt8 {
        out.append(contentsOf: [9, 0, 0, 0, CommandCode.stmtFetch.rawValue] as [UInt8])
        appendUInt32(statementID, to: &out)
        appendUInt32(rows, to: &out)
        return 1
    }

    /// COM_STMT_CLOSE (no reply) or COM_STMT_RESET (an OK or ERR reply).
    @discardableResult
    public static func command(_ code: CommandCode, statementID: UInt32, into out: inout [UInt8]) -> UInt8 {
        out.append(contentsOf: [5, 0, 0, 0, code.rawValue] as [UInt8])
        appendUInt32(statementID, to: &out)
        return 1
    }

    @inline(__always)
    static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// The range of the content of the length-encoded string at `start`, nil if it is not one.
    static func lengthEncodedContent(_ bytes: [UInt8], from start: Int) -> Range<Int>? {
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        let width: Int
        switch first {
        case 0..<0xFB: return (start + 1)..<bytes.count
        case 0xFC: width = 2
        case 0xFD: width = 3
        case 0xFE: width = 8
        default: return nil
        }
        guard bytes.count - start - 1 >= width else { return nil }
        var length: UInt64 = 0
        for i in 0..<width { length |= UInt64(bytes[start + 1 + i]) << (8 * i) }
        let contentStart = start + 1 + width
        guard length == UInt64(bytes.count - contentStart) else { return nil }
        return contentStart..<bytes.count
    }
}

extension MySQLType {
    /// String and bytes types, which COM_STMT_SEND_LONG_DATA can carry.
    var isLongDataCapable: Bool {
        switch self {
        case .varchar, .varString, .string, .tinyBlob, .mediumBlob, .longBlob, .blob, .json, .geometry: return true
        default: return false
        }
    }
}
