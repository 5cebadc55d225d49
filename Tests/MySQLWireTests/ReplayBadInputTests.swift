import MySQLWire
import Testing

/// Broken servers, replayed: each `bad-*.fixture` is a recorded fixture with one thing broken
/// (its `# source:` line says what). The client must fail with a `MySQLError` of the fitting
/// kind and end with a closed connection: never crash, never hang. Fixtures that end with
/// `# end: hold` also check that the client closes the socket itself, sending nothing more.
@Suite("ReplayBadInput", .timeLimit(.minutes(1)))
struct ReplayBadInputTests {
    /// The fixtures this file replays (`ReplayTests.replayed` takes this set).
    static let fixtures: Set<String> = Set([
        "bad-greeting-truncated", "bad-auth-ok-truncated", "bad-auth-more-data-native",
        "bad-column-definition-length", "bad-row-value-length", "bad-sequence-id-in-result",
        "bad-ok-instead-of-column-definition", "bad-column-count-2pow40",
        "bad-close-before-greeting", "bad-close-after-greeting", "bad-close-after-handshake-response",
        "bad-close-after-query-sent", "bad-close-after-column-count", "bad-close-mid-row-packet",
        "bad-binary-row-null-bitmap-truncated", "bad-binary-row-datetime-length-5", "bad-binary-row-time-length-9",
        "bad-binary-row-string-length", "bad-binary-row-header", "bad-binary-row-trailing-bytes",
        "bad-prepare-ok-truncated", "bad-prepare-param-definition-garbage",
    ])

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

    // MARK: Prepared statements (binary protocol)

    /// Expects `failure` to be a `.protocolViolation` whose message contains `problem`, and
    /// the connection closed.
    private func expectViolation(
        _ name: String, _ failure: (any Error)?, naming problem: String, _ connection: MySQLConnection,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let error = failure as? MySQLError
        #expect(
            error?.kind == .protocolViolation,
            "\(name): expected a protocol violation, got \(String(describing: failure))",
            sourceLocation: sourceLocation)
        #expect(
            error?.message.contains(problem) == true,
            "\(name): the message should name the problem ('\(problem)'): \(String(describing: error?.message))",
            sourceLocation: sourceLocation)
        await Replay.expectClosed(connection, sourceLocation: sourceLocation)
    }

    /// Prepares the literal SELECT of prepare-execute-close, executes it with its first values
    /// and reads the rows: the first (and only) row is broken, so no row arrives before the
    /// error. The statement's `close()` afterwards sends nothing (the connection is closed).
    private func expectBinaryRowFails(
        _ name: String, naming problem: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await Replay.play(name, sourceLocation: sourceLocation) { configuration in
            let connection = try await MySQLConnection.connect(configuration: configuration)
            let statement = try await connection.prepare(ReplayScenario.literalSelectSQL)
            var failure: (any Error)?
            do {
                let rows = try await statement.query(ReplayScenario.literalSelectFirstParameters)
                let (values, error) = await Replay.valuesUntilError(rows)
                #expect(
                    values.isEmpty, "\(name): \(values.count) rows before the error", sourceLocation: sourceLocation)
                failure = error
            } catch {
                failure = error
            }
            await expectViolation(name, failure, naming: problem, connection, sourceLocation: sourceLocation)
            try await statement.close()
            await connection.close()
        }
    }

    @Test("bad-binary-row-null-bitmap-truncated: a binary row ends inside its NULL bitmap")
    func binaryRowNullBitmapTruncated() async throws {
        try await expectBinaryRowFails(
            "bad-binary-row-null-bitmap-truncated", naming: "too short for its NULL bitmap (2 bytes for 12 columns)")
    }

    @Test("bad-binary-row-datetime-length-5: a DATETIME value with length byte 5")
    func binaryRowDateTimeLength5() async throws {
        try await expectBinaryRowFails(
            "bad-binary-row-datetime-length-5", naming: "a date/datetime value cannot be 5 bytes long")
    }

    @Test("bad-binary-row-time-length-9: a TIME value with length byte 9")
    func binaryRowTimeLength9() async throws {
        try await expectBinaryRowFails("bad-binary-row-time-length-9", naming: "a time value cannot be 9 bytes long")
    }

    @Test("bad-binary-row-string-length: a length-encoded value of 2^63 bytes with 2 left")
    func binaryRowStringLength() async throws {
        try await expectBinaryRowFails(
            "bad-binary-row-string-length", naming: "length 9223372036854775808 runs past the end of the row")
    }

    @Test("bad-binary-row-header: a binary row starting with 0x01")
    func binaryRowHeader() async throws {
        try await expectBinaryRowFails("bad-binary-row-header", naming: "binary row starts with 0x")
    }

    @Test("bad-binary-row-trailing-bytes: two bytes after the last value of a binary row")
    func binaryRowTrailingBytes() async throws {
        try await expectBinaryRowFails("bad-binary-row-trailing-bytes", naming: "2 byte(s) after its 12 value(s)")
    }

    @Test("bad-prepare-ok-truncated: a COM_STMT_PREPARE_OK of 5 bytes")
    func prepareOKTruncated() async throws {
        let name = "bad-prepare-ok-truncated"
        try await Replay.play(name) { configuration in
            let connection = try await MySQLConnection.connect(configuration: configuration)
            var failure: (any Error)?
            do {
                _ = try await connection.prepare(ReplayScenario.literalSelectSQL)
            } catch {
                failure = error
            }
            await expectViolation(name, failure, naming: "COM_STMT_PREPARE response is truncated", connection)
            await connection.close()
        }
    }

    @Test("bad-prepare-param-definition-garbage: a row-like packet in place of a parameter definition")
    func prepareParameterDefinitionGarbage() async throws {
        let name = "bad-prepare-param-definition-garbage"
        try await Replay.play(name) { configuration in
            let connection = try await MySQLConnection.connect(configuration: configuration)
            var failure: (any Error)?
            do {
                _ = try await connection.query("SELECT \(1) + \(2) AS sum")
            } catch {
                failure = error
            }
            await expectViolation(name, failure, naming: "fixed-length fields are 0 bytes", connection)
            await connection.close()
        }
    }
}
