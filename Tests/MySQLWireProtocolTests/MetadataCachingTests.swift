import Testing

@testable import MySQLWireProtocol

/// MARIADB_CLIENT_CACHE_METADATA in the query machine: the column count carries a
/// metadata-follows byte; 0 means "read the rows with the definitions you have".
@Suite struct MetadataCachingTests {
    let capabilities: MySQLCapabilities = [.protocol41, .deprecateEOF]
    let known = MySQLColumns([MySQLColumn(name: "id", type: .longlong)])

    private func machine(known: MySQLColumns?) -> QueryStateMachine {
        QueryStateMachine(
            capabilities: capabilities, rowBatchBytes: 1 << 16, format: .binary, metadataFollowsByte: true,
            knownColumns: known)
    }

    @Test func skippedDefinitionsStartRowsWithTheKnownOnes() {
        var query = machine(known: known)
        var cache = ColumnDefinitionCache()
        guard case .action(.resultSetStarted(let columns)) = query.receive([0x01, 0x00][...], columnCache: &cache)
        else {
            Issue.record("no result set started")
            return
        }
        #expect(columns === known)
    }

    @Test func definitionsThatFollowAreRead() {
        var query = machine(known: known)
        var cache = ColumnDefinitionCache()
        guard case .none = query.receive([0x01, 0x01][...], columnCache: &cache) else {
            Issue.record("expected to wait for the definition")
            return
        }
        let step = query.receive(ServerPackets.column("name", type: .varString)[...], columnCache: &cache)
        guard case .action(.resultSetStarted(let columns)) = step else {
            Issue.record("no result set started: \(step)")
            return
        }
        #expect(columns.definitions.map(\.name) == ["name"])
    }

    @Test(arguments: [
        (
            [0x02, 0x00] as [UInt8],
            "the server skipped the column definitions of a result with 2 column(s), but none are known for it"
        ),
        ([0x01, 0x02], "metadata-follows byte is 2, expected 0 or 1"),
        ([0x01], "column count"),
    ])
    func hostileColumnCountsAreViolations(payload: [UInt8], message: String) {
        var query = machine(known: known)
        var cache = ColumnDefinitionCache()
        guard case .fatal(let error) = query.receive(payload[...], columnCache: &cache) else {
            Issue.record("accepted \(payload)")
            return
        }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains(message), "\(error.message)")
    }
}
