@testable import MySQLWireProtocol

/// Builders of server-side packets, written from the protocol documentation, so each test
/// reads as a conversation.
enum ServerPackets {
    static let nonce: [UInt8] = Array("abcdefgh12345678ijkl".utf8)

    /// A MariaDB 10.11-style greeting (CLIENT_MYSQL cleared, `5.5.5-` prefix).
    static func greeting(
        version: String = "5.5.5-10.11.6-MariaDB", connectionID: UInt32 = 42, plugin: String = "mysql_native_password",
        capabilities: MySQLCapabilities = defaultServerCapabilities, nonce: [UInt8] = nonce
    ) -> [UInt8] {
        var w = ByteWriter()
        w.writeUInt8(10)
        w.writeNullTerminatedString(version)
        w.writeUInt32(connectionID)
        w.writeBytes(nonce[0..<8])
        w.writeUInt8(0)
        w.writeUInt16(UInt16(truncatingIfNeeded: capabilities.rawValue))
        w.writeUInt8(45)
        w.writeUInt16(2)
        w.writeUInt16(UInt16(truncatingIfNeeded: capabilities.rawValue >> 16))
        w.writeUInt8(UInt8(nonce.count + 1))
        w.writeZeros(6)
        w.writeUInt32(0)
        w.writeBytes(nonce[8...])
        w.writeUInt8(0)
        w.writeNullTerminatedString(plugin)
        return w.bytes
    }

    static let defaultServerCapabilities: MySQLCapabilities = [
        .foundRows, .longFlag, .connectWithDB, .noSchema, .compress, .odbc, .localFiles, .ignoreSpace, .protocol41,
        .interactive, .ssl, .ignoreSigpipe, .transactions, .reserved, .secureConnection, .multiStatements,
        .multiResults, .psMultiResults, .pluginAuth, .connectAttributes, .pluginAuthLengthEncodedClientData,
        .canHandleExpiredPasswords, .sessionTrack, .deprecateEOF,
    ]

    static func ok(
        affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: UInt16 = 2, warnings: UInt16 = 0, header: UInt8 = 0
    ) -> [UInt8] {
        var w = ByteWriter()
        w.writeUInt8(header)
        w.writeLengthEncodedInteger(affectedRows)
        w.writeLengthEncodedInteger(lastInsertID)
        w.writeUInt16(status)
        w.writeUInt16(warnings)
        return w.bytes
    }

    static func err(code: UInt16, sqlState: String = "HY000", message: String) -> [UInt8] {
        var w = ByteWriter()
        w.writeUInt8(0xFF)
        w.writeUInt16(code)
        if !sqlState.isEmpty {
            w.writeBytes(Array("#\(sqlState)".utf8))
        }
        w.writeBytes(Array(message.utf8))
        return w.bytes
    }

    static func eof(status: UInt16 = 2) -> [UInt8] { [0xFE, 0, 0, UInt8(status & 0xFF), UInt8(status >> 8)] }

    static func columnCount(_ n: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.writeLengthEncodedInteger(n)
        return w.bytes
    }

    static func column(
        _ name: String, type: MySQLType = .varString, flags: MySQLColumnFlags = [], charset: UInt16 = 45,
        length: UInt32 = 255, decimals: UInt8 = 0
    ) -> [UInt8] {
        var w = ByteWriter()
        w.writeLengthEncodedString("def")
        w.writeLengthEncodedString("test")
        w.writeLengthEncodedString("t")
        w.writeLengthEncodedString("t")
        w.writeLengthEncodedString(name)
        w.writeLengthEncodedString(name)
        w.writeLengthEncodedInteger(0x0C)
        w.writeUInt16(charset)
        w.writeUInt32(length)
        w.writeUInt8(type.rawValue)
        w.writeUInt16(flags.rawValue)
        w.writeUInt8(decimals)
        w.writeZeros(2)
        return w.bytes
    }

    /// A text row; nil is NULL.
    static func row(_ values: [String?]) -> [UInt8] {
        var w = ByteWriter()
        for value in values {
            if let value { w.writeLengthEncodedString(value) } else { w.writeUInt8(0xFB) }
        }
        return w.bytes
    }

    static func authSwitch(plugin: String, data: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.writeUInt8(0xFE)
        w.writeNullTerminatedString(plugin)
        w.writeBytes(data)
        w.writeUInt8(0)
        return w.bytes
    }

    /// Frames a payload with header.
    static func frame(_ payload: [UInt8], seq: UInt8) -> [UInt8] {
        var s = seq
        return PacketEncoder.frame(payload, sequenceID: &s)
    }
}

/// Drives a ConnectionStateMachine like the IO layer would, collecting actions.
struct Conversation {
    var machine: ConnectionStateMachine

    init(
        username: String = "u", password: String = "secret", database: String? = nil,
        configure: (inout ConnectionSettings) -> Void = { _ in }
    ) {
        var settings = ConnectionSettings(username: username, password: password, database: database)
        settings.connectionAttributes = []
        configure(&settings)
        machine = ConnectionStateMachine(settings: settings)
        _ = machine.connected()
    }

    mutating func server(_ payload: [UInt8], seq: UInt8) -> ConnectionAction {
        machine.packetReceived(Packet(sequenceID: seq, payload: payload[...]))
    }

    /// Greeting + OK: a ready connection.
    mutating func login(plugin: String = "mysql_native_password") {
        _ = server(ServerPackets.greeting(plugin: plugin), seq: 0)
        _ = server(ServerPackets.ok(), seq: 2)
    }
}

/// The payload of the first packet in framed bytes, and its sequence id.
func unframe(_ bytes: [UInt8]) -> (seq: UInt8, payload: [UInt8]) {
    precondition(bytes.count >= 4)
    let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
    return (bytes[3], Array(bytes[4..<(4 + length)]))
}
