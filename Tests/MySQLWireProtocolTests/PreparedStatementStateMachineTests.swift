import Testing

@testable import MySQLWireProtocol

/// Prepared statements through the connection state machine, as packet conversations. The
/// client's bytes are spelled out from the protocol documentation (never produced by the
/// encoders under test); the server's packets come from `ServerPackets` and `StatementPackets`.
@Suite struct PreparedStatementStateMachineTests {
    static let threshold = 1 << 20

    /// A logged-in connection that has sent COM_STMT_EXECUTE for statement 7 without parameters.
    static func executing(
        deprecateEOF: Bool = true, cursor: Bool = false, configure: (inout ConnectionSettings) -> Void = { _ in }
    ) -> Conversation {
        var c = Conversation.loggedIn(deprecateEOF: deprecateEOF, configure: configure)
        _ = c.machine.startExecute(statementID: 7, parameters: [], cursor: cursor, longDataThreshold: threshold)
        return c
    }

    // MARK: - COM_STMT_PREPARE

    @Test func prepareSendsTheStatementText() {
        var c = Conversation.loggedIn()
        let sql = "SELECT a FROM t WHERE id = ?"
        // COM_STMT_PREPARE: 0x16, then the statement as string<EOF>; 29 bytes, sequence id 0.
        #expect(c.machine.startPrepare(sql).writtenBytes == [0x1D, 0x00, 0x00, 0x00, 0x16] + Array(sql.utf8))
        #expect(!c.machine.isReady)
        #expect(c.machine.stateName == "prepare")
    }

    @Test(arguments: [true, false])
    func prepareOKWithParametersAndColumns(deprecateEOF: Bool) throws {
        var c = Conversation.loggedIn(deprecateEOF: deprecateEOF)
        _ = c.machine.startPrepare("SELECT id, name FROM t WHERE id > ? AND name <> ?")
        let ok = StatementPackets.prepareOK(statementID: 7, columns: 2, parameters: 2, warnings: 1)
        #expect(ok == [0x00, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00])
        #expect(c.server(ok, seq: 1).isNone)
        #expect(c.server(StatementPackets.parameter(type: .longlong), seq: 2).isNone)
        #expect(c.server(StatementPackets.parameter(), seq: 3).isNone)
        var seq: UInt8 = 4
        if !deprecateEOF {
            // Without CLIENT_DEPRECATE_EOF an EOF closes the parameter definitions.
            #expect(c.server(ServerPackets.eof(), seq: seq).isNone)
            seq += 1
        }
        #expect(c.server(ServerPackets.column("id", type: .long), seq: seq).isNone)
        let afterColumns = c.server(ServerPackets.column("name"), seq: seq + 1)
        let description: PreparedStatementDescription
        if deprecateEOF {
            description = try #require(afterColumns.preparedStatement)
        } else {
            #expect(afterColumns.isNone)
            // ... and another the column definitions.
            description = try #require(c.server(ServerPackets.eof(), seq: seq + 2).preparedStatement)
        }
        #expect(description.statementID == 7)
        #expect(description.warnings == 1)
        #expect(description.parameters.map(\.type) == [.longlong, .varString])
        #expect(description.columns.map(\.name) == ["id", "name"])
        #expect(description.columns.map(\.type) == [.long, .varString])
        #expect(c.machine.isReady)
    }

    @Test(arguments: [true, false])
    func prepareOKWithoutParameters(deprecateEOF: Bool) throws {
        var c = Conversation.loggedIn(deprecateEOF: deprecateEOF)
        _ = c.machine.startPrepare("SELECT NOW()")
        #expect(c.server(StatementPackets.prepareOK(statementID: 3, columns: 1, parameters: 0), seq: 1).isNone)
        // No parameter definitions and no EOF for the empty group: the column comes next.
        let afterColumn = c.server(ServerPackets.column("NOW()", type: .datetime), seq: 2)
        let description: PreparedStatementDescription
        if deprecateEOF {
            description = try #require(afterColumn.preparedStatement)
        } else {
            #expect(afterColumn.isNone)
            description = try #require(c.server(ServerPackets.eof(), seq: 3).preparedStatement)
        }
        #expect(description.statementID == 3)
        #expect(description.parameters.isEmpty)
        #expect(description.columns.map(\.type) == [.datetime])
        #expect(c.machine.isReady)
    }

    @Test(arguments: [true, false])
    func prepareOKWithoutColumns(deprecateEOF: Bool) throws {
        var c = Conversation.loggedIn(deprecateEOF: deprecateEOF)
        _ = c.machine.startPrepare("INSERT INTO t VALUES (?, ?)")
        #expect(c.server(StatementPackets.prepareOK(statementID: 4, columns: 0, parameters: 2), seq: 1).isNone)
        #expect(c.server(StatementPackets.parameter(), seq: 2).isNone)
        let afterParameters = c.server(StatementPackets.parameter(), seq: 3)
        let description: PreparedStatementDescription
        if deprecateEOF {
            description = try #require(afterParameters.preparedStatement)
        } else {
            #expect(afterParameters.isNone)
            // The parameters' EOF is the last packet: none for the empty column group.
            description = try #require(c.server(ServerPackets.eof(), seq: 4).preparedStatement)
        }
        #expect(description.parameters.count == 2)
        #expect(description.columns.isEmpty)
        #expect(c.machine.isReady)
    }

    @Test(arguments: [true, false])
    func prepareOKAlone(deprecateEOF: Bool) throws {
        var c = Conversation.loggedIn(deprecateEOF: deprecateEOF)
        _ = c.machine.startPrepare("COMMIT")
        let description = try #require(
            c.server(StatementPackets.prepareOK(statementID: 5, columns: 0, parameters: 0), seq: 1).preparedStatement)
        #expect(description.statementID == 5)
        #expect(description.parameters.isEmpty && description.columns.isEmpty)
        #expect(c.machine.isReady)
    }

    @Test func prepareOKWithoutWarningCount() throws {
        // Older servers end the packet after the reserved byte (10 bytes).
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("DO 1")
        let description = try #require(
            c.server([0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], seq: 1).preparedStatement)
        #expect(description.statementID == 9)
        #expect(description.warnings == 0)
    }

    @Test func prepareResponseInOneReadThroughProcessPackets() throws {
        var c = Conversation.loggedIn(deprecateEOF: false)
        _ = c.machine.startPrepare("SELECT ?")
        var decoder = PacketDecoder()
        decoder.append(
            serverWire(
                [
                    StatementPackets.prepareOK(statementID: 2, columns: 1, parameters: 1),
                    StatementPackets.parameter(), ServerPackets.eof(), ServerPackets.column("?"), ServerPackets.eof(),
                ], firstSeq: 1))
        let description = try #require(c.machine.processPackets(from: &decoder)?.preparedStatement)
        #expect(description.statementID == 2)
        #expect(c.machine.processPackets(from: &decoder) == nil)
        #expect(c.machine.isReady)
    }

    @Test func prepareRefusedByTheServer() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELEC 1")
        let error = try #require(
            c.server(
                ServerPackets.err(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax"),
                seq: 1
            ).commandError)
        #expect(error.kind == .server(code: 1064, sqlState: "42000"))
        #expect(error.message == "You have an error in your SQL syntax")
        #expect(c.machine.isReady)
        // In sync: the next command starts at sequence id 0 and its reply at 1.
        #expect(
            c.machine.startPrepare("SELECT 1").writtenBytes == [0x09, 0x00, 0x00, 0x00, 0x16] + Array("SELECT 1".utf8))
        #expect(c.server(StatementPackets.prepareOK(statementID: 1, columns: 1, parameters: 0), seq: 1).isNone)
        #expect(c.server(ServerPackets.column("1", type: .longlong), seq: 2).preparedStatement != nil)
    }

    @Test(arguments: [
        [0x00] as [UInt8],
        [0x00, 0x07, 0x00, 0x00, 0x00],  // ends after the statement id
        [0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02],  // cut inside num_params
        [0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00],  // no reserved byte
    ])
    func truncatedPrepareOKIsAViolation(payload: [UInt8]) throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELECT ?")
        let error = try #require(c.server(payload, seq: 1).connectionError)
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("COM_STMT_PREPARE response is truncated"))
        #expect(c.machine.isClosed)
    }

    @Test func prepareOKWithAnotherHeaderIsAViolation() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELECT 1")
        let error = try #require(c.server([0x01] + Array(repeating: 0, count: 11), seq: 1).connectionError)
        #expect(error.kind == .protocolViolation)
    }

    @Test func prepareResponseWithAWrongSequenceID() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELECT ?")
        let error = try #require(
            c.server(StatementPackets.prepareOK(statementID: 1, columns: 0, parameters: 1), seq: 2).connectionError)
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("packet sequence id 2 in state prepare, expected 1"))
        #expect(c.machine.isClosed)

        // A gap in the middle of the definitions too.
        var d = Conversation.loggedIn()
        _ = d.machine.startPrepare("SELECT ?")
        _ = d.server(StatementPackets.prepareOK(statementID: 1, columns: 1, parameters: 1), seq: 1)
        _ = d.server(StatementPackets.parameter(), seq: 2)
        let gap = try #require(d.server(ServerPackets.column("?"), seq: 4).connectionError)
        #expect(gap.message.contains("expected 3"))
    }

    @Test func missingEOFAfterParametersIsAViolation() throws {
        var c = Conversation.loggedIn(deprecateEOF: false)
        _ = c.machine.startPrepare("SELECT ?")
        _ = c.server(StatementPackets.prepareOK(statementID: 1, columns: 1, parameters: 1), seq: 1)
        _ = c.server(StatementPackets.parameter(), seq: 2)
        // A column definition where the EOF belongs.
        let error = try #require(c.server(ServerPackets.column("?"), seq: 3).connectionError)
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("expected an EOF packet"))
    }

    // MARK: - COM_STMT_EXECUTE

    @Test func executeWithoutParameters() {
        var c = Conversation.loggedIn()
        let bytes = c.machine.startExecute(
            statementID: 0x0A0B_0C0D, parameters: [], cursor: false, longDataThreshold: Self.threshold
        ).writtenBytes
        // 0x17, statement_id<4>, flags<1>, iteration_count<4> = 1; no bitmap or types without parameters.
        #expect(bytes == [0x0A, 0x00, 0x00, 0x00, 0x17, 0x0D, 0x0C, 0x0B, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x00])
        #expect(c.machine.stateName == "query")
    }

    @Test func executeWithIntStringAndNull() {
        var c = Conversation.loggedIn()
        let parameters: [any MySQLEncodable] = [42, "abc", Int?.none]
        let bytes = c.machine.startExecute(
            statementID: 7, parameters: parameters, cursor: false, longDataThreshold: Self.threshold
        ).writtenBytes
        let expected: [UInt8] =
            [0x1E, 0x00, 0x00, 0x00]  // 30 bytes, sequence id 0
            + [0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x04]  // NULL bitmap: the third parameter (bit 2)
            + [0x01]  // new-params-bound: the types follow
            + [0x08, 0x00, 0xFD, 0x00, 0x06, 0x00]  // LONGLONG, VAR_STRING, NULL
            + [0x2A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // 42
            + [0x03, 0x61, 0x62, 0x63]  // "abc"; nothing for the NULL
        #expect(bytes == expected)
    }

    @Test func unsignedParametersCarryTheUnsignedFlag() {
        var c = Conversation.loggedIn()
        let bytes = c.machine.startExecute(
            statementID: 7, parameters: [UInt64.max, Int64(-1)], cursor: false, longDataThreshold: Self.threshold
        ).writtenBytes
        let expected: [UInt8] =
            [0x20, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x00, 0x01]
            + [0x08, 0x80, 0x08, 0x00]  // LONGLONG with flag 0x80 (unsigned), LONGLONG signed
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(bytes == expected)
    }

    @Test func nineParametersTakeATwoByteNullBitmap() {
        var c = Conversation.loggedIn()
        let parameters: [any MySQLEncodable] = [
            Int8(0), Int8?.none, Int8(2), Int8(3), Int8(4), Int8(5), Int8(6), Int8(7), Int8?.none,
        ]
        let bytes = c.machine.startExecute(
            statementID: 7, parameters: parameters, cursor: false, longDataThreshold: Self.threshold
        ).writtenBytes
        let expected: [UInt8] =
            [0x26, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x02, 0x01]  // (9 + 7) / 8 = 2 bytes: parameter 1 (bit 1), parameter 8 (second byte, bit 0)
            + [0x01]
            + [0x01, 0x00, 0x06, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00]  // TINY, NULL, TINY, TINY, TINY
            + [0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x06, 0x00]  // TINY, TINY, TINY, NULL
            + [0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]
        #expect(bytes == expected)
    }

    @Test func cursorFlag() {
        var c = Conversation.loggedIn()
        let bytes = c.machine.startExecute(
            statementID: 7, parameters: [], cursor: true, longDataThreshold: Self.threshold
        ).writtenBytes
        // flags 0x01: CURSOR_TYPE_READ_ONLY.
        #expect(bytes == [0x0A, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00])
    }

    @Test func longValueGoesAheadInOneMebibyteParts() throws {
        var c = Conversation.loggedIn()
        let blob = (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }  // 2.5 MiB
        let bytes = try #require(
            c.machine.startExecute(
                statementID: 7, parameters: [5 as Int, blob], cursor: false, longDataThreshold: 1 << 20
            ).writtenBytes)
        let part = 1 << 20
        // COM_STMT_SEND_LONG_DATA: 0x18, statement_id<4>, param_id<2>, data. Each is a command of
        // its own (sequence id 0) with no reply.
        let partHeader: [UInt8] = [0x18, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00]
        var expected: [UInt8] = []
        expected += [0x07, 0x00, 0x10, 0x00] + partHeader + blob[0..<part]  // 1 MiB + 7 = 0x100007
        expected += [0x07, 0x00, 0x10, 0x00] + partHeader + blob[part..<(2 * part)]
        expected += [0x07, 0x00, 0x08, 0x00] + partHeader + blob[(2 * part)...]  // 0.5 MiB + 7 = 0x080007
        // Then COM_STMT_EXECUTE: both types announced (BLOB 0xFC too), the BLOB's value left out.
        expected +=
            [0x18, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x00, 0x01, 0x08, 0x00, 0xFC, 0x00]
            + [0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(bytes.count == expected.count)
        #expect(firstDifference(bytes, expected) == nil)
        // The server answers the execute alone, starting at sequence id 1.
        #expect(c.server(ServerPackets.ok(affectedRows: 1), seq: 1).resultSetEnd?.more == false)
        #expect(c.machine.isReady)
    }

    @Test func onlyStringsAndBytesGoAsLongData() {
        var c = Conversation.loggedIn()
        let bytes = c.machine.startExecute(
            statementID: 7, parameters: ["hello world", 3 as Int], cursor: false, longDataThreshold: 4
        ).writtenBytes
        let expected: [UInt8] =
            [0x12, 0x00, 0x00, 0x00, 0x18, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("hello world".utf8)
            + [0x18, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x00, 0x01, 0xFD, 0x00, 0x08, 0x00]
            // The integer's 8 bytes exceed the threshold too, but only strings and bytes can be long data.
            + [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(bytes == expected)
    }

    @Test func valueOfExactlyTheThresholdStaysInTheExecutePacket() {
        // "A string or bytes value longer than longDataThreshold" goes ahead as long data.
        var over = Conversation.loggedIn()
        #expect(
            over.machine.startExecute(statementID: 7, parameters: ["abcdef"], cursor: false, longDataThreshold: 5)
                .writtenBytes
                == [0x0D, 0x00, 0x00, 0x00, 0x18, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("abcdef".utf8)
                + [0x0E, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
                + [0x00, 0x01, 0xFD, 0x00])
        var exact = Conversation.loggedIn()
        let bytes = exact.machine.startExecute(
            statementID: 7, parameters: ["abcde"], cursor: false, longDataThreshold: 5
        ).writtenBytes
        #expect(
            bytes
                == [0x14, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
                + [0x00, 0x01, 0xFD, 0x00, 0x05] + Array("abcde".utf8))
    }

    @Test func longDataNamesItsParameterInTwoBytes() throws {
        var c = Conversation.loggedIn()
        // Parameter 300 (0x012C) is the long one.
        let parameters: [any MySQLEncodable] = Array(repeating: Int8?.none, count: 300) + ["long enough"]
        let bytes = try #require(
            c.machine.startExecute(statementID: 7, parameters: parameters, cursor: false, longDataThreshold: 4)
                .writtenBytes)
        #expect(Array(bytes.prefix(11)) == [0x12, 0x00, 0x00, 0x00, 0x18, 0x07, 0x00, 0x00, 0x00, 0x2C, 0x01])
        #expect(Array(bytes[11..<22]) == Array("long enough".utf8))
        // The execute packet: a (301 + 7) / 8 = 38-byte bitmap with the first 300 bits set, then the types.
        let execute = Array(bytes[22...])
        #expect(execute.count == 4 + 10 + 38 + 1 + 602)
        #expect(Array(execute[14..<52]) == Array(repeating: 0xFF, count: 37) + [0x0F])
        #expect(Array(execute.suffix(4)) == [0x06, 0x00, 0xFD, 0x00])
    }

    @Test func executePacketOf16MiBIsSplit() throws {
        var c = Conversation.loggedIn()
        // 18 bytes before the value's content: the payload is exactly 0xFFFFFF bytes, so it is sent
        // as a full packet and an empty one, and the reply comes with sequence id 2.
        let blob = [UInt8](repeating: 0x61, count: 0xFF_FFFF - 18)
        let bytes = try #require(
            c.machine.startExecute(statementID: 7, parameters: [blob], cursor: false, longDataThreshold: .max)
                .writtenBytes)
        #expect(bytes.count == 4 + 0xFF_FFFF + 4)
        #expect(
            Array(bytes.prefix(22))
                == [0xFF, 0xFF, 0xFF, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]
                + [0x00, 0x01, 0xFC, 0x00, 0xFD, 0xED, 0xFF, 0xFF])
        #expect(Array(bytes.suffix(5)) == [0x61, 0x00, 0x00, 0x00, 0x01])
        #expect(c.server(ServerPackets.ok(), seq: 2).resultSetEnd != nil)
        #expect(c.machine.isReady)
    }

    @Test func executeWhileBusyIsRefused() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELECT 1")
        let error = try #require(
            c.machine.startExecute(statementID: 7, parameters: [], cursor: false, longDataThreshold: Self.threshold)
                .commandError)
        #expect(error.kind == .invalidUsage)
        #expect(error.message.contains("prepare"))
        // The prepare goes on undisturbed.
        #expect(
            c.server(StatementPackets.prepareOK(statementID: 1, columns: 0, parameters: 0), seq: 1).preparedStatement
                != nil)
    }

    @Test func parameterThatCannotBeEncodedFailsTheCommandUnsent() throws {
        var c = Conversation.loggedIn()
        let action = c.machine.startExecute(
            statementID: 7, parameters: [1 as Int, UnencodableParameter()], cursor: false,
            longDataThreshold: Self.threshold)
        #expect(action.writtenBytes == nil)
        let error = try #require(action.commandError)
        #expect(error.kind == .invalidUsage)
        #expect(error.message.contains("parameter 2"))
        #expect(error.message.contains("this value has no MySQL form"))
        #expect(c.machine.isReady)
        // Nothing of it is left in the next command.
        #expect(
            c.machine.startExecute(statementID: 7, parameters: [], cursor: false, longDataThreshold: Self.threshold)
                .writtenBytes == [0x0A, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00])
    }

    @Test func encodingErrorAfterALongValueSendsNoLongData() throws {
        var c = Conversation.loggedIn()
        let action = c.machine.startExecute(
            statementID: 7, parameters: ["a long text", 2 as Int, UnencodableParameter()], cursor: false,
            longDataThreshold: 4)
        #expect(action.writtenBytes == nil)
        #expect(action.commandError?.message.contains("parameter 3") == true)
        #expect(c.machine.isReady)
        #expect(
            c.machine.startPrepare("DO 1").writtenBytes == [0x05, 0x00, 0x00, 0x00, 0x16] + Array("DO 1".utf8))
    }

    // MARK: - Execute responses

    @Test func executeAnsweredWithOK() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startExecute(
            statementID: 7, parameters: ["x"], cursor: false, longDataThreshold: Self.threshold)
        let end = try #require(c.server(ServerPackets.ok(affectedRows: 1, lastInsertID: 42), seq: 1).resultSetEnd)
        #expect(end.rows == nil)
        #expect(end.ok.affectedRows == 1)
        #expect(end.ok.lastInsertID == 42)
        #expect(!end.more)
        #expect(c.machine.isReady)
    }

    @Test func executeAnsweredWithERR() throws {
        var c = Self.executing()
        let error = try #require(
            c.server(
                ServerPackets.err(
                    code: 1243, message: "Unknown prepared statement handler (7) given to mysqld_stmt_execute"), seq: 1
            ).commandError)
        #expect(error.kind == .server(code: 1243, sqlState: "HY000"))
        #expect(c.machine.isReady)
    }

    /// Nine columns, so the NULL bitmap ((9 + 9) / 8 = 2 bytes) spans two bytes.
    static let nineColumns: [[UInt8]] = [
        ServerPackets.column("t", type: .tiny), ServerPackets.column("s", type: .short),
        ServerPackets.column("l", type: .long), ServerPackets.column("ll", type: .longlong),
        ServerPackets.column("f", type: .float), ServerPackets.column("d", type: .double),
        ServerPackets.column("dt", type: .datetime), ServerPackets.column("tm", type: .time),
        ServerPackets.column("v"),
    ]

    static let nineColumnRows: [[BinaryValue]] = [
        [
            .fixed([0xFB]),  // TINY -5: 0xFB is a value here, not NULL
            .fixed([0x34, 0x12]),  // SHORT 4660
            .fixed([0xFF, 0xFF, 0xFF, 0xFF]),  // LONG -1
            .fixed([0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]),  // LONGLONG 0x0102030405060708
            .fixed([0x00, 0x00, 0xC0, 0x3F]),  // FLOAT 1.5
            .fixed([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xC0]),  // DOUBLE -2.25
            .lengthByte([0xE8, 0x07, 2, 29, 13, 45, 59, 0x40, 0xE2, 0x01, 0x00]),  // 2024-02-29 13:45:59.123456
            .lengthByte([1, 1, 0, 0, 0, 2, 3, 4, 5, 0, 0, 0]),  // TIME -1 day 02:03:04.000005
            .text("héllo"),
        ],
        [
            .null,
            .fixed([0xFF, 0xFF]),  // -1
            .fixed([0x00, 0x00, 0x00, 0x00]),
            .fixed([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]),  // Int64.min
            .fixed([0x00, 0x00, 0x00, 0x00]),
            .fixed([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            .lengthByte([0xCF, 0x07, 12, 31, 23, 59, 58]),  // 1999-12-31 23:59:58 (7 bytes)
            .lengthByte([0, 34, 0, 0, 0, 22, 59, 59]),  // 838:59:59 (8 bytes)
            .null,
        ],
        [
            .fixed([0xFE]),  // -2
            .null,
            .null,
            .fixed([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            .fixed([0x00, 0x00, 0x80, 0xBF]),  // -1.0
            .fixed([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F]),  // 1.0
            .lengthByte([0xD0, 0x07, 1, 1]),  // 2000-01-01 (4 bytes)
            .lengthByte([]),  // 00:00:00 (0 bytes)
            .lengthEncoded(Array(repeating: 0x78, count: 300)),  // 0xFC length
        ],
        [
            .null, .null, .null, .null, .null, .null,
            .lengthByte([]),  // 0000-00-00 00:00:00 (0 bytes)
            .lengthByte([]),
            .text(""),  // empty, not NULL
        ],
    ]

    static var nineColumnResponse: [[UInt8]] {
        [ServerPackets.columnCount(9)] + nineColumns + nineColumnRows.map(StatementPackets.binaryRow)
            + [ServerPackets.ok(header: 0xFE)]
    }

    @Test func nullBitmapsOfTheNineColumnRows() {
        // Column i is bit i + 2: column 0 is 0x04 of the first byte, column 8 is 0x04 of the second.
        let bitmaps = Self.nineColumnRows.map { Array(StatementPackets.binaryRow($0).prefix(3)) }
        #expect(bitmaps == [[0x00, 0x00, 0x00], [0x00, 0x04, 0x04], [0x00, 0x18, 0x00], [0x00, 0xFC, 0x00]])
    }

    @Test func binaryRowsOfNineColumns() throws {
        var c = Self.executing()
        #expect(c.server(ServerPackets.columnCount(9), seq: 1).isNone)
        for (i, column) in Self.nineColumns.dropLast().enumerated() {
            #expect(c.server(column, seq: UInt8(2 + i)).isNone)
        }
        let columns = try #require(c.server(Self.nineColumns[8], seq: 10).startedColumns)
        #expect(
            columns.map(\.type) == [.tiny, .short, .long, .longlong, .float, .double, .datetime, .time, .varString])
        for (i, row) in Self.nineColumnRows.enumerated() {
            #expect(c.server(StatementPackets.binaryRow(row), seq: UInt8(11 + i)).isNone)
        }
        let end = try #require(c.server(ServerPackets.ok(header: 0xFE), seq: 15).resultSetEnd)
        #expect(!end.more)
        #expect(c.machine.isReady)
        let rows = try #require(end.rows)
        #expect(rows.format == .binary)
        #expect(rows.count == 4)
        for (i, row) in Self.nineColumnRows.enumerated() {
            #expect(rowValues(rows, i) == row.map(\.value), "row \(i)")
        }

        // And the values decode by their column types.
        func value(_ row: Int, _ column: Int) -> ArraySlice<UInt8>? { rows.value(row: row, column: column) }
        #expect(try Int8.decode(mysqlValue: value(0, 0), format: .binary, column: columns[0]) == -5)
        #expect(try Int16.decode(mysqlValue: value(0, 1), format: .binary, column: columns[1]) == 4660)
        #expect(try Int32.decode(mysqlValue: value(0, 2), format: .binary, column: columns[2]) == -1)
        #expect(
            try Int64.decode(mysqlValue: value(0, 3), format: .binary, column: columns[3]) == 0x0102_0304_0506_0708)
        #expect(try Int64.decode(mysqlValue: value(1, 3), format: .binary, column: columns[3]) == .min)
        #expect(try Float.decode(mysqlValue: value(0, 4), format: .binary, column: columns[4]) == 1.5)
        #expect(try Double.decode(mysqlValue: value(0, 5), format: .binary, column: columns[5]) == -2.25)
        let dateTime = try MySQLDateTime.decode(mysqlValue: value(0, 6), format: .binary, column: columns[6])
        #expect(
            [dateTime.year, dateTime.month, dateTime.day, dateTime.hour, dateTime.minute, dateTime.second]
                == [2024, 2, 29, 13, 45, 59])
        #expect(dateTime.microsecond == 123_456)
        let time = try MySQLTime.decode(mysqlValue: value(0, 7), format: .binary, column: columns[7])
        #expect(time.isNegative)
        #expect([time.hours, time.minutes, time.seconds, time.microseconds] == [26, 3, 4, 5])
        #expect(try MySQLTime.decode(mysqlValue: value(1, 7), format: .binary, column: columns[7]).hours == 838)
        #expect(try String.decode(mysqlValue: value(0, 8), format: .binary, column: columns[8]) == "héllo")
        #expect(try Optional<String>.decode(mysqlValue: value(1, 8), format: .binary, column: columns[8]) == nil)
        #expect(try String.decode(mysqlValue: value(2, 8), format: .binary, column: columns[8]).utf8.count == 300)
        #expect(try String.decode(mysqlValue: value(3, 8), format: .binary, column: columns[8]) == "")
    }

    /// Seven columns: the last one's NULL bit is bit 0 of the bitmap's second byte.
    static let sevenColumns: [[UInt8]] = [
        ServerPackets.column("d", type: .date), ServerPackets.column("ts", type: .timestamp),
        ServerPackets.column("y", type: .year), ServerPackets.column("m", type: .int24),
        ServerPackets.column("n", type: .newdecimal), ServerPackets.column("b", type: .blob, charset: 63),
        ServerPackets.column("x", type: .null),
    ]

    static let sevenColumnRows: [[BinaryValue]] = [
        [
            .lengthByte([0xE7, 0x07, 7, 15]),  // DATE 2023-07-15
            .lengthByte([0xE7, 0x07, 7, 15, 8, 30, 0]),  // TIMESTAMP 2023-07-15 08:30:00
            .fixed([0xE7, 0x07]),  // YEAR 2023
            .fixed([0x00, 0x00, 0x80, 0xFF]),  // INT24 -8388608, sent in 4 bytes
            .text("-15.50"),
            .lengthEncoded([0x00, 0xFB, 0xFF, 0xFE]),  // bytes that look like markers
            .null,  // SELECT NULL
        ],
        [.null, .null, .null, .null, .null, .null, .null],
    ]

    @Test func binaryRowsOfSevenColumnsWithClassicEOF() throws {
        #expect(StatementPackets.binaryRow(Self.sevenColumnRows[0]).prefix(3) == [0x00, 0x00, 0x01])
        #expect(StatementPackets.binaryRow(Self.sevenColumnRows[1]) == [0x00, 0xFC, 0x01])
        var c = Self.executing(deprecateEOF: false)
        #expect(c.server(ServerPackets.columnCount(7), seq: 1).isNone)
        for (i, column) in Self.sevenColumns.enumerated() {
            #expect(c.server(column, seq: UInt8(2 + i)).isNone)
        }
        let columns = try #require(c.server(ServerPackets.eof(), seq: 9).startedColumns)
        #expect(columns.map(\.name) == ["d", "ts", "y", "m", "n", "b", "x"])
        #expect(c.server(StatementPackets.binaryRow(Self.sevenColumnRows[0]), seq: 10).isNone)
        #expect(c.server(StatementPackets.binaryRow(Self.sevenColumnRows[1]), seq: 11).isNone)
        let end = try #require(c.server(ServerPackets.eof(), seq: 12).resultSetEnd)
        #expect(!end.more)
        #expect(end.ok.status == .autocommit)
        #expect(rowValues(end.rows, 0) == Self.sevenColumnRows[0].map(\.value))
        #expect(rowValues(end.rows, 1) == Array(repeating: nil, count: 7))
        #expect(c.machine.isReady)
    }

    // MARK: The row fast path

    /// What a response did, as the IO layer sees it: the rows, and every other action in order.
    struct Outcome: Equatable {
        var events: [String] = []
        var rows: [[[UInt8]?]] = []
    }

    /// Records `action`; false once the connection is closed.
    static func record(_ action: ConnectionAction, _ c: inout Conversation, into outcome: inout Outcome) -> Bool {
        func take(_ batch: RowBatch?) {
            guard let batch else { return }
            for row in 0..<batch.count { outcome.rows.append(rowValues(batch, row)) }
        }
        switch action {
        case .none: break
        case .resultSetStarted(let columns): outcome.events.append("columns \(columns.count)")
        case .deliverRows(let batch): take(batch)
        case .resultSetEnded(let batch, _, let more):
            take(batch)
            outcome.events.append(more ? "end, more" : "end")
        case .cursorFetchNeeded(let batch):
            take(batch)
            outcome.events.append("fetch")
        case .commandFailed(let error):
            take(c.machine.takeRowsBeforeFailure())
            outcome.events.append("failed: \(error.message)")
        case .closeWithError(let error):
            take(c.machine.takeRowsBeforeFailure())
            outcome.events.append("closed: \(error.message)")
            return false
        default: outcome.events.append("unexpected \(action)")
        }
        return true
    }

    /// `payloads` one packet at a time through `packetReceived`, sequence ids from `firstSeq`.
    static func oneByOne(_ c: inout Conversation, _ payloads: [[UInt8]], firstSeq: UInt8 = 1) -> Outcome {
        var outcome = Outcome()
        for (i, payload) in payloads.enumerated() {
            let action = c.server(payload, seq: firstSeq &+ UInt8(truncatingIfNeeded: i))
            guard record(action, &c, into: &outcome) else { break }
        }
        if case .deliverRows(let batch) = c.machine.readComplete() {
            _ = record(.deliverRows(batch), &c, into: &outcome)
        }
        return outcome
    }

    /// The same packets framed and fed through `processPackets` in reads of `chunk` bytes.
    static func throughFastPath(_ c: inout Conversation, _ payloads: [[UInt8]], firstSeq: UInt8 = 1, chunk: Int)
        -> Outcome
    {
        let bytes = serverWire(payloads, firstSeq: firstSeq)
        var decoder = PacketDecoder()
        var outcome = Outcome()
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(bytes[offset..<end])
            offset = end
            while let action = c.machine.processPackets(from: &decoder) {
                guard record(action, &c, into: &outcome) else { return outcome }
            }
            if case .deliverRows(let batch) = c.machine.readComplete() {
                _ = record(.deliverRows(batch), &c, into: &outcome)
            }
        }
        return outcome
    }

    /// Runs `payloads` one by one and through the fast path with several read and batch sizes,
    /// and expects `expected` every time.
    static func expectEveryWay(
        _ payloads: [[UInt8]], _ expected: Outcome, deprecateEOF: Bool = true, ready: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var c = executing(deprecateEOF: deprecateEOF)
        #expect(oneByOne(&c, payloads) == expected, "one by one", sourceLocation: sourceLocation)
        #expect(c.machine.isReady == ready, sourceLocation: sourceLocation)
        for chunk in [1, 3, 50, 4096, 1 << 16] {
            for batchBytes in [64, 256 * 1024] {
                var c = executing(deprecateEOF: deprecateEOF) { $0.rowBatchBytes = batchBytes }
                #expect(
                    throughFastPath(&c, payloads, chunk: chunk) == expected,
                    "reads of \(chunk), batches of \(batchBytes)",
                    sourceLocation: sourceLocation)
                #expect(c.machine.isReady == ready, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func binaryRowsThroughBothPaths() {
        Self.expectEveryWay(
            Self.nineColumnResponse,
            Outcome(events: ["columns 9", "end"], rows: Self.nineColumnRows.map { $0.map(\.value) }))
        let sevenColumnResponse =
            [ServerPackets.columnCount(7)] + Self.sevenColumns + [ServerPackets.eof()]
            + Self.sevenColumnRows.map(StatementPackets.binaryRow) + [ServerPackets.eof()]
        Self.expectEveryWay(
            sevenColumnResponse,
            Outcome(events: ["columns 7", "end"], rows: Self.sevenColumnRows.map { $0.map(\.value) }),
            deprecateEOF: false)
    }

    @Test func errorAfterSomeRowsKeepsThem() {
        let rows: [[BinaryValue]] = (1...3).map { [.fixed(le(Int32($0)))] }
        let response =
            [ServerPackets.columnCount(1), ServerPackets.column("id", type: .long)]
            + rows.map(StatementPackets.binaryRow)
            + [ServerPackets.err(code: 1317, sqlState: "70100", message: "Query execution was interrupted")]
        Self.expectEveryWay(
            response,
            Outcome(
                events: ["columns 1", "failed: Query execution was interrupted"],
                rows: rows.map { $0.map(\.value) }))
    }

    @Test func errorAfterRowsInOneConversation() throws {
        var c = Self.executing()
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(StatementPackets.binaryRow([BinaryValue.fixed([1, 0, 0, 0])]), seq: 3)
        _ = c.server(StatementPackets.binaryRow([BinaryValue.fixed([2, 0, 0, 0])]), seq: 4)
        let error = try #require(
            c.server(
                ServerPackets.err(code: 1317, sqlState: "70100", message: "Query execution was interrupted"), seq: 5
            )
            .commandError)
        #expect(error.kind == .server(code: 1317, sqlState: "70100"))
        #expect(c.machine.isReady)
        let taken = c.machine.takeRowsBeforeFailure()
        let before = try #require(taken)
        #expect(before.count == 2)
        #expect(rowValues(before, 1) == [[2, 0, 0, 0]])
        let again = c.machine.takeRowsBeforeFailure()  // handed over once
        #expect(again == nil)
    }

    /// `CALL p()`: two result sets (SERVER_MORE_RESULTS_EXISTS 0x08 on their terminators), then
    /// the procedure's own OK.
    static let callResponse: [[UInt8]] = [
        ServerPackets.columnCount(1), ServerPackets.column("id", type: .long),
        StatementPackets.binaryRow([BinaryValue.fixed([10, 0, 0, 0])]),
        ServerPackets.ok(status: 0x000A, header: 0xFE),
        ServerPackets.columnCount(2), ServerPackets.column("name"), ServerPackets.column("score", type: .double),
        StatementPackets.binaryRow([BinaryValue.text("Ann"), .fixed([0, 0, 0, 0, 0, 0, 0xF8, 0x3F])]),  // 1.5
        StatementPackets.binaryRow([BinaryValue.null, .null]),
        ServerPackets.ok(status: 0x000A, header: 0xFE),
        ServerPackets.ok(affectedRows: 0, status: 0x0002),
    ]

    @Test func callWithSeveralResults() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startExecute(
            statementID: 9, parameters: [3 as Int], cursor: false, longDataThreshold: Self.threshold)
        let payloads = Self.callResponse
        _ = c.server(payloads[0], seq: 1)
        #expect(c.server(payloads[1], seq: 2).startedColumns?.count == 1)
        _ = c.server(payloads[2], seq: 3)
        let first = try #require(c.server(payloads[3], seq: 4).resultSetEnd)
        #expect(first.more)
        #expect(rowValues(first.rows, 0) == [[10, 0, 0, 0]])
        #expect(!c.machine.isReady)
        // The second result set has other columns: its rows are read by its own layout.
        _ = c.server(payloads[4], seq: 5)
        _ = c.server(payloads[5], seq: 6)
        #expect(c.server(payloads[6], seq: 7).startedColumns?.map(\.type) == [.varString, .double])
        _ = c.server(payloads[7], seq: 8)
        _ = c.server(payloads[8], seq: 9)
        let second = try #require(c.server(payloads[9], seq: 10).resultSetEnd)
        #expect(second.more)
        #expect(rowValues(second.rows, 0) == [Array("Ann".utf8), [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]])
        #expect(rowValues(second.rows, 1) == [nil, nil])
        let last = try #require(c.server(payloads[10], seq: 11).resultSetEnd)
        #expect(!last.more)
        #expect(last.rows == nil)
        #expect(c.machine.isReady)
    }

    @Test func callWithSeveralResultsThroughBothPaths() {
        Self.expectEveryWay(
            Self.callResponse,
            Outcome(
                events: ["columns 1", "end, more", "columns 2", "end, more", "end"],
                rows: [[[10, 0, 0, 0]], [Array("Ann".utf8), [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]], [nil, nil]]))
    }

    @Test func rowsAreReadByTheExecutionsColumnsNotThePreparedOnes() throws {
        var c = Conversation.loggedIn()
        _ = c.machine.startPrepare("SELECT * FROM t WHERE id = ?")
        _ = c.server(StatementPackets.prepareOK(statementID: 7, columns: 1, parameters: 1), seq: 1)
        _ = c.server(StatementPackets.parameter(type: .longlong), seq: 2)
        let prepared = try #require(c.server(ServerPackets.column("a", type: .longlong), seq: 3).preparedStatement)
        #expect(prepared.columns.map(\.type) == [.longlong])
        // Meanwhile: ALTER TABLE t MODIFY a TINYINT, ADD b VARCHAR(10). The execution says so.
        _ = c.machine.startExecute(
            statementID: 7, parameters: [1 as Int], cursor: false, longDataThreshold: Self.threshold)
        _ = c.server(ServerPackets.columnCount(2), seq: 1)
        _ = c.server(ServerPackets.column("a", type: .tiny), seq: 2)
        let columns = try #require(c.server(ServerPackets.column("b"), seq: 3).startedColumns)
        #expect(columns.map(\.type) == [.tiny, .varString])
        // One byte for the TINY, then the string: read as a LONGLONG this row would be malformed.
        #expect(c.server(StatementPackets.binaryRow([BinaryValue.fixed([0x05]), .text("new")]), seq: 4).isNone)
        let end = try #require(c.server(ServerPackets.ok(header: 0xFE), seq: 5).resultSetEnd)
        #expect(rowValues(end.rows, 0) == [[0x05], Array("new".utf8)])

        // Fewer columns than prepared: one LONG.
        _ = c.machine.startExecute(
            statementID: 7, parameters: [1 as Int], cursor: false, longDataThreshold: Self.threshold)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        #expect(c.server(ServerPackets.column("a", type: .long), seq: 2).startedColumns?.count == 1)
        _ = c.server(StatementPackets.binaryRow([BinaryValue.fixed([9, 0, 0, 0])]), seq: 3)
        let again = try #require(c.server(ServerPackets.ok(header: 0xFE), seq: 4).resultSetEnd)
        #expect(rowValues(again.rows, 0) == [[9, 0, 0, 0]])
        #expect(c.machine.isReady)
    }

    // MARK: - Cursors

    static func idRow(_ id: Int32) -> [UInt8] { StatementPackets.binaryRow([BinaryValue.fixed(le(id))]) }

    @Test func cursorWithDeprecateEOF() throws {
        var c = Conversation.loggedIn()
        #expect(
            c.machine.startExecute(statementID: 7, parameters: [], cursor: true, longDataThreshold: Self.threshold)
                .writtenBytes == [0x0A, 0x00, 0x00, 0x00, 0x17, 0x07, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00])
        #expect(c.server(ServerPackets.columnCount(1), seq: 1).isNone)
        #expect(c.server(ServerPackets.column("id", type: .long), seq: 2).startedColumns?.count == 1)
        #expect(!c.machine.isAwaitingFetch)
        // No rows yet: an OK (0xFE) with SERVER_STATUS_CURSOR_EXISTS (0x40) says the cursor is open.
        let opened = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        #expect(opened.isCursorFetchNeeded)
        #expect(opened.cursorFetchRows == nil)
        #expect(c.machine.isAwaitingFetch)
        #expect(!c.machine.isReady)

        // COM_STMT_FETCH: 0x1C, statement_id<4>, num_rows<4>.
        #expect(
            c.machine.fetchRows(statementID: 7, rows: 2).writtenBytes
                == [0x09, 0x00, 0x00, 0x00, 0x1C, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00])
        #expect(!c.machine.isAwaitingFetch)
        #expect(c.server(Self.idRow(1), seq: 1).isNone)
        #expect(c.server(Self.idRow(2), seq: 2).isNone)
        // Still open (no SERVER_STATUS_LAST_ROW_SENT): these rows, and more on request.
        let firstFetch = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        #expect(firstFetch.isCursorFetchNeeded)
        #expect(firstFetch.cursorFetchRows?.count == 2)
        #expect(rowValues(firstFetch.cursorFetchRows, 1) == [[2, 0, 0, 0]])
        #expect(c.machine.isAwaitingFetch)

        #expect(
            c.machine.fetchRows(statementID: 7, rows: 1000).writtenBytes
                == [0x09, 0x00, 0x00, 0x00, 0x1C, 0x07, 0x00, 0x00, 0x00, 0xE8, 0x03, 0x00, 0x00])
        #expect(c.server(Self.idRow(3), seq: 1).isNone)
        // SERVER_STATUS_LAST_ROW_SENT (0x80): the cursor is exhausted and the command complete.
        let end = try #require(c.server(ServerPackets.ok(status: 0x00C2, header: 0xFE), seq: 2).resultSetEnd)
        #expect(!end.more)
        #expect(rowValues(end.rows, 0) == [[3, 0, 0, 0]])
        #expect(c.machine.isReady)
        #expect(!c.machine.isAwaitingFetch)
    }

    @Test func cursorWithClassicEOF() throws {
        var c = Self.executing(deprecateEOF: false, cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        #expect(c.server(ServerPackets.column("id", type: .long), seq: 2).isNone)
        // The EOF after the column definitions carries SERVER_STATUS_CURSOR_EXISTS.
        #expect(c.server(ServerPackets.eof(status: 0x0042), seq: 3).startedColumns?.count == 1)
        #expect(c.machine.isAwaitingFetch)

        #expect(
            c.machine.fetchRows(statementID: 7, rows: 2).writtenBytes
                == [0x09, 0x00, 0x00, 0x00, 0x1C, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00])
        _ = c.server(Self.idRow(1), seq: 1)
        _ = c.server(Self.idRow(2), seq: 2)
        let fetched = c.server(ServerPackets.eof(status: 0x0042), seq: 3)
        #expect(fetched.isCursorFetchNeeded)
        #expect(fetched.cursorFetchRows?.count == 2)
        #expect(c.machine.isAwaitingFetch)

        _ = c.machine.fetchRows(statementID: 7, rows: 2)
        // Nothing left: no rows, and SERVER_STATUS_LAST_ROW_SENT.
        let end = try #require(c.server(ServerPackets.eof(status: 0x0082), seq: 1).resultSetEnd)
        #expect(end.rows == nil)
        #expect(!end.more)
        #expect(c.machine.isReady)
    }

    @Test func fetchedRowsThroughTheFastPath() {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        #expect(c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3).isCursorFetchNeeded)
        _ = c.machine.fetchRows(statementID: 7, rows: 50)
        let rows = (1...50).map { Self.idRow(Int32($0)) }
        let fetch = Self.throughFastPath(&c, rows + [ServerPackets.ok(status: 0x0042, header: 0xFE)], chunk: 100)
        #expect(fetch.events == ["fetch"])
        #expect(fetch.rows == (1...50).map { [le(Int32($0))] })
        #expect(c.machine.isAwaitingFetch)
        _ = c.machine.fetchRows(statementID: 7, rows: 50)
        let last = Self.throughFastPath(&c, [Self.idRow(51), ServerPackets.ok(status: 0x00C2, header: 0xFE)], chunk: 7)
        #expect(last == Outcome(events: ["end"], rows: [[le(Int32(51))]]))
        #expect(c.machine.isReady)
    }

    @Test func abandonedCursorLeavesTheConnectionReady() {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        let abandoned = c.machine.abandonCursor()
        #expect(abandoned)
        #expect(c.machine.isReady)
        #expect(!c.machine.isAwaitingFetch)
        let twice = c.machine.abandonCursor()
        #expect(!twice)
        // The next command goes out at once; closing the statement also closes its cursor.
        #expect(c.machine.closeStatement(7).writtenBytes == [0x05, 0x00, 0x00, 0x00, 0x19, 0x07, 0x00, 0x00, 0x00])
    }

    @Test func abandonCursorOnlyWhileAwaitingFetch() {
        var c = Conversation.loggedIn()
        let idle = c.machine.abandonCursor()
        #expect(!idle)
        var running = Self.executing(cursor: true)
        _ = running.server(ServerPackets.columnCount(1), seq: 1)
        let midResponse = running.machine.abandonCursor()  // the response must be read first
        #expect(!midResponse)
        #expect(!running.machine.isReady)
    }

    @Test func packetWhileAwaitingFetchIsAViolation() throws {
        for viaFastPath in [false, true] {
            var c = Self.executing(cursor: true)
            _ = c.server(ServerPackets.columnCount(1), seq: 1)
            _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
            _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
            let message: String?
            if viaFastPath {
                message = Self.throughFastPath(&c, [Self.idRow(1)], firstSeq: 4, chunk: 1024).events.first
            } else {
                message = c.server(Self.idRow(1), seq: 4).connectionError.map { "closed: \($0.message)" }
            }
            #expect(message?.hasPrefix("closed: ") == true)
            #expect(message?.contains("while a cursor waits for COM_STMT_FETCH") == true)
            #expect(c.machine.isClosed)
        }
    }

    @Test func unsolicitedErrorWhileAwaitingFetch() throws {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        // The server's idle timeout: an ERR with sequence id 0 closes the connection with it.
        let error = try #require(
            c.server(
                ServerPackets.err(
                    code: 4031, message: "The client was disconnected by the server because of inactivity."), seq: 0
            ).connectionError)
        #expect(error.kind == .server(code: 4031, sqlState: "HY000"))
        #expect(c.machine.isClosed)
    }

    @Test func fetchResponseWithAWrongSequenceID() throws {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        _ = c.machine.fetchRows(statementID: 7, rows: 1)
        // The fetch is a new command: its reply starts at 1, not after the execute's packets.
        let error = try #require(c.server(Self.idRow(1), seq: 4).connectionError)
        #expect(error.message.contains("packet sequence id 4 in state query, expected 1"))
    }

    @Test func fetchWithoutAnOpenCursorIsRefused() throws {
        var c = Conversation.loggedIn()
        let idle = try #require(c.machine.fetchRows(statementID: 7, rows: 1).commandError)
        #expect(idle.kind == .invalidUsage)
        #expect(idle.message.contains("COM_STMT_FETCH"))
        #expect(c.machine.isReady)

        // Nor while the rows of an execution without a cursor arrive.
        var d = Self.executing()
        _ = d.server(ServerPackets.columnCount(1), seq: 1)
        _ = d.server(ServerPackets.column("id", type: .long), seq: 2)
        #expect(d.machine.fetchRows(statementID: 7, rows: 1).commandError?.kind == .invalidUsage)
        #expect(d.server(Self.idRow(1), seq: 3).isNone)
        #expect(d.server(ServerPackets.ok(header: 0xFE), seq: 4).resultSetEnd?.rows?.count == 1)
    }

    @Test func cursorExistsWithoutAskingIsNotACursor() throws {
        // A procedure's own cursor can set SERVER_STATUS_CURSOR_EXISTS on a plain execution.
        var c = Self.executing()
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(Self.idRow(1), seq: 3)
        let end = try #require(c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 4).resultSetEnd)
        #expect(end.rows?.count == 1)
        #expect(c.machine.isReady)
        #expect(!c.machine.isAwaitingFetch)
    }

    @Test func cursorAskedForButNotOpened() throws {
        // A statement without a result set: just the OK.
        var c = Self.executing(cursor: true)
        #expect(c.server(ServerPackets.ok(affectedRows: 3), seq: 1).resultSetEnd?.ok.affectedRows == 3)
        #expect(c.machine.isReady)
        // Rows sent at once, without SERVER_STATUS_CURSOR_EXISTS.
        var d = Self.executing(deprecateEOF: false, cursor: true)
        _ = d.server(ServerPackets.columnCount(1), seq: 1)
        _ = d.server(ServerPackets.column("id", type: .long), seq: 2)
        #expect(d.server(ServerPackets.eof(), seq: 3).startedColumns != nil)
        #expect(!d.machine.isAwaitingFetch)
        _ = d.server(Self.idRow(1), seq: 4)
        let end = try #require(d.server(ServerPackets.eof(), seq: 5).resultSetEnd)
        #expect(end.rows?.count == 1)
        #expect(d.machine.isReady)
    }

    @Test func fetchAnsweredWithERR() throws {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        _ = c.machine.fetchRows(statementID: 7, rows: 10)
        let error = try #require(
            c.server(
                ServerPackets.err(
                    code: 1243, message: "Unknown prepared statement handler (7) given to mysqld_stmt_fetch"), seq: 1
            ).commandError)
        #expect(error.kind == .server(code: 1243, sqlState: "HY000"))
        #expect(c.machine.isReady)
    }

    // MARK: - COM_STMT_CLOSE, COM_STMT_RESET

    @Test func closeStatementExpectsNoReply() {
        var c = Conversation.loggedIn()
        // COM_STMT_CLOSE: 0x19, statement_id<4>.
        #expect(
            c.machine.closeStatement(0x0102_0304).writtenBytes == [
                0x05, 0x00, 0x00, 0x00, 0x19, 0x04, 0x03, 0x02, 0x01,
            ])
        #expect(c.machine.isReady)
        // The next command follows at once, from sequence id 0.
        #expect(c.machine.startPrepare("DO 1").writtenBytes == [0x05, 0x00, 0x00, 0x00, 0x16] + Array("DO 1".utf8))
    }

    @Test func closeStatementWhileBusyIsRefused() {
        var c = Self.executing(cursor: true)
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("id", type: .long), seq: 2)
        _ = c.server(ServerPackets.ok(status: 0x0042, header: 0xFE), seq: 3)
        #expect(c.machine.closeStatement(7).commandError?.kind == .invalidUsage)
        #expect(c.machine.startStatementReset(7).commandError?.kind == .invalidUsage)
        #expect(c.machine.isAwaitingFetch)
    }

    @Test func resetStatement() throws {
        var c = Conversation.loggedIn()
        // COM_STMT_RESET: 0x1A, statement_id<4>; answered with OK or ERR.
        #expect(
            c.machine.startStatementReset(7).writtenBytes == [0x05, 0x00, 0x00, 0x00, 0x1A, 0x07, 0x00, 0x00, 0x00])
        #expect(!c.machine.isReady)
        guard case .commandSucceeded(let ok) = c.server(ServerPackets.ok(), seq: 1) else {
            Issue.record("expected the reset to succeed")
            return
        }
        #expect(ok.status == .autocommit)
        #expect(c.machine.isReady)

        _ = c.machine.startStatementReset(8)
        let error = try #require(
            c.server(
                ServerPackets.err(
                    code: 1243, message: "Unknown prepared statement handler (8) given to mysqld_stmt_reset"),
                seq: 1
            ).commandError)
        #expect(error.kind == .server(code: 1243, sqlState: "HY000"))
        #expect(c.machine.isReady)
    }

    // MARK: - Malformed binary rows

    struct MalformedRow: Sendable, CustomTestStringConvertible {
        var name: String
        var types: [MySQLType]
        var payload: [UInt8]
        var message: String
        var testDescription: String { name }
    }

    static let malformedRows: [MalformedRow] = [
        MalformedRow(
            name: "NULL bitmap too short", types: Array(repeating: .long, count: 9), payload: [0x00, 0x00],
            message: "binary row of 2 bytes is too short for its NULL bitmap (2 bytes for 9 columns)"),
        MalformedRow(
            name: "header not 0x00", types: [.long], payload: [0x01, 0x00, 0x01, 0x00, 0x00, 0x00],
            message: "binary row starts with 0x01, expected 0x00"),
        MalformedRow(
            name: "DATETIME of 5 bytes", types: [.datetime], payload: [0x00, 0x00, 0x05, 0xE8, 0x07, 0x01, 0x01, 0x00],
            message: "binary row value 0: a date/datetime value cannot be 5 bytes long"),
        MalformedRow(
            name: "TIME of 9 bytes", types: [.long, .time],
            payload: [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04],
            message: "binary row value 1: a time value cannot be 9 bytes long"),
        MalformedRow(
            name: "string past the end", types: [.varString], payload: [0x00, 0x00, 0x05, 0x61, 0x62],
            message: "binary row value 0: 5 bytes run past the end of the row (2 bytes left)"),
        MalformedRow(
            name: "0xFC length past the end", types: [.blob], payload: [0x00, 0x00, 0xFC, 0x00, 0x01, 0x61],
            message: "binary row value 0: length 256 runs past the end of the row (1 bytes left)"),
        MalformedRow(
            name: "0xFB as a length", types: [.varString, .long], payload: [0x00, 0x00, 0xFB, 0x01, 0x00, 0x00, 0x00],
            message: "binary row value 0 starts with 0xfb, which is not a length"),
        MalformedRow(
            name: "trailing bytes", types: [.long], payload: [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x99],
            message: "binary row has 1 byte(s) after its 1 value(s)"),
        MalformedRow(
            name: "LONGLONG cut short", types: [.long, .longlong],
            payload: [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03],
            message: "binary row value 1: 8 bytes run past the end of the row (3 bytes left)"),
        MalformedRow(
            name: "DATETIME without its length byte", types: [.long, .datetime],
            payload: [0x00, 0x00, 0x01, 0x00, 0x00, 0x00],
            message: "binary row value 1: the row ends before its length byte"),
    ]

    /// A well-formed row for `types`: a value of each.
    static func goodRow(_ types: [MySQLType], seed: UInt8) -> [BinaryValue] {
        types.map { type in
            switch BinaryRowLayout.width(of: type) {
            case 0: return .fixed([])
            case let width where width > 0: return .fixed((0..<UInt8(width)).map { seed &+ $0 })
            case BinaryRowLayout.dateTime: return .lengthByte([0xE8, 0x07, 1, seed])
            case BinaryRowLayout.time: return .lengthByte([0, 0, 0, 0, 0, 1, 2, seed])
            default: return .lengthEncoded([seed, seed])
            }
        }
    }

    @Test(arguments: malformedRows)
    func malformedRowLeavesTheBatchUnchanged(_ bad: MalformedRow) throws {
        let columns = MySQLColumns(bad.types.enumerated().map { MySQLColumn(name: "c\($0.offset)", type: $0.element) })
        let layout = BinaryRowLayout(columns)
        var builder = RowBatchBuilder(format: .binary, columnCount: columns.count)
        let first = Self.goodRow(bad.types, seed: 1)
        try builder.appendBinaryRow(StatementPackets.binaryRow(first)[...], layout: layout)
        let (count, bytes, fields) = (builder.count, builder.bytes, builder.fields)
        let error = #expect(throws: MySQLError.self) {
            try builder.appendBinaryRow(bad.payload[...], layout: layout)
        }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message == bad.message)
        #expect(builder.count == count)
        #expect(builder.bytes == bytes)
        #expect(builder.fields == fields)
        // The next row lands where the bad one would have.
        let second = Self.goodRow(bad.types, seed: 2)
        try builder.appendBinaryRow(StatementPackets.binaryRow(second)[...], layout: layout)
        let batch = builder.build()
        #expect(batch.count == 2)
        #expect(rowValues(batch, 0) == first.map(\.value))
        #expect(rowValues(batch, 1) == second.map(\.value))
    }

    @Test(arguments: malformedRows)
    func malformedRowClosesTheConnection(_ bad: MalformedRow) {
        let good = Self.goodRow(bad.types, seed: 1)
        let response =
            [ServerPackets.columnCount(UInt64(bad.types.count))]
            + bad.types.enumerated().map { ServerPackets.column("c\($0.offset)", type: $0.element) }
            + [StatementPackets.binaryRow(good), bad.payload, ServerPackets.ok(header: 0xFE)]
        var c = Self.executing()
        let slow = Self.oneByOne(&c, response)
        #expect(c.machine.isClosed)
        var d = Self.executing()
        let fast = Self.throughFastPath(&d, response, chunk: 1 << 16)
        #expect(d.machine.isClosed)
        for outcome in [slow, fast] {
            // The row before it still reaches the consumer, then the violation.
            #expect(outcome.rows == [good.map(\.value)])
            #expect(outcome.events == ["columns \(bad.types.count)", "closed: \(bad.message)"])
        }
    }
}

/// The index of the first byte where `a` and `b` differ (or where the shorter ends); nil when equal.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    for index in 0..<min(a.count, b.count) where a[index] != b[index] { return index }
    return a.count == b.count ? nil : min(a.count, b.count)
}
