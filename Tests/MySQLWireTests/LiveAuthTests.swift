import Foundation
import Testing

@testable import MySQLWire

/// Authentication plugins against the sandbox: MariaDB's client_ed25519 (the sandbox installs
/// auth_ed25519 and creates mysqlwire_ed / ed-pass).
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveAuthTests {
    static func currentUser(_ configure: (inout MySQLConfiguration) -> Void) async throws -> String? {
        let conn = try await LiveServer.connect(configure)
        defer { Task { await conn.close() } }
        return try await conn.query("SELECT CURRENT_USER()").collect().first?.decode(String.self, at: 0)
    }

    @Test(arguments: [MySQLTLSConfiguration.disabled, .required])
    func ed25519UserLogsIn(tls: MySQLTLSConfiguration) async throws {
        let user = try await Self.currentUser {
            $0.username = "mysqlwire_ed"
            $0.password = "ed-pass"
            $0.tls = tls
        }
        #expect(user?.hasPrefix("mysqlwire_ed@") == true)
    }

    @Test func ed25519WrongPasswordIsRefused() async throws {
        do {
            _ = try await Self.currentUser {
                $0.username = "mysqlwire_ed"
                $0.password = "not-the-password"
            }
            Issue.record("logged in with a wrong password")
        } catch let error as MySQLError {
            #expect(error.kind == .server(code: 1045, sqlState: "28000"), "\(error)")
            #expect(!error.message.contains("not-the-password"))
        }
    }
}
