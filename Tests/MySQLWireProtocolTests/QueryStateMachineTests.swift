import Testing

@testable import MySQLWireProtocol

@Suite struct QueryStateMachineTests {
    static func ready(configure: (inout ConnectionSettings) -> Void = { _ in }) -> Conversation {
        var c = Conversation(configure: configure)
        c.login()
        return c
    }

    @Test func resultSetWithDeprecateEOF() throws {
        var c = Self.ready()
        guard case .write(let bytes) = c.machine.startQuery("SELECT id, name FROM t") else {
            Issue.record("expected COM_QUERY")
            return
        }
        #expect(unframe(bytes) == (0, [0x03] + Array("SELECT id, name FROM t".utf8)))
        #expect(c.server(ServerPackets.columnCount(2), seq: 1).isNone)
        #expect(c.server(ServerPackets.column("id", type: .long), seq: 2).isNone)
        guard case .resultSetStarted(let columns) = c.server(ServerPackets.column("name"), seq: 3) else {
            Issue.record("expected columns")
            return
        }
        #expect(columns.map(\.name) == ["id", "name"])
        #expect(columns[0].type == .long)
        #expect(c.server(ServerPackets.row(["1", "Ann"]), seq: 4).isNone)
        #expect(c.server(ServerPackets.row(["2", nil]), seq: 5).isNone)
        guard case .resultSetEnded(let rows, let ok, let more) = c.server(ServerPackets.ok(header: 0xFE), seq: 6) else {
            Issue.record("expected the end")
            return
        }
        #expect(!more)
        #expect(ok.status.contains(.autocommit))
        #expect(rows?.count == 2)
        #expect(rows?.value(row: 0, column: 1) == Array("Ann".utf8)[...])
        #expect(rows?.value(row: 1, column: 1) == nil)
        #expect(c.machine.isReady)
    }

    @Test func readCompleteHandsOverRowsSoFar() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT 1")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("1"), seq: 2)
        _ = c.server(ServerPackets.row(["1"]), seq: 3)
        guard case .deliverRows(let batch) = c.machine.readComplete() else {
            Issue.record("expected rows")
            return
        }
        #expect(batch.count == 1)
        guard case .none = c.machine.readComplete() else {
            Issue.record("rows handed over twice")
            return
        }
    }

    @Test func classicEOFWhenTheServerLacksDeprecateEOF() {
        var c = Conversation()
        var caps = ServerPackets.defaultServerCapabilities
        caps.remove(.deprecateEOF)
        _ = c.server(ServerPackets.greeting(capabilities: caps), seq: 0)
        _ = c.server(ServerPackets.ok(), seq: 2)
        _ = c.machine.startQuery("SELECT 1")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        #expect(c.server(ServerPackets.column("1"), seq: 2).isNone)
        guard case .resultSetStarted = c.server(ServerPackets.eof(), seq: 3) else {
            Issue.record("expected columns after the EOF")
            return
        }
        _ = c.server(ServerPackets.row(["1"]), seq: 4)
        guard case .resultSetEnded(let rows, _, false) = c.server(ServerPackets.eof(), seq: 5) else {
            Issue.record("expected the end")
            return
        }
        #expect(rows?.count == 1)
    }

    @Test func emptyResultSet() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT * FROM t WHERE 1=0")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("a"), seq: 2)
        guard case .resultSetEnded(nil, _, false) = c.server(ServerPackets.ok(header: 0xFE), seq: 3) else {
            Issue.record("expected an empty end")
            return
        }
    }

    @Test func okResponseCarriesAffectedRowsAndInsertID() {
        var c = Self.ready()
        _ = c.machine.startQuery("INSERT ...")
        guard
            case .resultSetEnded(nil, let ok, false) = c.server(
                ServerPackets.ok(affectedRows: 3, lastInsertID: 300, warnings: 1), seq: 1)
        else {
            Issue.record("expected the OK")
            return
        }
        #expect(ok.affectedRows == 3)
        #expect(ok.lastInsertID == 300)
        #expect(ok.warnings == 1)
    }

    @Test func multipleResults() {
        var c = Self.ready { $0.multiStatements = true }
        _ = c.machine.startQuery("UPDATE t SET a=1; SELECT 1")
        guard
            case .resultSetEnded(nil, let first, true) = c.server(
                ServerPackets.ok(affectedRows: 5, status: 2 | 8), seq: 1)
        else {
            Issue.record("expected a first result with more to come")
            return
        }
        #expect(first.affectedRows == 5)
        _ = c.server(ServerPackets.columnCount(1), seq: 2)
        _ = c.server(ServerPackets.column("1"), seq: 3)
        _ = c.server(ServerPackets.row(["1"]), seq: 4)
        guard case .resultSetEnded(_, _, false) = c.server(ServerPackets.ok(header: 0xFE), seq: 5) else {
            Issue.record("expected the last result")
            return
        }
        #expect(c.machine.isReady)
    }

    @Test func serverErrorKeepsConnectionUsable() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELEC 1")
        guard
            case .commandFailed(let error) = c.server(
                ServerPackets.err(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax"),
                seq: 1)
        else {
            Issue.record("expected commandFailed")
            return
        }
        #expect(error.kind == .server(code: 1064, sqlState: "42000"))
        #expect(c.machine.isReady)
    }

    @Test func errorMidResultEndsTheCommand() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT SLEEP(10)")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("x"), seq: 2)
        guard
            case .commandFailed(let error) = c.server(
                ServerPackets.err(code: 1317, sqlState: "70100", message: "Query execution was interrupted"), seq: 3)
        else {
            Issue.record("expected commandFailed")
            return
        }
        #expect(error.kind == .server(code: 1317, sqlState: "70100"))
        #expect(c.machine.isReady)
    }

    @Test func unsolicitedErrorWithSequenceZeroClosesWithThatError() {
        var c = Self.ready()
        guard
            case .closeWithError(let error) = c.server(
                ServerPackets.err(
                    code: 4031, message: "The client was disconnected by the server because of inactivity."), seq: 0)
        else {
            Issue.record("expected closeWithError")
            return
        }
        #expect(error.kind == .server(code: 4031, sqlState: "HY000"))
        #expect(c.machine.isClosed)
    }

    @Test func unsolicitedErrorDuringACommand() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT 1")
        guard
            case .closeWithError(let error) = c.server(
                ServerPackets.err(code: 1927, message: "Connection was killed"), seq: 0)
        else {
            Issue.record("expected closeWithError")
            return
        }
        #expect(error.kind == .server(code: 1927, sqlState: "HY000"))
    }

    @Test func wrongSequenceIDIsAViolation() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT 1")
        guard case .closeWithError(let error) = c.server(ServerPackets.columnCount(1), seq: 5) else {
            Issue.record("expected a violation")
            return
        }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("sequence"))
    }

    @Test func localInfileIsRefusedWithAnEmptyPacket() {
        var c = Self.ready()
        _ = c.machine.startQuery("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t")
        guard case .write(let bytes) = c.server([0xFB] + Array("/etc/passwd".utf8), seq: 1) else {
            Issue.record("expected the empty packet")
            return
        }
        #expect(bytes == [0, 0, 0, 2])
        guard case .commandFailed(let error) = c.server(ServerPackets.ok(), seq: 3) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .invalidUsage)
        #expect(error.message.contains("no file was read"))
        #expect(c.machine.isReady)
    }

    @Test func hostileColumnCountsAreViolations() {
        for count: UInt64 in [0, 1 << 40, 70_000] {
            var c = Self.ready()
            _ = c.machine.startQuery("SELECT 1")
            guard case .closeWithError(let error) = c.server(ServerPackets.columnCount(count), seq: 1) else {
                Issue.record("column count \(count) accepted")
                continue
            }
            #expect(error.kind == .protocolViolation)
        }
    }

    @Test func valueLengthPastTheEndIsAViolation() {
        // 0xFC/0xFD/0xFE lengths that run past the end, and a truncated length prefix.
        let hostile: [[UInt8]] = [
            [0xFC, 0xFF, 0xFF, 0x41], [0xFD, 0xFF, 0xFF, 0xFF, 1, 2], [0xFD, 0x01], [0x05, 0x41],
        ]
        for payload in hostile {
            var c = Self.ready()
            _ = c.machine.startQuery("SELECT 1")
            _ = c.server(ServerPackets.columnCount(1), seq: 1)
            _ = c.server(ServerPackets.column("a"), seq: 2)
            guard case .closeWithError(let error) = c.server(payload, seq: 3) else {
                Issue.record("hostile row \(payload) accepted")
                continue
            }
            #expect(error.kind == .protocolViolation)
        }
    }

    @Test func shortPacketStartingWith0xFEIsTheTerminator() {
        var c = Self.ready()
        _ = c.machine.startQuery("SELECT 1")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("a"), seq: 2)
        guard case .resultSetEnded = c.server([0xFE, 0, 0, 2, 0, 0, 0], seq: 3) else {
            Issue.record("expected the terminator")
            return
        }
    }

    @Test func rowWithTooFewOrTooManyValues() {
        for values: [String?] in [["1"], ["1", "2", "3"]] {
            var c = Self.ready()
            _ = c.machine.startQuery("SELECT a, b")
            _ = c.server(ServerPackets.columnCount(2), seq: 1)
            _ = c.server(ServerPackets.column("a"), seq: 2)
            _ = c.server(ServerPackets.column("b"), seq: 3)
            guard case .closeWithError(let error) = c.server(ServerPackets.row(values), seq: 4) else {
                Issue.record("row \(values) accepted")
                continue
            }
            #expect(error.kind == .protocolViolation)
        }
    }

    @Test func bigRowStartingWith0xFEIsARow() throws {
        var c = Self.ready { $0.maxPacketSize = 40 * 1024 * 1024 }
        _ = c.machine.startQuery("SELECT REPEAT('x', 17000000)")
        _ = c.server(ServerPackets.columnCount(1), seq: 1)
        _ = c.server(ServerPackets.column("x", type: .longBlob), seq: 2)
        var w = ByteWriter(capacity: 17_000_010)
        w.writeLengthEncodedBytes([UInt8](repeating: 0x78, count: 17_000_000))
        let payload = w.bytes
        #expect(payload.first == 0xFE)
        // Through the framing layer, as two physical packets.
        var decoder = PacketDecoder(maxPacketSize: 40 * 1024 * 1024)
        decoder.append(ServerPackets.frame(payload, seq: 3))
        let packet = try #require(try decoder.next())
        #expect(packet.sequenceID == 3 && packet.lastSequenceID == 4)
        // The row is larger than a batch, so it is handed over at once.
        guard case .deliverRows(let rows) = c.machine.packetReceived(packet) else {
            Issue.record("expected the row")
            return
        }
        #expect(rows.value(row: 0, column: 0)?.count == 17_000_000)
        guard case .resultSetEnded(nil, _, false) = c.server(ServerPackets.ok(header: 0xFE), seq: 5) else {
            Issue.record("expected the end")
            return
        }
    }

    @Test func pingAndUnexpectedPacketWhenIdle() {
        var c = Self.ready()
        guard case .write(let bytes) = c.machine.startSimpleCommand(.ping) else {
            Issue.record("expected COM_PING")
            return
        }
        #expect(bytes == [1, 0, 0, 0, 0x0E])
        guard case .commandSucceeded = c.server(ServerPackets.ok(), seq: 1) else {
            Issue.record("expected success")
            return
        }
        guard case .closeWithError(let error) = c.server(ServerPackets.ok(), seq: 2) else {
            Issue.record("unexpected packet accepted")
            return
        }
        #expect(error.kind == .protocolViolation)
    }

    @Test func closeSendsQuit() {
        var c = Self.ready()
        guard case .writeAndClose(let bytes) = c.machine.close() else {
            Issue.record("expected COM_QUIT")
            return
        }
        #expect(bytes == [1, 0, 0, 0, 0x01])
    }
}

extension ConnectionAction {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

@Suite struct HostileColumnDefinitionTests {
    @Test func hugeFixedLengthIsAViolationNotATrap() {
        var w = ByteWriter()
        for _ in 0..<6 { w.writeLengthEncodedString("x") }
        w.writeUInt8(0xFE)
        w.writeUInt64(.max)
        #expect(throws: MySQLError.self) { _ = try MySQLColumn.parse(w.bytes[...]) }
        var short = ByteWriter()
        for _ in 0..<6 { short.writeLengthEncodedString("x") }
        short.writeLengthEncodedInteger(0x0C)
        short.writeUInt16(45)
        #expect(throws: MySQLError.self) { _ = try MySQLColumn.parse(short.bytes[...]) }
    }
}
