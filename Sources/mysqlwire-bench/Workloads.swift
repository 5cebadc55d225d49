import Foundation
import MySQLWire

/// 20,000 sequential point queries, id inlined, text protocol. The task runs on the
/// connection's event loop, so a query costs no thread hop.
enum PointText {
    static func run(_ settings: BenchSettings) async throws {
        try await PointLoop.run(settings, workload: "point_text", proto: "text") { conn, id in
            // The id inlined in the SQL text (a String, not a MySQLQuery: nothing is bound).
            try await conn.query("SELECT id, name, job FROM customers WHERE id = " + String(id))
        }
    }
}

/// The point workloads' loop: a warm-up, then `pointCount` queries by id (cycling 1...1000)
/// on one connection, every column read; `query` runs one.
enum PointLoop {
    /// Inlined so `query` is too: an async closure call per query measurably cost user time.
    @inline(__always)
    static func run(
        _ settings: BenchSettings, workload: String, proto: String,
        query: (MySQLConnection, Int) async throws -> MySQLRows
    ) async throws {
        let conn = try await MySQLConnection.connect(configuration: settings.configuration)
        try await withTaskExecutorPreference(conn.eventLoop.taskExecutor) {
            var sum = 0.0
            for i in 0..<200 { _ = try await read(try await query(conn, i % 1000 + 1), sum: &sum) }
            sum = 0
            var rows = 0
            let n = settings.pointCount
            let a = Mark.now(serverPID: settings.serverPID)
            for i in 0..<n { rows += try await read(try await query(conn, i % 1000 + 1), sum: &sum) }
            let b = Mark.now(serverPID: settings.serverPID)
            report(workload: workload, proto: proto, n: n, rows: rows, from: a, to: b, checksum: sum)
        }
        await conn.close()
    }

    @inline(__always)
    static func read(_ result: MySQLRows, sum: inout Double) async throws -> Int {
        var rows = 0
        for try await row in result {
            let rid = try row.decode(Int.self, at: 0)
            let name = row.bytes(at: 1)?.count ?? 0
            let job = row.bytes(at: 2)?.count ?? 0
            sum += Double(rid) + Double(name) + Double(job)
            rows += 1
        }
        return rows
    }
}

/// `SELECT * FROM wide` (1M rows) streamed over the text protocol, every column decoded.
enum ScanText {
    /// Decodes every column of a `wide` row and adds it to the checksum, as the C peer does.
    @inline(__always)
    static func accumulate(_ row: MySQLRow, isum: inout Int64, sum: inout Double) throws {
        let id = try row.decode(Int.self, at: 0)
        let big = try row.decode(Int64?.self, at: 1) ?? 0
        // Strings as their UTF-8 bytes, as the C peer (its bound buffers and lengths): borrowed.
        let name = row.withUnsafeBytes(at: 2) { $0?.count ?? 0 }
        let score = try row.decode(Double?.self, at: 3) ?? 0
        let price = try row.decode(MySQLDecimal?.self, at: 4)
        let created = try row.decode(MySQLDateTime?.self, at: 5)
        let note = row.withUnsafeBytes(at: 6) { $0?.count ?? 0 }
        let cents = price?.scaledInteger(scale: 2) ?? 0
        isum +=
            Int64(id) + (big & 0xFFFF) + Int64(name) + cents + Int64(created?.microsecond ?? 0)
            + Int64(created?.day ?? 0) + Int64(note)
        sum += score
    }

    static func run(_ settings: BenchSettings) async throws {
        let conn = try await MySQLConnection.connect(configuration: settings.configuration)
        try await withTaskExecutorPreference(conn.eventLoop.taskExecutor) {
            let a = Mark.now(serverPID: settings.serverPID)
            var rows = 0
            var sum = 0.0
            var isum: Int64 = 0
            if ProcessInfo.processInfo.environment["MYSQLWIRE_SCAN_COUNT_ONLY"] == "1" {
                // Diagnostic: the IO and hand-over cost alone (no value decoded).
                try await conn.query("SELECT * FROM wide").forEach { _ in rows += 1 }
                let b = Mark.now(serverPID: settings.serverPID)
                report(workload: "scan_text", proto: "text(count)", n: 1, rows: rows, from: a, to: b, checksum: 0)
                return
            }
            try await conn.query("SELECT * FROM wide").forEach { row in
                try accumulate(row, isum: &isum, sum: &sum)
                rows += 1
            }
            let b = Mark.now(serverPID: settings.serverPID)
            report(workload: "scan_text", proto: "text", n: 1, rows: rows, from: a, to: b, checksum: sum + Double(isum))
        }
        await conn.close()
    }
}
