import MySQLWire
import Testing

/// Broken servers, replayed: each `bad-*.fixture` is a recorded fixture with one thing broken
/// (its `# source:` line says what). The client must fail with a `MySQLError` of the fitting
/// kind and end with a closed connection: never crash, never hang. Fixtures that end with
/// `# end: hold` also check that the client closes the socket itself, sending nothing more.
@Suite("ReplayBadInput", .timeLimit(.minutes(1)))
struct ReplayBadInputTests {
    static let fixtures: Set<String> = [
        "bad-greeting-truncated", "bad-auth-ok-truncated", "bad-auth-more-data-native",
        "bad-column-definition-length", "bad-row-value-length", "bad-sequence-id-in-result",
        "bad-ok-instead-of-column-definition", "bad-column-count-2pow40",
        "bad-close-before-greeting", "bad-close-after-greeting", "bad-close-after-handshake-response",
        "bad-close-after-query-sent", "bad-close-after-column-count", "bad-close-mid-row-packet",
    ]

    // MARK: Login

    /// Connecting fails with `kind`; the fake server checks that the socket was closed.
    private func expectConnectFails(
        _ name: String, _ kind: MySQLError.Kind, sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        try await Replay.play(name, sourceLocation: sourceLocation) { configuration in
            let error = await Replay.expectMySQLError(sourceLocation: sourceLocation) {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == kind, "\(name): \(String(describing: error))", sourceLocation: sourceLocation)
        }
    }

    @Test("bad-greeting-truncated: the greeting ends inside the nonce")
    func greetingTruncated() async throws {
        try await expectConnectFails("bad-greeting-truncated", .protocolViolation)
    }

    @Test("bad-auth-ok-truncated: the login OK is 3 bytes long")
    func authOKTruncated() async throws {
        try await expectConnectFails("bad-auth-ok-truncated", .protocolViolation)
    }

    @Test("bad-auth-more-data-native: AuthMoreData 01 03 answers a mysql_native_password login")
    func authMoreDataForNative() async throws {
        try await expectConnectFails("bad-auth-more-data-native", .protocolViolation)
    }

    @Test("bad-close-before-greeting: the server closes before saying anything")
    func closeBeforeGreeting() async throws {
        try await expectConnectFails("bad-close-before-greeting", .connectionClosed)
    }

    @Test("bad-close-after-greeting: the server closes right after the greeting")
    func closeAfterGreeting() async throws {
        try await expectConnectFails("bad-close-after-greeting", .connectionClosed)
    }

    @Test("bad-close-after-handshake-response: the server closes instead of answering the login")
    func closeAfterHandshakeResponse() async throws {
        try await expectConnectFails("bad-close-after-handshake-response", .connectionClosed)
    }

    // MARK: Query

    /// Logs in, runs the several-rows query, reads until the end or an error, and expects
    /// the error `kind`, exactly `rowsBefore` rows before it (rows that arrived intact are
    /// never dropped), and a closed connection.
    private func expectQueryFails(
        _ name: String, _ kind: MySQLError.Kind, rowsBefore: Int = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await Replay.play(name, sourceLocation: sourceLocation) { configuration in
            let connection = try await MySQLConnection.connect(configuration: configuration)
            var failure: (any Error)?
            do {
                let rows = try await connection.query(ReplayScenario.severalRowsSQL)
                let (values, error) = await Replay.valuesUntilError(rows)
                failure = error
                #expect(
                    values.count == rowsBefore, "\(name): \(values.count) rows before the error",
                    sourceLocation: sourceLocation)
                for (index, row) in values.enumerated() {
                    #expect(
                        row == [Replay.text("\(index + 1)"), Replay.text("row-\(index + 1)")],
                        sourceLocation: sourceLocation)
                }
            } catch {
                failure = error
            }
            let error = failure as? MySQLError
            #expect(
                error != nil, "\(name): expected a MySQLError, got \(String(describing: failure))",
                sourceLocation: sourceLocation)
            #expect(error?.kind == kind, "\(name): \(String(describing: failure))", sourceLocation: sourceLocation)
            await Replay.expectClosed(connection, sourceLocation: sourceLocation)
            await connection.close()
        }
    }

    @Test("bad-column-definition-length: a column name's length runs past the packet")
    func columnDefinitionLength() async throws {
        try await expectQueryFails("bad-column-definition-length", .protocolViolation)
    }

    @Test("bad-row-value-length: a value's length runs past the row packet")
    func rowValueLength() async throws {
        try await expectQueryFails("bad-row-value-length", .protocolViolation, rowsBefore: 1)
    }

    @Test("bad-sequence-id-in-result: a row packet skips a sequence id")
    func sequenceIDInResult() async throws {
        try await expectQueryFails("bad-sequence-id-in-result", .protocolViolation, rowsBefore: 1)
    }

    @Test("bad-ok-instead-of-column-definition: an OK packet where a column definition belongs")
    func okInsteadOfColumnDefinition() async throws {
        try await expectQueryFails("bad-ok-instead-of-column-definition", .protocolViolation)
    }

    @Test("bad-column-count-2pow40: a column count of 2^40")
    func columnCount2Pow40() async throws {
        try await expectQueryFails("bad-column-count-2pow40", .protocolViolation)
    }

    @Test("bad-close-after-query-sent: the server closes instead of answering COM_QUERY")
    func closeAfterQuerySent() async throws {
        try await expectQueryFails("bad-close-after-query-sent", .connectionClosed)
    }

    @Test("bad-close-after-column-count: the server closes after the column count")
    func closeAfterColumnCount() async throws {
        try await expectQueryFails("bad-close-after-column-count", .connectionClosed)
    }

    @Test("bad-close-mid-row-packet: the server closes in the middle of a row packet")
    func closeMidRowPacket() async throws {
        try await expectQueryFails("bad-close-mid-row-packet", .connectionClosed, rowsBefore: 1)
    }
}
