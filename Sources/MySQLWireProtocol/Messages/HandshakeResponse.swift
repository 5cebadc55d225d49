/// Protocol::HandshakeResponse41.
public struct HandshakeResponse {
    public var capabilities: MySQLCapabilities
    public var mariaDBCapabilities: MariaDBCapabilities
    public var maxPacketSize: UInt32
    public var characterSet: UInt8
    public var username: String
    public var authResponse: [UInt8]
    public var database: String?
    public var authPluginName: String
    public var attributes: [(key: String, value: String)]

    /// The payload (without the packet header).
    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 128 + authResponse.count)
        writeFixedPart(into: &w)
        w.writeNullTerminatedString(username)
        if capabilities.contains(.pluginAuthLengthEncodedClientData) {
            w.writeLengthEncodedBytes(authResponse)
        } else {
            w.writeUInt8(UInt8(authResponse.count))
            w.writeBytes(authResponse)
        }
        if capabilities.contains(.connectWithDB) {
            w.writeNullTerminatedString(database ?? "")
        }
        if capabilities.contains(.pluginAuth) {
            w.writeNullTerminatedString(authPluginName)
        }
        if capabilities.contains(.connectAttributes) {
            var attrs = ByteWriter()
            for (key, value) in attributes {
                attrs.writeLengthEncodedString(key)
                attrs.writeLengthEncodedString(value)
            }
            w.writeLengthEncodedBytes(attrs.bytes)
        }
        return w.bytes
    }

    /// The SSLRequest: the first 32 bytes of this response (CLIENT_SSL in `capabilities`),
    /// sent in plain text before the TLS handshake.
    public func encodeSSLRequest() -> [UInt8] {
        var w = ByteWriter(capacity: 32)
        writeFixedPart(into: &w)
        return w.bytes
    }

    /// Capabilities, maximum packet size, character set and the 23 reserved bytes, of which
    /// MariaDB reads its extended capabilities from the last 4.
    private func writeFixedPart(into w: inout ByteWriter) {
        w.writeUInt32(capabilities.rawValue)
        w.writeUInt32(maxPacketSize)
        w.writeUInt8(characterSet)
        w.writeZeros(19)
        w.writeUInt32(mariaDBCapabilities.rawValue)
    }
}

/// Protocol::AuthSwitchRequest: 0xFE, plugin name, NUL, plugin data (maybe NUL-terminated).
public struct AuthSwitchRequest: Sendable, Equatable {
    public var pluginName: String
    /// The data without a trailing NUL (the 20-byte scramble of the SHA plugins).
    public var pluginData: [UInt8]
    /// The data exactly as sent: client_ed25519's 32-byte scramble may itself end in 0x00.
    public var rawPluginData: [UInt8]

    public init(pluginName: String, pluginData: [UInt8], rawPluginData: [UInt8]? = nil) {
        self.pluginName = pluginName
        self.pluginData = pluginData
        self.rawPluginData = rawPluginData ?? pluginData
    }

    public static func parse(_ payload: ArraySlice<UInt8>) throws(MySQLError) -> AuthSwitchRequest {
        var r = ByteReader(payload, context: "auth switch request")
        _ = try r.readUInt8()
        if r.isAtEnd {
            throw MySQLError(
                .authentication,
                "the server asked for the pre-4.1 old password authentication, which is insecure and not supported")
        }
        let name = try r.readNullTerminatedString()
        let raw = r.readRest()
        var data = raw
        // The data may be followed by a NUL that is not part of it.
        if data.last == 0 { data = data.dropLast() }
        return AuthSwitchRequest(pluginName: name, pluginData: Array(data), rawPluginData: Array(raw))
    }
}
