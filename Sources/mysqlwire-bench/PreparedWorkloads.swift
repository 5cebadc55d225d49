import Foundation
import MySQLWire

/// 20,000 sequential point queries through a prepared statement: the id is bound by
/// interpolation, so the connection's statement cache prepares once (before the measured
/// section, in the warm-up) and each query is one COM_STMT_EXECUTE round trip.
enum PointPrepared {
    static func run(_ settings: BenchSettings) async throws {
        try await PointLoop.run(settings, workload: "point", proto: "binary-prepared(cached)") { conn, id in
            try await conn.query("SELECT id, name, job FROM customers WHERE id = \(id)")
        }
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
