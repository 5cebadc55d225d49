import Foundation
import Testing

@testable import MySQLWire

/// TLS against the sandbox, whose server certificate (CN=localhost, SAN DNS:localhost and
/// IP:127.0.0.1) is signed by the sandbox's private CA.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveTLSTests {
    static let env = ProcessInfo.processInfo.environment
    static let caFile = env["MYSQLWIRE_TEST_CA"] ?? "/tmp/mysqlwire-sandbox/certs/ca.pem"
    static let clientCertificate = env["MYSQLWIRE_TEST_CLIENT_CERT"] ?? "/tmp/mysqlwire-sandbox/certs/client-cert.pem"
    static let clientKey = env["MYSQLWIRE_TEST_CLIENT_KEY"] ?? "/tmp/mysqlwire-sandbox/certs/client-key.pem"
    static var haveCertificates: Bool { FileManager.default.fileExists(atPath: caFile) }

    /// The session's TLS version as the server reports it ("" on a plain connection).
    static func serverSideTLSVersion(_ conn: MySQLConnection) async throws -> String {
        let rows = try await conn.query("SHOW SESSION STATUS LIKE 'Ssl_version'").collect()
        return try rows.first?.decode(String.self, at: 1) ?? ""
    }

    static func expectTLSFailure(
        _ adjust: (inout MySQLConfiguration) -> Void, containing text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            let conn = try await LiveServer.connect(adjust)
            Issue.record("connected; expected a TLS error", sourceLocation: sourceLocation)
            await conn.close()
        } catch let error as MySQLError {
            #expect(error.kind == .tls, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
            #expect(!error.message.contains(LiveServer.password), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func preferredUsesTLSWhenTheServerOffersIt() async throws {
        let conn = try await LiveServer.connect()
        let described = await conn.tlsDescription
        #expect(described?.hasPrefix("TLSv1.") == true, "\(described ?? "nil")")
        #expect(try await Self.serverSideTLSVersion(conn).hasPrefix("TLSv1."))
        #expect(try await conn.query("SELECT 1").collect().first?.decode(Int.self, at: 0) == 1)
        await conn.close()
    }

    @Test func disabledStaysInPlainText() async throws {
        let conn = try await LiveServer.connect { $0.tls = .disabled }
        #expect(await conn.tlsDescription == nil)
        #expect(try await Self.serverSideTLSVersion(conn) == "")
        await conn.close()
    }

    @Test func requiredDoesNotVerifyTheCertificate() async throws {
        let conn = try await LiveServer.connect { $0.tls = .required }
        #expect(try await Self.serverSideTLSVersion(conn).hasPrefix("TLSv1."))
        await conn.close()
    }

    @Test(.enabled(if: haveCertificates)) func verifyCAWithTheSandboxCA() async throws {
        let conn = try await LiveServer.connect { $0.tls = .verifyCA(caFile: Self.caFile) }
        #expect(try await Self.serverSideTLSVersion(conn).hasPrefix("TLSv1."))
        await conn.close()
    }

    @Test(.enabled(if: haveCertificates)) func verifyCAFailsWithoutTheRightCA() async {
        // The system store does not know the sandbox's private CA.
        await Self.expectTLSFailure({ $0.tls = MySQLTLSConfiguration(mode: .verifyCA) }, containing: "not trusted")
        // Nor does a CA file holding some other certificate.
        await Self.expectTLSFailure(
            { $0.tls = MySQLTLSConfiguration(mode: .verifyCA, caFile: Self.clientCertificate) },
            containing: "not trusted")
    }

    @Test(.enabled(if: haveCertificates)) func verifyIdentityChecksTheNameOrAddress() async throws {
        // The certificate names IP 127.0.0.1 and DNS localhost.
        let byAddress = try await LiveServer.connect {
            $0.endpoint = .tcp(host: "127.0.0.1", port: LiveServer.port)
            $0.tls = .verifyIdentity(caFile: Self.caFile)
        }
        #expect(try await Self.serverSideTLSVersion(byAddress).hasPrefix("TLSv1."))
        await byAddress.close()
        let byName = try await LiveServer.connect {
            $0.endpoint = .tcp(host: "127.0.0.1", port: LiveServer.port)
            $0.tls = MySQLTLSConfiguration(mode: .verifyIdentity, caFile: Self.caFile, serverName: "localhost")
        }
        await byName.close()
        await Self.expectTLSFailure(
            {
                $0.endpoint = .tcp(host: "127.0.0.1", port: LiveServer.port)
                $0.tls = MySQLTLSConfiguration(mode: .verifyIdentity, caFile: Self.caFile, serverName: "db.example.com")
            }, containing: "not valid for 'db.example.com'")
    }

    @Test(.enabled(if: haveCertificates)) func clientCertificateIsPresented() async throws {
        let conn = try await LiveServer.connect {
            $0.tls = MySQLTLSConfiguration(
                mode: .verifyCA, caFile: Self.caFile, certificateFile: Self.clientCertificate, keyFile: Self.clientKey)
        }
        #expect(try await Self.serverSideTLSVersion(conn).hasPrefix("TLSv1."))
        await conn.close()
        // A key that does not belong to the certificate is refused before connecting.
        await Self.expectTLSFailure(
            {
                $0.tls = MySQLTLSConfiguration(
                    mode: .required, certificateFile: Self.clientCertificate, keyFile: "/nonexistent/key.pem")
            }, containing: "cannot load the client key")
    }

    @Test func aRequireSSLUserLogsInOverTLSAndNotWithout() async throws {
        let conn = try await LiveServer.connect {
            $0.username = "mysqlwire_ssl"
            $0.password = "ssl-pass"
        }
        #expect(try await Self.serverSideTLSVersion(conn).hasPrefix("TLSv1."))
        await conn.close()
        do {
            _ = try await LiveServer.connect {
                $0.username = "mysqlwire_ssl"
                $0.password = "ssl-pass"
                $0.tls = .disabled
            }
            Issue.record("a REQUIRE SSL user logged in without TLS")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1045, sqlState: "28000"), "\(error)")
        }
    }

    @Test func aUnixSocketStaysPlainUnderPreferred() async throws {
        guard FileManager.default.fileExists(atPath: LiveServer.socket) else { return }
        var config = MySQLConfiguration(
            unixSocketPath: LiveServer.socket, username: LiveServer.user, password: LiveServer.password)
        config.tls = .preferred
        let conn = try await MySQLConnection.connect(configuration: config)
        #expect(await conn.tlsDescription == nil)
        await conn.close()
    }
}
