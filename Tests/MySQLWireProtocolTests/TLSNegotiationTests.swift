import Testing

@testable import MySQLWireProtocol

/// The switch to TLS as the state machine sees it: the SSLRequest after the greeting, the
/// HandshakeResponse over TLS once the IO layer reports the handshake done, and the refusals.
@Suite struct TLSNegotiationTests {
    static func capabilities(_ payload: [UInt8]) -> MySQLCapabilities {
        MySQLCapabilities(
            rawValue: UInt32(payload[0]) | UInt32(payload[1]) << 8 | UInt32(payload[2]) << 16 | UInt32(payload[3]) << 24
        )
    }

    @Test(arguments: [ConnectionSettings.TLSPolicy.preferred, .required])
    func sslRequestThenHandshakeResponseOverTLS(policy: ConnectionSettings.TLSPolicy) throws {
        var c = Conversation(password: "secret") { $0.tls = policy }
        guard case .startTLS(let request) = c.server(ServerPackets.greeting(), seq: 0) else {
            Issue.record("expected the SSLRequest")
            return
        }
        let (seq, payload) = unframe(request)
        #expect(seq == 1)
        #expect(payload.count == 32)
        #expect(Self.capabilities(payload).contains(.ssl))
        #expect(payload[9...].allSatisfy { $0 == 0 })
        // A packet instead of the TLS handshake is a violation.
        var early = c
        guard case .closeWithError(let error) = early.server(ServerPackets.ok(), seq: 2) else {
            Issue.record("expected a violation")
            return
        }
        #expect(error.kind == .protocolViolation)
        guard case .write(let response) = c.machine.tlsEstablished() else {
            Issue.record("expected the handshake response")
            return
        }
        let (responseSeq, responsePayload) = unframe(response)
        #expect(responseSeq == 2)
        #expect(Self.capabilities(responsePayload) == Self.capabilities(payload))
        #expect(try HandshakeStateMachineTests.parseResponse(responsePayload).username == "u")
        guard case .established = c.server(ServerPackets.ok(), seq: 3) else {
            Issue.record("expected established")
            return
        }
    }

    @Test func requiredRefusesAServerWithoutTLS() {
        var c = Conversation { $0.tls = .required }
        var caps = ServerPackets.defaultServerCapabilities
        caps.remove(.ssl)
        guard case .closeWithError(let error) = c.server(ServerPackets.greeting(capabilities: caps), seq: 0) else {
            Issue.record("expected an error, never a fall-back to plain text")
            return
        }
        #expect(error.kind == .tls)
        #expect(error.message.contains("does not offer TLS"))
    }

    @Test func preferredFallsBackAndDisabledNeverAsks() {
        var caps = ServerPackets.defaultServerCapabilities
        caps.remove(.ssl)
        var preferred = Conversation { $0.tls = .preferred }
        guard case .write(let plain) = preferred.server(ServerPackets.greeting(capabilities: caps), seq: 0) else {
            Issue.record("expected the handshake response in plain text")
            return
        }
        #expect(unframe(plain).seq == 1)
        #expect(!Self.capabilities(unframe(plain).payload).contains(.ssl))
        var disabled = Conversation { $0.tls = .disabled }
        guard case .write(let response) = disabled.server(ServerPackets.greeting(), seq: 0) else {
            Issue.record("expected the handshake response in plain text")
            return
        }
        #expect(!Self.capabilities(unframe(response).payload).contains(.ssl))
    }

    @Test func cachingSHA2FullAuthSendsThePasswordOnlyInsideTLS() {
        var c = Conversation(password: "secret") { $0.tls = .required }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        _ = c.machine.tlsEstablished()
        guard case .write(let bytes) = c.server([0x01, 0x04], seq: 3) else {
            Issue.record("expected the password")
            return
        }
        #expect(unframe(bytes) == (4, Array("secret".utf8) + [0]))
    }
}
