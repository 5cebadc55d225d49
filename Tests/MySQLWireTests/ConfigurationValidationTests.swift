import Testing

@testable import MySQLWire

/// Configuration mistakes are `.invalidUsage` before anything is opened, with a message that
/// says what to change.
@Suite struct ConfigurationValidationTests {
    private func failure(_ configuration: MySQLConfiguration) -> MySQLError? {
        do {
            try configuration.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test func commonMistakesAreNamed() {
        var empty = MySQLConfiguration(host: "", username: "u")
        #expect(failure(empty)?.message.contains("host is empty") == true)
        empty = MySQLConfiguration(host: "db", port: 70000, username: "u")
        #expect(failure(empty)?.message.contains("port 70000") == true)
        var timeouts = MySQLConfiguration(host: "db", username: "u")
        timeouts.queryTimeout = .zero
        #expect(failure(timeouts)?.message.contains("queryTimeout must be positive") == true)
        #expect(failure(MySQLConfiguration(host: "db", username: "u")) == nil)
    }

    /// verifyIdentity with no name to check would verify no identity at all.
    @Test func verifyIdentityNeedsAName() {
        var socket = MySQLConfiguration(unixSocketPath: "/tmp/mysqld.sock", username: "u")
        socket.tls = .verifyIdentity()
        #expect(failure(socket)?.kind == .invalidUsage)
        #expect(failure(socket)?.message.contains("tls.serverName") == true)
        socket.tls = .verifyIdentity(serverName: "")
        #expect(failure(socket)?.kind == .invalidUsage)
        socket.tls = .verifyIdentity(serverName: "db.example.com")
        #expect(failure(socket) == nil)
        var tcp = MySQLConfiguration(host: "db.example.com", username: "u")
        tcp.tls = .verifyIdentity()
        #expect(failure(tcp) == nil)
        tcp.tls = .verifyIdentity(serverName: "")
        #expect(failure(tcp)?.kind == .invalidUsage)
    }
}
