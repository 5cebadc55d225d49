import Foundation
import Testing

@testable import MySQLWire

/// TLS failures a real server will not produce on demand, against a scripted listener.
@Suite struct TLSFailureTests {
    /// The recorded MariaDB greeting (it offers TLS), framed; with `ssl: false` the CLIENT_SSL
    /// bit is cleared.
    static func greeting(ssl: Bool) throws -> [UInt8] {
        let fixture = try FixtureFile.load("handshake-native-auth")
        var payload = try #require(fixture.packets.first { $0.direction == .server }).payload
        // Capability flags (lower 16 bits) follow: protocol(1) version NUL id(4) nonce(8) filler(1).
        let lowCapabilities = try #require(payload.firstIndex(of: 0)) + 1 + 4 + 8 + 1
        #expect(payload[lowCapabilities + 1] & 0x08 != 0, "the recorded greeting should offer TLS")
        if !ssl { payload[lowCapabilities + 1] &= ~0x08 }
        return [UInt8(payload.count & 0xFF), UInt8(payload.count >> 8 & 0xFF), UInt8(payload.count >> 16), 0] + payload
    }

    static func expectFailure(
        _ server: SilentOrTricklingServer, mode: MySQLTLSConfiguration.Mode, kind: MySQLError.Kind,
        containing text: String
    ) async {
        defer { server.shutdown() }
        var config = MySQLConfiguration(host: "127.0.0.1", port: server.port, username: "u", password: "secret-pw")
        config.tls.mode = mode
        config.connectTimeout = .seconds(10)
        do {
            _ = try await MySQLConnection.connect(configuration: config)
            Issue.record("connected")
        } catch let error as MySQLError {
            #expect(error.kind == kind, "\(error)")
            #expect(error.message.contains(text), "\(error.message)")
            #expect(!error.message.contains("secret-pw"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func garbageAfterTheSSLRequestIsATLSError() async throws {
        let server = SilentOrTricklingServer(
            .greeting(try Self.greeting(ssl: true), thenRead: 36, reply: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        )
        await Self.expectFailure(server, mode: .required, kind: .tls, containing: "TLS handshake")
    }

    @Test func aServerClosingAfterTheSSLRequestIsAnError() async throws {
        let server = SilentOrTricklingServer(.greeting(try Self.greeting(ssl: true), thenRead: 36, reply: []))
        // The listener keeps the socket open after an empty reply; shut it to make the close.
        Task {
            try? await Task.sleep(for: .milliseconds(200))
            server.shutdown()
        }
        var config = MySQLConfiguration(host: "127.0.0.1", port: server.port, username: "u", password: "p")
        config.tls.mode = .required
        config.connectTimeout = .seconds(2)
        do {
            _ = try await MySQLConnection.connect(configuration: config)
            Issue.record("connected")
        } catch let error as MySQLError {
            // A closed listener ends the handshake (TLS error) or, at worst, the connect deadline.
            #expect(error.kind == .tls || error.kind == .timeout, "\(error)")
        }
    }

    @Test(arguments: [MySQLTLSConfiguration.Mode.required, .verifyCA, .verifyIdentity])
    func aServerWithoutTLSIsAnErrorUnderEveryStrictMode(mode: MySQLTLSConfiguration.Mode) async throws {
        let server = SilentOrTricklingServer(.greeting(try Self.greeting(ssl: false), thenRead: 0, reply: []))
        await Self.expectFailure(server, mode: mode, kind: .tls, containing: "does not offer TLS")
    }
}

/// The insecure clear-text option only takes effect with the clear-text option itself.
@Suite struct ClearTextConfigurationTests {
    @Test func insecureClearTextNeedsTheClearTextOption() {
        var config = MySQLConfiguration(host: "127.0.0.1", username: "u", password: "p")
        config.allowClearTextPasswordWithoutTLS = true
        #expect(!config.settings.allowClearPassword && !config.settings.allowInsecureClearPassword)
        config.allowClearTextPassword = true
        #expect(config.settings.allowClearPassword && config.settings.allowInsecureClearPassword)
    }
}
