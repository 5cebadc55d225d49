import Testing

@testable import MySQLWire
@testable import MySQLWireProtocol

/// The statement cache's LRU bookkeeping, including forgetting one statement (error 1243).
@Suite struct StatementCacheTests {
    private func description(_ id: UInt32) -> PreparedStatementDescription {
        PreparedStatementDescription(statementID: id, parameters: [], columns: .empty, warnings: 0)
    }

    @Test func removeForgetsOneStatementAndKeepsTheOrderOfTheRest() {
        var cache = StatementCache(capacity: 3)
        #expect(cache.insert("a", description(1)) == nil)
        #expect(cache.insert("b", description(2)) == nil)
        #expect(cache.insert("c", description(3)) == nil)
        cache.remove("b")
        cache.remove("not cached")
        #expect(cache.count == 2)
        #expect(cache.sqlByRecency == ["c", "a"])
        #expect(cache.lookup("b") == nil)
        // The freed place is reused; the least recently used ("a") goes first after that.
        #expect(cache.insert("d", description(4)) == nil)
        #expect(cache.sqlByRecency == ["d", "c", "a"])
        #expect(cache.insert("e", description(5)) == 1)
        #expect(cache.sqlByRecency == ["e", "d", "c"])
        cache.remove("e")
        cache.remove("c")
        #expect(cache.sqlByRecency == ["d"])
        #expect(cache.lookup("d")?.statementID == 4)
    }
}
