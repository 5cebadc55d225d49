import Foundation
import MySQLWire

/// 20,000 sequential point queries through a prepared statement: the id is bound by
/// interpolation, so the connection's statement cache prepares once (before the measured
/// section, in the warm-up) and each query is one COM_STMT_EXECUTE round trip.
enum PointPrepared {
    static func run(_ settings: BenchSettings) async throws {
        let conn = try await MySQLConnection.connect(configuration: settings.configuration)
        try await withTaskExecutorPreference(conn.eventLoop.taskExecutor) {
            var sum = 0.0
            for i in 0..<200 { _ = try await once(conn, id: i % 1000 + 1, sum: &sum) }
            sum = 0
            var rows = 0
            let n = settings.pointCount
            let a = Mark.now(serverPID: settings.serverPID)
            for i in 0..<n { rows += try await once(conn, id: i % 1000 + 1, sum: &sum) }
            let b = Mark.now(serverPID: settings.serverPID)
            report(workload: "point", proto: "binary-prepared(cached)", n: n, rows: rows, from: a, to: b, checksum: sum)
        }
        await conn.close()
    }

    @inline(__always)
    static func once(_ conn: MySQLConnection, id: Int, sum: inout Double) async throws -> Int {
        var rows = 0
        for try await row in try await conn.query("SELECT id, name, job FROM customers WHERE id = \(id)") {
            let rid = try row.decode(Int.self, at: 0)
            let name = row.bytes(at: 1)?.count ?? 0
            let job = row.bytes(at: 2)?.count ?? 0
            sum += Double(rid) + Double(name) + Double(job)
            rows += 1
        }
        return rows
    }
}

/// `SELECT * FROM wide` (1M rows) through a prepared statement (binary rows), every column
/// decoded as in `scan_text`.
enum ScanBinary {
    static func run(_ settings: BenchSettings) async throws {
        let conn = try await MySQLConnection.connect(configuration: settings.configuration)
        try await withTaskExecutorPreference(conn.eventLoop.taskExecutor) {
            let statement = try await conn.prepare("SELECT * FROM wide")
            let a = Mark.now(serverPID: settings.serverPID)
            var rows = 0
            var sum = 0.0
            var isum: Int64 = 0
            try await statement.query().forEach { row in
                try ScanText.accumulate(row, isum: &isum, sum: &sum)
                rows += 1
            }
            let b = Mark.now(serverPID: settings.serverPID)
            report(
                workload: "scan_binary", proto: "binary-prepared", n: 1, rows: rows, from: a, to: b,
                checksum: sum + Double(isum))
            try await statement.close()
        }
        await conn.close()
    }
}
