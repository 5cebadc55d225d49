import MySQLWireProtocol

/// The connection's prepared statements for queries with bound parameters, by SQL text, least
/// recently used first out. Evicting an entry gives back its statement id, which the
/// connection then closes on the server (COM_STMT_CLOSE). Loop-confined, like the connection.
struct StatementCache {
    /// A doubly linked list threaded through `entries` by index, so a hit moves an entry to the
    /// front without allocating.
    struct Entry {
        var sql: String
        var description: PreparedStatementDescription
        var newer: Int
        var older: Int
    }

    let capacity: Int
    private var indexBySQL: [String: Int] = [:]
    private var entries: [Entry] = []
    private var newest = -1
    private var oldest = -1
    private var free: [Int] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { indexBySQL.count }
    var isEnabled: Bool { capacity > 0 }

    /// The statement for `sql`, now the most recently used.
    mutating func lookup(_ sql: String) -> PreparedStatementDescription? {
        guard let index = indexBySQL[sql] else { return nil }
        if index != newest {
            unlink(index)
            pushNewest(index)
        }
        return entries[index].description
    }

    /// Adds a freshly prepared statement; returns the id of the statement it evicted, if any.
    mutating func insert(_ sql: String, _ description: PreparedStatementDescription) -> UInt32? {
        guard capacity > 0 else { return description.statementID }
        if let index = indexBySQL[sql] {
            // Prepared twice (two requests for the same SQL raced to prepare): keep the new one.
            let replaced = entries[index].description.statementID
            entries[index].description = description
            if index != newest {
                unlink(index)
                pushNewest(index)
            }
            return replaced
        }
        var evicted: UInt32?
        if indexBySQL.count >= capacity, oldest >= 0 {
            let victim = oldest
            evicted = entries[victim].description.statementID
            unlink(victim)
            indexBySQL[entries[victim].sql] = nil
            free.append(victim)
        }
        let entry = Entry(sql: sql, description: description, newer: -1, older: -1)
        let index: Int
        if let reused = free.popLast() {
            entries[reused] = entry
            index = reused
        } else {
            entries.append(entry)
            index = entries.count - 1
        }
        indexBySQL[sql] = index
        pushNewest(index)
        return evicted
    }

    /// Forgets the statement for `sql` (the server no longer knows it: error 1243), so the next
    /// query with that SQL prepares it again.
    mutating func remove(_ sql: String) {
        guard let index = indexBySQL.removeValue(forKey: sql) else { return }
        unlink(index)
        free.append(index)
    }

    /// Forgets every statement (the server dropped them: COM_RESET_CONNECTION).
    mutating func removeAll() {
        indexBySQL.removeAll()
        entries.removeAll()
        free.removeAll()
        newest = -1
        oldest = -1
    }

    /// The cached SQL texts, most recently used first (for tests).
    var sqlByRecency: [String] {
        var result: [String] = []
        var index = newest
        while index >= 0 {
            result.append(entries[index].sql)
            index = entries[index].older
        }
        return result
    }

    private mutating func unlink(_ index: Int) {
        let (newer, older) = (entries[index].newer, entries[index].older)
        if newer >= 0 { entries[newer].older = older } else { newest = older }
        if older >= 0 { entries[older].newer = newer } else { oldest = newer }
        entries[index].newer = -1
        entries[index].older = -1
    }

    private mutating func pushNewest(_ index: Int) {
        entries[index].older = newest
        entries[index].newer = -1
        if newest >= 0 { entries[newest].newer = index }
        newest = index
        if oldest < 0 { oldest = index }
    }
}
