import MySQLWireIO
import Testing

@testable import MySQLWire

/// Client certificate keys that cannot be used give a clear error at once (OpenSSL would
/// otherwise ask for a passphrase on the terminal, blocking the event loop).
@Suite struct ClientKeyTests {
    @Test func aPassphraseProtectedKeyIsRefusedWithoutAPrompt() throws {
        let material = try ReferenceServer.material.get()
        do {
            _ = try TLSContext(
                TLSClientConfiguration(
                    verification: .none, certificateFile: material.tlsCertificate, keyFile: material.tlsEncryptedKey))
            Issue.record("an encrypted key was loaded without its passphrase")
        } catch {
            #expect(error.message.contains("passphrase-protected"), "\(error)")
        }
        // The same key unencrypted loads.
        _ = try TLSContext(
            TLSClientConfiguration(
                verification: .none, certificateFile: material.tlsCertificate, keyFile: material.tlsKey))
    }
}
