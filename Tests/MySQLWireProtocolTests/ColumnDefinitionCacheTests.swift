import Testing

@testable import MySQLWireProtocol

/// The parsed columns of a result set are reused when the next result set's definition packets
/// are byte-identical, and only then.
@Suite struct ColumnDefinitionCacheTests {
    /// Runs one query whose result has `columns` (definition packets) and one row, and returns
    /// the columns the machine reported.
    static func run(_ c: inout Conversation, _ columns: [[UInt8]]) -> MySQLColumns? {
        _ = c.machine.startQuery("SELECT ...")
        var seq: UInt8 = 1
        _ = c.server(ServerPackets.columnCount(UInt64(columns.count)), seq: seq)
        var started: MySQLColumns?
        for column in columns {
            seq &+= 1
            if case .resultSetStarted(let reported) = c.server(column, seq: seq) { started = reported }
        }
        seq &+= 1
        _ = c.server(ServerPackets.row(columns.map { _ in "1" }), seq: seq)
        seq &+= 1
        guard case .resultSetEnded = c.server(ServerPackets.ok(header: 0xFE), seq: seq) else {
            Issue.record("the result set did not end")
            return nil
        }
        #expect(c.machine.isReady)
        return started
    }

    @Test func identicalDefinitionsReuseTheParsedColumns() throws {
        var c = QueryStateMachineTests.ready()
        let shape = [ServerPackets.column("id", type: .long), ServerPackets.column("name")]
        let first = try #require(Self.run(&c, shape))
        let second = try #require(Self.run(&c, shape))
        #expect(first === second)
        #expect(second.map(\.name) == ["id", "name"])
    }

    @Test func aDefinitionThatDiffersInOneByteIsParsedAgain() throws {
        var c = QueryStateMachineTests.ready()
        let first = try #require(
            Self.run(&c, [ServerPackets.column("id", type: .long), ServerPackets.column("name", length: 255)]))
        // Same names, the second column's length differs: the prefix comes from the cache, the rest is parsed.
        let second = try #require(
            Self.run(&c, [ServerPackets.column("id", type: .long), ServerPackets.column("name", length: 254)]))
        #expect(first !== second)
        #expect(second.map(\.name) == ["id", "name"])
        #expect(second[0].type == .long)
        #expect(second[1].columnLength == 254)
        #expect(first[1].columnLength == 255)
        // The new shape is now the cached one.
        let third = try #require(
            Self.run(&c, [ServerPackets.column("id", type: .long), ServerPackets.column("name", length: 254)]))
        #expect(third === second)
    }

    @Test func aDifferentFirstColumnOrCountIsParsedAgain() throws {
        var c = QueryStateMachineTests.ready()
        let first = try #require(Self.run(&c, [ServerPackets.column("a"), ServerPackets.column("b")]))
        let renamed = try #require(Self.run(&c, [ServerPackets.column("x"), ServerPackets.column("b")]))
        #expect(renamed.map(\.name) == ["x", "b"])
        let wider = try #require(
            Self.run(&c, [ServerPackets.column("x"), ServerPackets.column("b"), ServerPackets.column("c")]))
        #expect(wider.map(\.name) == ["x", "b", "c"])
        let narrower = try #require(Self.run(&c, [ServerPackets.column("x")]))
        #expect(narrower.map(\.name) == ["x"])
        #expect(first.map(\.name) == ["a", "b"])
    }

    @Test func aShapeTooLargeToKeepIsNeverReused() throws {
        var c = QueryStateMachineTests.ready()
        let longName = String(repeating: "n", count: 200)
        let shape = (0..<60).map { ServerPackets.column("\(longName)\($0)") }
        #expect(shape.reduce(0) { $0 + $1.count } > ColumnDefinitionCache.maxCachedBytes)
        let first = try #require(Self.run(&c, shape))
        let second = try #require(Self.run(&c, shape))
        #expect(first !== second)
        #expect(second.count == 60)
        #expect(second[59].name == "\(longName)59")
    }

    @Test func commandBytesAreRightWhetherOrNotTheLastOnesAreStillHeld() {
        var c = QueryStateMachineTests.ready()
        guard case .write(let held) = c.machine.startQuery("SELECT 1") else {
            Issue.record("expected COM_QUERY")
            return
        }
        _ = c.server(ServerPackets.ok(), seq: 1)
        // `held` still references the previous buffer: the next command must not write into it.
        guard case .write(let next) = c.machine.startQuery("SELECT 22") else {
            Issue.record("expected COM_QUERY")
            return
        }
        #expect(unframe(held) == (0, [0x03] + Array("SELECT 1".utf8)))
        #expect(unframe(next) == (0, [0x03] + Array("SELECT 22".utf8)))
    }
}
