import Foundation
import Testing

@testable import MySQLWireProtocol

/// caching_sha2_password and sha256_password over an unencrypted connection. The expected
/// plaintexts are computed here, and the client's ciphertexts decrypted by the `openssl`
/// command with a key pair it generated: the client's own code never produces what it is
/// checked against.
@Suite(.serialized) struct RSAKeyExchangeTests {
    /// A fresh 2048-bit key pair from the openssl CLI: (directory, public PEM).
    static let keyPair: (directory: URL, publicPEM: [UInt8])? = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mysqlwire-rsa-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let privateKey = directory.appendingPathComponent("private.pem").path
        let publicKey = directory.appendingPathComponent("public.pem").path
        guard
            run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey]),
            run(["pkey", "-in", privateKey, "-pubout", "-out", publicKey]),
            let pem = FileManager.default.contents(atPath: publicKey)
        else { return nil }
        return (directory, Array(pem))
    }()

    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// RSA-OAEP (SHA-1) decryption by `openssl pkeyutl`.
    static func decrypt(_ ciphertext: [UInt8]) throws -> [UInt8] {
        let pair = try #require(keyPair)
        let input = pair.directory.appendingPathComponent("in-\(UUID().uuidString)")
        let output = pair.directory.appendingPathComponent("out-\(UUID().uuidString)")
        try Data(ciphertext).write(to: input)
        #expect(
            run([
                "pkeyutl", "-decrypt", "-inkey", pair.directory.appendingPathComponent("private.pem").path,
                "-pkeyopt", "rsa_padding_mode:oaep", "-in", input.path, "-out", output.path,
            ]))
        return Array(try Data(contentsOf: output))
    }

    /// (password + NUL) XOR the 20-byte scramble, repeated.
    static func expectedPlaintext(_ password: String, _ scramble: [UInt8] = ServerPackets.nonce) -> [UInt8] {
        let bytes = Array(password.utf8) + [0]
        return (0..<bytes.count).map { bytes[$0] ^ scramble[$0 % 20] }
    }

    static var haveOpenSSL: Bool { keyPair != nil }

    @Test(
        .enabled(if: haveOpenSSL),
        arguments: ["secret", "", "pässwörd-✓", String(repeating: "long-password-", count: 12)])
    func cachingSHA2FullAuthWithAPinnedKey(password: String) throws {
        let pem = try #require(Self.keyPair).publicPEM
        var c = Conversation(password: password) { $0.serverPublicKeyPEM = pem }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .write(let bytes) = c.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected the encrypted password")
            return
        }
        let (seq, payload) = unframe(bytes)
        #expect(seq == 3)
        #expect(payload.count == 256)
        #expect(try Self.decrypt(payload) == Self.expectedPlaintext(password))
        guard case .established = c.server(ServerPackets.ok(), seq: 4) else {
            Issue.record("expected established")
            return
        }
    }

    @Test(.enabled(if: haveOpenSSL)) func cachingSHA2FetchesTheKeyOnlyWhenAllowed() throws {
        let pem = try #require(Self.keyPair).publicPEM
        var c = Conversation(password: "secret") { $0.allowPublicKeyRetrieval = true }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .write(let request) = c.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected the key request")
            return
        }
        #expect(unframe(request) == (3, [0x02]))
        guard case .write(let bytes) = c.server([0x01] + pem, seq: 4) else {
            Issue.record("expected the encrypted password")
            return
        }
        #expect(unframe(bytes).seq == 5)
        #expect(try Self.decrypt(unframe(bytes).payload) == Self.expectedPlaintext("secret"))

        var refused = Conversation(password: "secret")
        _ = refused.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .closeWithError(let error) = refused.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
        #expect(error.message.contains("serverPublicKey") && error.message.contains("allowPublicKeyRetrieval"))
        #expect(!error.message.contains("secret"))
    }

    @Test(.enabled(if: haveOpenSSL)) func sha256PasswordWithAPinnedKeyAndByRequest() throws {
        let pem = try #require(Self.keyPair).publicPEM
        var pinned = Conversation(password: "secret") { $0.serverPublicKeyPEM = pem }
        guard case .write(let response) = pinned.server(ServerPackets.greeting(plugin: "sha256_password"), seq: 0)
        else {
            Issue.record("expected the handshake response")
            return
        }
        let parsed = try HandshakeStateMachineTests.parseResponse(unframe(response).payload)
        #expect(parsed.plugin == "sha256_password")
        #expect(try Self.decrypt(parsed.authResponse) == Self.expectedPlaintext("secret"))

        var fetched = Conversation(password: "secret") { $0.allowPublicKeyRetrieval = true }
        _ = fetched.server(ServerPackets.greeting(plugin: "mysql_native_password"), seq: 0)
        guard
            case .write(let request) = fetched.server(
                ServerPackets.authSwitch(plugin: "sha256_password", data: ServerPackets.nonce + [0]), seq: 2)
        else {
            Issue.record("expected the key request")
            return
        }
        #expect(unframe(request) == (3, [0x01]))
        guard case .write(let bytes) = fetched.server([0x01] + pem, seq: 4) else {
            Issue.record("expected the encrypted password")
            return
        }
        #expect(try Self.decrypt(unframe(bytes).payload) == Self.expectedPlaintext("secret"))
    }

    @Test func aBadKeyOrATooLongPasswordIsAClearError() throws {
        var c = Conversation(password: "secret") { $0.allowPublicKeyRetrieval = true }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        _ = c.server([0x01, 0x04], seq: 2)
        guard
            case .closeWithError(let error) = c.server(
                [0x01] + Array("-----BEGIN PUBLIC KEY-----\nAAAA\n".utf8), seq: 4)
        else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .authentication)
        #expect(error.message.contains("not a valid PEM public key"))

        guard let pem = Self.keyPair?.publicPEM else { return }
        var long = Conversation(password: String(repeating: "x", count: 300)) { $0.serverPublicKeyPEM = pem }
        _ = long.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        guard case .closeWithError(let tooLong) = long.server([0x01, 0x04], seq: 2) else {
            Issue.record("expected an error")
            return
        }
        #expect(tooLong.message.contains("too long for RSA key exchange"))
        #expect(!tooLong.message.contains("xxxx"))
    }

    @Test func anEmptyKeyReplyIsAViolation() {
        var c = Conversation(password: "secret") { $0.allowPublicKeyRetrieval = true }
        _ = c.server(ServerPackets.greeting(plugin: "caching_sha2_password"), seq: 0)
        _ = c.server([0x01, 0x04], seq: 2)
        guard case .closeWithError(let error) = c.server([0x01], seq: 4) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .protocolViolation)
    }

    /// A real MySQL 8.0.32 server's key (from ../shared/traces/mysql8/zeek-8.0.32-csha2-full-auth-rsa.trace):
    /// the exchange goes as the recorded libmysql client's did (02, then 256 encrypted bytes).
    @Test func aRealServerKeyFromATrace() throws {
        guard let (trace, _) = try TraceReplayTests.load("zeek-8.0.32-csha2-full-auth-rsa.trace") else { return }
        let server = trace.serverPackets
        var c = Conversation(username: "root", password: "unknown", database: "test") {
            $0.allowPublicKeyRetrieval = true
        }
        _ = c.server(server[0].payload, seq: server[0].sequenceID)
        guard case .write(let request) = c.server(server[1].payload, seq: server[1].sequenceID) else {
            Issue.record("expected the key request")
            return
        }
        #expect(unframe(request) == (3, [0x02]))
        guard case .write(let encrypted) = c.server(server[2].payload, seq: server[2].sequenceID) else {
            Issue.record("expected the encrypted password")
            return
        }
        #expect(unframe(encrypted).seq == 5)
        #expect(unframe(encrypted).payload.count == 256)
    }
}
