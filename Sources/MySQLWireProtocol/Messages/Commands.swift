/// Command bytes (`COM_*`).
public enum CommandCode: UInt8, Sendable {
    case quit = 0x01
    case initDB = 0x02
    case query = 0x03
    case fieldList = 0x04
    case statistics = 0x09
    case ping = 0x0E
    case changeUser = 0x11
    case stmtPrepare = 0x16
    case stmtExecute = 0x17
    case stmtSendLongData = 0x18
    case stmtClose = 0x19
    case stmtReset = 0x1A
    case setOption = 0x1B
    case stmtFetch = 0x1C
    case resetConnection = 0x1F
}

/// Builders of command packets, framed into an output buffer. Every command starts at
/// sequence id 0.
public enum CommandEncoder {
    /// A command whose payload is the command byte plus `argument` (COM_QUERY, COM_INIT_DB).
    /// Returns the sequence id the server's reply starts with (one past the last packet: a
    /// command of 16 MiB or more is split).
    @discardableResult
    public static func command(_ code: CommandCode, argument: some StringProtocol, into out: inout [UInt8]) -> UInt8 {
        let start = PacketEncoder.beginPacket(&out)
        out.append(code.rawValue)
        out.append(contentsOf: argument.utf8)
        var sequenceID: UInt8 = 0
        PacketEncoder.endPacket(&out, start: start, sequenceID: &sequenceID)
        return sequenceID
    }

    /// A command of just its byte (COM_PING, COM_QUIT, COM_RESET_CONNECTION). Returns the
    /// sequence id of the reply.
    @discardableResult
    public static func command(_ code: CommandCode, into out: inout [UInt8]) -> UInt8 {
        out.append(contentsOf: [1, 0, 0, 0, code.rawValue] as [UInt8])
        return 1
    }
}
