import Foundation
import Testing

@testable import MySQLWireProtocol

/// Ed25519 signing against RFC 8032's test vectors and against Python's `cryptography`
/// (computed there, not by the client), then MariaDB's client_ed25519 derivation.
@Suite struct Ed25519Tests {
    static func hex(_ text: String) -> [UInt8] { Ed25519.hex(text) }

    /// RFC 8032 §7.1: (seed, public key, message, signature).
    static let vectors: [(String, String, String, String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test func rfc8032Vectors() {
        for (seed, publicKey, message, signature) in Self.vectors {
            let az = Digest.sha512(Self.hex(seed))
            #expect(Ed25519.publicKey(expandedSecret: az) == Self.hex(publicKey))
            #expect(Ed25519.sign(message: Self.hex(message), expandedSecret: az) == Self.hex(signature))
        }
    }

    /// Random seeds and messages, signed by `cryptography` in a Python subprocess.
    @Test func agreesWithPythonCryptography() throws {
        let script = """
            import os, sys
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            for i in range(20):
                seed = os.urandom(32); msg = os.urandom(i * 7)
                sig = Ed25519PrivateKey.from_private_bytes(seed).sign(msg)
                print(seed.hex(), msg.hex(), sig.hex())
            """
        // Output to a file, not a pipe: Foundation's pipe reads trap on EINTR.
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("ed25519-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return }  // no cryptography module: RFC vectors still ran
        let lines = String(decoding: try Data(contentsOf: outputURL), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 20)
        for line in lines {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let az = Digest.sha512(Self.hex(parts[0]))
            #expect(Ed25519.sign(message: Self.hex(parts[1]), expandedSecret: az) == Self.hex(parts[2]))
        }
    }
}

/// The switch to client_ed25519 as the state machine handles it.
@Suite struct ClientEd25519SwitchTests {
    /// A scramble whose last byte is 0x00 is still 32 bytes: only a 33rd NUL is a terminator.
    @Test(arguments: [false, true])
    func signsTheWhole32ByteScramble(withTerminator: Bool) {
        let scramble = (0..<31).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) } + [0x00]
        var c = Conversation(password: "ed-pass")
        _ = c.server(ServerPackets.greeting(), seq: 0)
        // Built by hand: ServerPackets.authSwitch always appends a NUL.
        let request = [0xFE] + Array("client_ed25519".utf8) + [0] + scramble + (withTerminator ? [0] : [])
        guard case .write(let bytes) = c.server(request, seq: 2) else {
            Issue.record("expected the signature")
            return
        }
        let (seq, payload) = unframe(bytes)
        #expect(seq == 3)
        #expect(payload == Ed25519.sign(message: scramble, expandedSecret: Digest.sha512(Array("ed-pass".utf8))))
    }

    @Test func aScrambleOfTheWrongLengthIsAViolation() {
        var c = Conversation(password: "ed-pass")
        _ = c.server(ServerPackets.greeting(), seq: 0)
        guard
            case .closeWithError(let error) = c.server(
                ServerPackets.authSwitch(plugin: "client_ed25519", data: [1, 2, 3]), seq: 2)
        else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .protocolViolation)
    }
}
