import MySQLWire
import Testing

/// Replays of the recorded fixtures (Docs/Fixtures.md): the real client against the recorded
/// server side, its packets compared byte for byte with the recorded client side.
@Suite("Replay", .timeLimit(.minutes(1)))
struct ReplayTests {
    @Test("handshake-native-auth: login with mysql_native_password, COM_QUIT")
    func handshakeNativeAuth() async throws {
        try await Replay.play("handshake-native-auth", ReplayScenario.handshakeNativeAuth)
    }

    @Test("wrong-password: ERR 1045 (28000) during login")
    func wrongPassword() async throws {
        try await Replay.play("wrong-password", ReplayScenario.wrongPassword)
    }

    @Test("simple-query: seven column types, a NULL, two rows")
    func simpleQuery() async throws {
        try await Replay.play("simple-query", ReplayScenario.simpleQuery)
    }

    @Test("empty-result: columns and no rows")
    func emptyResult() async throws {
        try await Replay.play("empty-result", ReplayScenario.emptyResult)
    }

    @Test("several-rows: five rows")
    func severalRows() async throws {
        try await Replay.play("several-rows", ReplayScenario.severalRows)
    }

    @Test("multi-result: SELECT 1; SELECT 'a','b'; DO 1 with multiStatements")
    func multiResult() async throws {
        try await Replay.play("multi-result", ReplayScenario.multiResult)
    }

    @Test("execute-and-ping: affected rows, insert id, info, COM_PING")
    func executeAndPing() async throws {
        try await Replay.play("execute-and-ping", ReplayScenario.executeAndPing)
    }

    @Test("query-error: ERR 1146 keeps the connection usable")
    func queryError() async throws {
        try await Replay.play("query-error", ReplayScenario.queryError)
    }

    @Test("large-row-16mib: a 17,000,000-byte value split over two packets, starting with 0xFE")
    func largeRow16MiB() async throws {
        try await Replay.play("large-row-16mib", ReplayScenario.largeRow16MiB)
    }

    @Test("auth-switch: caching_sha2_password greeting, switch to mysql_native_password with a new nonce")
    func authSwitch() async throws {
        try await Replay.play("auth-switch", ReplayScenario.authSwitch)
    }

    @Test("server-closes-mid-result: two rows arrive, then the server closes the socket")
    func serverClosesMidResult() async throws {
        try await Replay.play("server-closes-mid-result") { configuration in
            let connection = try await MySQLConnection.connect(configuration: configuration)
            let rows = try await connection.query(ReplayScenario.severalRowsSQL)
            let (values, error) = await Replay.valuesUntilError(rows)
            #expect(values == [[Replay.text("1"), Replay.text("row-1")], [Replay.text("2"), Replay.text("row-2")]])
            #expect((error as? MySQLError)?.kind == .connectionClosed, "got \(String(describing: error))")
            await Replay.expectClosed(connection)
        }
    }

    @Test("greeting-err-too-many-connections: ERR 1040 without SQL state in place of the greeting")
    func greetingError() async throws {
        try await Replay.play("greeting-err-too-many-connections") { configuration in
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .server(code: 1040, sqlState: ""))
        }
    }

    /// Every fixture parses, says where it came from, and has a replay test in this file or
    /// in ReplayBadInputTests.
    @Test("every fixture parses and is replayed")
    func everyFixtureParses() throws {
        let names = try FixtureFile.allNames()
        #expect(names.count >= 20)
        for name in names {
            let fixture = try FixtureFile.load(name)
            #expect(!(fixture.header("source") ?? "").isEmpty, "\(name): # source: is empty")
            if name.hasPrefix("bad-") {
                #expect(
                    fixture.header("source")?.contains("derived from") == true,
                    "\(name): a bad-* fixture says what was altered")
            }
            #expect(Self.replayed.contains(name), "\(name).fixture has no replay test")
        }
    }

    static let replayed: Set<String> = Set([
        "handshake-native-auth", "wrong-password", "simple-query", "empty-result", "several-rows", "multi-result",
        "execute-and-ping", "query-error", "large-row-16mib", "auth-switch", "server-closes-mid-result",
        "greeting-err-too-many-connections",
    ]).union(ReplayBadInputTests.fixtures).union(ReplayPreparedTests.fixtures).union(ReferenceServerReplayTests.exact)
        .union(ReferenceServerReplayTests.rsa)

    @Test("fixture format: runs, empty payloads, raw lines, headers")
    func fixtureFormat() throws {
        let text = """
            # source: hand-written for this test
            # server: none
            # scenario: format check
            # credentials: user=u password= database=
            # client: multiStatements=true
            # end: hold
            S 0 0a00 41*3 ff  # a comment with # inside
            C 1 -
            R 01000005fe
            # a comment between packets: ignored
            """
        let fixture = try FixtureFile(parsing: text, name: "inline")
        #expect(fixture.end == .hold)
        #expect(fixture.credentials == FixtureFile.Credentials(user: "u", password: "", database: nil))
        #expect(fixture.clientOptions == ["multiStatements": "true"])
        #expect(fixture.packets.count == 3)
        #expect(fixture.packets[0].payload == [0x0A, 0x00, 0x41, 0x41, 0x41, 0xFF])
        #expect(fixture.packets[0].comment == "a comment with # inside")
        #expect(
            fixture.packets[1].direction == .client && fixture.packets[1].sequenceID == 1
                && fixture.packets[1].payload.isEmpty)
        #expect(fixture.packets[2].direction == .rawServer && fixture.packets[2].payload == [1, 0, 0, 5, 0xFE])
        #expect(throws: FixtureFile.ParseError.self) {
            try FixtureFile(
                parsing: "# source: x\n# server: x\n# scenario: x\n# credentials: user=u\nS 0 abc\n", name: "odd")
        }
        #expect(throws: FixtureFile.ParseError.self) {
            try FixtureFile(
                parsing: "# source: x\n# server: x\n# scenario: x\n# credentials: user=u\nS 0 00*16777216\n",
                name: "too-long")
        }
        #expect(
            FixtureHex.firstDifference(expected: [1, 2, 3], actual: [1, 2, 4])?.hasPrefix("payload differs at offset 2")
                == true)
    }
}
