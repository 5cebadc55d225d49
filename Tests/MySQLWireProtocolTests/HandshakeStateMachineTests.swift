import Testing

@testable import MySQLWireProtocol

@Suite struct HandshakeStateMachineTests {
    /// Pulls the fields of a HandshakeResponse41 the tests check.
    struct ParsedResponse {
        var capabilities: MySQLCapabilities
        var username: String
        var authResponse: [UInt8]
        var database: String?
        var plugin: String
    }

    static func parseResponse(_ payload: [UInt8]) throws -> ParsedResponse {
        var r = ByteReader(payload[...], context: "test")
        let caps = MySQLCapabilities(rawValue: try r.readUInt32())
        try r.skip(4 + 1 + 23)
        let user = try r.readNullTerminatedString()
        let auth = Array(try r.readLengthEncodedBytes())
        let db = caps.contains(.connectWithDB) ? try r.readNullTerminatedString() : nil
        let plugin = try r.readNullTerminatedString()
        return ParsedResponse(capabilities: caps, username: user, authResponse: auth, database: db, plugin: plugin)
    }

    @Test func nativePasswordLogin() throws {
        var c = Conversation(username: "app", password: "secret", database: "sales")
        guard case .write(let bytes) = c.server(ServerPackets.greeting(), seq: 0) else {
            Issue.record("expected the handshake response")
            return
        }
        let (seq, payload) = unframe(bytes)
        #expect(seq == 1)
        let response = try Self.parseResponse(payload)
        #expect(response.username == "app")
        #expect(response.database == "sales")
        #expect(response.plugin == "mysql_native_password")
        #expect(response.authResponse == AuthScramble.nativePassword(password: "secret", nonce: ServerPackets.nonce))
        #expect(
            response.capabilities.contains([.protocol41, .secureConnection, .pluginAuth, .deprecateEOF, .sessionTrack]))
        #expect(!response.capabilities.contains(.multiStatements))
        #expect(!response.capabilities.contains(.localFiles))
        #expect(!response.capabilities.contains(.ssl))
        guard case .established(let info) = c.server(ServerPackets.ok(), seq: 2) else {
            Issue.record("expected established")
            return
        }
        #expect(info.connectionID == 42)
        #expect(info.flavor.vendor == .mariadb)
        #expect(info.flavor.version == "10.11.6-MariaDB")
        #expect(c.machine.isReady)
    }

    @Test func greetingNonceExcludesTrailingNul() throws {
        let greeting = try Greeting.parse(ServerPackets.greeting()[...])
        #expect(greeting.nonce == ServerPackets.nonce)
        #expect(greeting.nonce.count == 20)
    }

    @Test func errorInPlaceOfGreetingHasNoSQLState() {
        var c = Conversation()
        // 1040 Too many connections, sent before capabilities are known: no '#' + state.
        let action = c.server(ServerPackets.err(code: 1040, sqlState: "", message: "Too many connections"), seq: 0)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected closeWithError, got \(action)")
            return
        }
        #expect(error.kind == .server(code: 1040, sqlState: ""))
        #expect(error.message == "Too many connections")
    }

    @Test func pre41ServerIsRefused() {
        var c = Conversation()
        var caps = ServerPackets.defaultServerCapabilities
        caps.remove(.protocol41)
        let action = c.server(ServerPackets.greeting(capabilities: caps), seq: 0)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("4.1"))
    }

    @Test func wrongPasswordIsServerError() {
        var c = Conversation(password: "wrong")
        _ = c.server(ServerPackets.greeting(), seq: 0)
        let action = c.server(
            ServerPackets.err(
                code: 1045, sqlState: "28000", message: "Access denied for user 'u'@'localhost' (using password: YES)"),
            seq: 2)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .server(code: 1045, sqlState: "28000"))
        #expect(!error.description.contains("wrong"))
    }

    @Test func authSwitchUsesTheNewNonce() {
        var c = Conversation(password: "secret")
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        let newNonce: [UInt8] = Array("ZYXWVUTSRQPONMLKJIHG".utf8)
        guard
            case .write(let bytes) = c.server(
                ServerPackets.authSwitch(plugin: "mysql_native_password", data: newNonce), seq: 2)
        else {
            Issue.record("expected a switch response")
            return
        }
        let (seq, payload) = unframe(bytes)
        #expect(seq == 3)
        #expect(payload == AuthScramble.nativePassword(password: "secret", nonce: newNonce))
        guard case .established(let info) = c.server(ServerPackets.ok(), seq: 4) else {
            Issue.record("expected established")
            return
        }
        #expect(info.authPluginName == "mysql_native_password")
    }

    @Test func secondAuthSwitchIsRefused() {
        var c = Conversation()
        _ = c.server(ServerPackets.greeting(), seq: 0)
        _ = c.server(ServerPackets.authSwitch(plugin: "mysql_native_password", data: ServerPackets.nonce), seq: 2)
        let action = c.server(
            ServerPackets.authSwitch(plugin: "mysql_native_password", data: ServerPackets.nonce), seq: 4)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
    }

    @Test func unknownPluginIsNamed() {
        var c = Conversation()
        _ = c.server(ServerPackets.greeting(), seq: 0)
        let action = c.server(ServerPackets.authSwitch(plugin: "auth_gssapi_client", data: [1, 2, 3]), seq: 2)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
        #expect(error.message.contains("auth_gssapi_client"))
    }

    @Test func clearPasswordSwitchIsRefusedByDefault() {
        var c = Conversation(password: "topsecret")
        _ = c.server(ServerPackets.greeting(), seq: 0)
        let action = c.server(ServerPackets.authSwitch(plugin: "mysql_clear_password", data: []), seq: 2)
        guard case .closeWithError(let error) = action else {
            Issue.record("expected an error, the password must not be sent")
            return
        }
        #expect(error.kind == .authentication)
        #expect(!error.message.contains("topsecret"))
    }

    @Test func clearPasswordNeedsSecureTransportEvenWhenAllowed() {
        var c = Conversation(password: "topsecret") { $0.allowClearPassword = true }
        _ = c.server(ServerPackets.greeting(), seq: 0)
        let action = c.server(ServerPackets.authSwitch(plugin: "mysql_clear_password", data: []), seq: 2)
        guard case .closeWithError = action else {
            Issue.record("expected an error on an insecure transport")
            return
        }
        var secure = Conversation(password: "topsecret") {
            $0.allowClearPassword = true
            $0.transportIsSecure = true
        }
        _ = secure.server(ServerPackets.greeting(), seq: 0)
        guard
            case .write(let bytes) = secure.server(
                ServerPackets.authSwitch(plugin: "mysql_clear_password", data: []), seq: 2)
        else {
            Issue.record("expected the clear password over a secure transport")
            return
        }
        #expect(unframe(bytes).payload == Array("topsecret".utf8) + [0])
    }

    @Test func clearPasswordOverPlainTCPOnlyWhenExplicitlyAllowed() {
        var c = Conversation(password: "topsecret") {
            $0.allowClearPassword = true
            $0.allowInsecureClearPassword = true
        }
        _ = c.server(ServerPackets.greeting(), seq: 0)
        guard
            case .write(let bytes) = c.server(
                ServerPackets.authSwitch(plugin: "mysql_clear_password", data: []), seq: 2)
        else {
            Issue.record("expected the clear password")
            return
        }
        #expect(unframe(bytes).payload == Array("topsecret".utf8) + [0])
    }

    @Test func oldPasswordSwitchIsRefused() {
        var c = Conversation()
        _ = c.server(ServerPackets.greeting(), seq: 0)
        guard case .closeWithError(let error) = c.server([0xFE], seq: 2) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
    }

    @Test func cachingSHA2FastAuth() {
        var c = Conversation(password: "secret")
        guard case .write(let bytes) = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0) else {
            Issue.record("expected the handshake response")
            return
        }
        let response = try? Self.parseResponse(unframe(bytes).payload)
        #expect(response?.authResponse == AuthScramble.cachingSHA2(password: "secret", nonce: ServerPackets.nonce))
        guard case .none = c.server([0x01, 0x03], seq: 2) else {
            Issue.record("fast auth OK needs no answer")
            return
        }
        guard case .established = c.server(ServerPackets.ok(), seq: 3) else {
            Issue.record("expected established")
            return
        }
    }

    @Test func cachingSHA2FullAuthOverPlainTCPWithoutKeyIsAClearError() {
        var c = Conversation(password: "secret")
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .closeWithError(let error) = c.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
        #expect(error.message.contains("TLS"))
    }

    @Test func cachingSHA2FullAuthOverUnixSocketSendsPassword() {
        var c = Conversation(password: "secret") { $0.transportIsSecure = true }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .write(let bytes) = c.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected the password")
            return
        }
        #expect(unframe(bytes) == (3, Array("secret".utf8) + [0]))
    }

    @Test func emptyPasswordSendsEmptyResponse() throws {
        var c = Conversation(password: "")
        guard case .write(let bytes) = c.server(ServerPackets.greeting(), seq: 0) else {
            Issue.record("expected the handshake response")
            return
        }
        #expect(try Self.parseResponse(unframe(bytes).payload).authResponse == [])
    }

    @Test func mysqlGreetingIsDetectedAsMySQL() throws {
        var caps = ServerPackets.defaultServerCapabilities
        caps.insert(.longPassword)
        let greeting = try Greeting.parse(
            ServerPackets.greeting(version: "8.0.36", plugin: "caching_sha2_password", capabilities: caps)[...])
        #expect(greeting.flavor.vendor == .mysql)
        #expect(greeting.flavor.versionNumbers == (8, 0, 36))
    }

    @Test func truncatedGreetingIsAViolation() {
        let full = ServerPackets.greeting()
        for length in [1, 5, 20, 30, 40] {
            var c = Conversation()
            guard case .closeWithError(let error) = c.server(Array(full.prefix(length)), seq: 0) else {
                Issue.record("truncation at \(length) not detected")
                continue
            }
            #expect(error.kind == .protocolViolation)
        }
    }
}
