/// Protocol::HandshakeV10, the server's first packet.
public struct Greeting: Sendable {
    public var protocolVersion: UInt8
    public var serverVersion: String
    public var connectionID: UInt32
    /// The 20-byte nonce: part 1 (8 bytes) + part 2 without its trailing NUL.
    public var nonce: [UInt8]
    public var capabilities: MySQLCapabilities
    public var mariaDBCapabilities: MariaDBCapabilities
    public var characterSet: UInt8
    public var status: MySQLServerStatus
    public var authPluginName: String
    public var flavor: ServerFlavor

    /// Parses the greeting. An ERR packet in its place (too many connections, host blocked)
    /// becomes the server error; a pre-4.1 server is refused.
    public static func parse(_ payload: ArraySlice<UInt8>) throws(MySQLError) -> Greeting {
        var r = ByteReader(payload, context: "greeting")
        let version = try r.readUInt8()
        if version == 0xFF {
            throw ErrorPacket.parse(payload, capabilities: []).error
        }
        guard version == 10 else {
            throw MySQLError(
                .protocolViolation,
                "unsupported handshake protocol version \(version); MySQLWire speaks version 10 (MySQL 4.1 and later)")
        }
        let serverVersion = try r.readNullTerminatedString()
        let connectionID = try r.readUInt32()
        var nonce = Array(try r.readBytes(8))
        try r.skip(1)
        var capabilities = MySQLCapabilities(rawValue: UInt32(try r.readUInt16()))
        guard capabilities.contains(.protocol41) else {
            throw MySQLError(
                .protocolViolation,
                "server \(serverVersion) does not speak protocol 4.1 (CLIENT_PROTOCOL_41); servers older than MySQL 4.1 are not supported"
            )
        }
        let characterSet = try r.readUInt8()
        let status = MySQLServerStatus(rawValue: try r.readUInt16())
        capabilities.rawValue |= UInt32(try r.readUInt16()) << 16
        let authDataLength = Int(try r.readUInt8())
        try r.skip(6)
        let extended = MariaDBCapabilities(rawValue: try r.readUInt32())
        let flavor = ServerFlavor(versionString: serverVersion, capabilities: capabilities)
        if capabilities.contains(.secureConnection) {
            let part2Length = max(13, authDataLength - 8)
            let part2 = try r.readBytes(part2Length)
            // The last byte of part 2 is a NUL terminator, not nonce.
            nonce.append(contentsOf: part2.dropLast())
        }
        var plugin = ""
        if capabilities.contains(.pluginAuth), !r.isAtEnd {
            // Some servers omit the final NUL: take the rest then.
            let rest = r.readRest()
            let name = rest.firstIndex(of: 0).map { rest[..<$0] } ?? rest
            plugin = String(decoding: name, as: UTF8.self)
        }
        return Greeting(
            protocolVersion: version, serverVersion: serverVersion, connectionID: connectionID, nonce: nonce,
            capabilities: capabilities, mariaDBCapabilities: flavor.usesExtendedCapabilities ? extended : [],
            characterSet: characterSet, status: status, authPluginName: plugin, flavor: flavor)
    }
}
