/// Protocol::ERR_Packet.
public struct ErrorPacket: Sendable, Equatable {
    public var code: UInt16
    /// Five characters, or empty when the server sent none (before PROTOCOL_41 is known).
    public var sqlState: String
    public var message: String

    public var error: MySQLError { MySQLError(.server(code: code, sqlState: sqlState), message) }

    /// Never fails: whatever the bytes, a server error comes out (a truncated ERR keeps what it has).
    public static func parse(_ payload: ArraySlice<UInt8>, capabilities: MySQLCapabilities) -> ErrorPacket {
        var r = ByteReader(payload, context: "ERR packet")
        _ = try? r.readUInt8()
        guard let code = try? r.readUInt16() else {
            return ErrorPacket(code: 0, sqlState: "", message: "malformed ERR packet from the server")
        }
        var sqlState = ""
        // The '#' marker and state exist with PROTOCOL_41; an ERR sent in place of the greeting
        // has none, so look for the marker rather than trusting the flags.
        if r.peekUInt8() == UInt8(ascii: "#"), r.remaining >= 6 {
            _ = try? r.readUInt8()
            sqlState = String(decoding: (try? r.readBytes(5)) ?? [], as: UTF8.self)
        }
        let message = String(decoding: r.readRest(), as: UTF8.self)
        return ErrorPacket(code: code, sqlState: sqlState, message: message)
    }
}

/// Protocol::EOF_Packet (classic, without DEPRECATE_EOF): 0xFE, warnings, status.
public struct EOFPacket: Sendable, Equatable {
    public var warnings: UInt16
    public var status: MySQLServerStatus

    public static func parse(_ payload: ArraySlice<UInt8>) throws(MySQLError) -> EOFPacket {
        var r = ByteReader(payload, context: "EOF packet")
        guard try r.readUInt8() == 0xFE else { throw .violation("EOF packet does not start with 0xFE") }
        if r.isAtEnd { return EOFPacket(warnings: 0, status: []) }
        let warnings = try r.readUInt16()
        let status = MySQLServerStatus(rawValue: try r.readUInt16())
        return EOFPacket(warnings: warnings, status: status)
    }
}
