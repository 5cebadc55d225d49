import Foundation
@_spi(Benchmarks) import MySQLWire

/// `point_offline`: the protocol-layer CPU of `point_text` with no server, no socket and no
/// tasks — each query is encoded by the state machine, its recorded-shape response (3 column
/// definitions, one row, OK) fed through the decoder and the state machine, and the row
/// decoded as `point_text` does. Deterministic, so it judges state-machine and codec changes
/// that the live run's noise hides. `BENCH_POINT_N` queries (default 1,000,000).
enum PointOffline {
    static func run() throws {
        let n = Int(ProcessInfo.processInfo.environment["BENCH_POINT_N"] ?? "") ?? 1_000_000
        var (machine, decoder) = ScanOffline.loggedIn()
        // One response per id (1...1000), framed as MariaDB sends it.
        let definitions: [(String, MySQLType)] = [("id", .long), ("name", .varString), ("job", .varString)]
        var responses: [[UInt8]] = []
        for id in 1...1000 {
            var wire = ScanOffline.frame([3], 1)
            var seq: UInt8 = 2
            for (name, type) in definitions {
                var c: [UInt8] = []
                for s in ["def", "sales", "customers", "customers", name, name] { ScanOffline.lenenc(s, into: &c) }
                c += [0x0c, 45, 0, 255, 0, 0, 0, type.rawValue, 0, 0, 0, 0, 0]
                wire += ScanOffline.frame(c, seq)
                seq &+= 1
            }
            var row: [UInt8] = []
            for value in ["\(id)", "customer \(id)", "job \(id % 17)"] { ScanOffline.lenenc(value, into: &row) }
            wire += ScanOffline.frame(row, seq)
            wire += ScanOffline.frame([0xFE, 0, 0, 2, 0, 0, 0], seq &+ 1)
            responses.append(wire)
        }
        var sum = 0.0
        var rows = 0
        let a = Mark.now(serverPID: 0)
        for i in 0..<n {
            let id = i % 1000 + 1
            guard case .write = machine.startQuery("SELECT id, name, job FROM customers WHERE id = \(id)") else {
                throw MySQLError(.protocolViolation, "point_offline: the machine did not start the query")
            }
            decoder.append(responses[id - 1])
            var columns = MySQLColumns.empty
            var ended = false
            while !ended, let action = machine.processPackets(from: &decoder) {
                switch action {
                case .resultSetStarted(let c): columns = c
                case .resultSetEnded(let batch, _, _):
                    ended = true
                    guard let batch else { break }
                    for r in 0..<batch.count {
                        let row = MySQLRow(batch: batch, rowIndex: r, columns: columns)
                        let rid = try row.decode(Int.self, at: 0)
                        sum += Double(rid) + Double(row.bytes(at: 1)?.count ?? 0) + Double(row.bytes(at: 2)?.count ?? 0)
                        rows += 1
                    }
                default: break
                }
            }
        }
        let b = Mark.now(serverPID: 0)
        report(workload: "point_offline", proto: "text", n: n, rows: rows, from: a, to: b, checksum: sum)
    }
}
