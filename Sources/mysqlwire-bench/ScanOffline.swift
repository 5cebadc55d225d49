import Foundation
@_spi(Benchmarks) import MySQLWire

/// `scan_offline`: the client-side CPU of the scan path with no server and no socket — a
/// generated 1M-row `wide` result is framed, fed through the state machine into row batches
/// and every column decoded, as `scan_text` does. Deterministic (no kernel, no network), so
/// it measures codec changes that the noisy live runs cannot resolve.
/// `mysqlwire-bench scan_offline` decodes every column; `MYSQLWIRE_OFFLINE_MODE` narrows it:
/// `count` (framing and batching only), `slices` (value lookup only), or one decoder:
/// `int`, `int64`, `double`, `decimal`, `datetime`; or `rows`: every column through the public
/// `MySQLRow` API, exactly as `scan_text`'s loop body. `MYSQLWIRE_OFFLINE_CHUNK` sets how many
/// bytes are fed per "read" (default 65536; a live loopback read is about 12 KB).
/// `MYSQLWIRE_OFFLINE_FORMAT=binary` generates binary rows (COM_STMT_EXECUTE's result, as
/// `scan_binary` reads them) instead (`full` then means `rows`).
enum ScanOffline {
    static func lenenc(_ s: String, into w: inout [UInt8]) {
        let b = Array(s.utf8)
        precondition(b.count < 251)
        w.append(UInt8(b.count))
        w += b
    }

    /// `2020-01-01 00:00:00` plus `seconds`, as DATETIME(6) text (dates up to 2099).
    static func dateTime(seconds: Int, microseconds: Int) -> String {
        var (year, month, day) = (2020, 1, 1 + seconds / 86_400)
        while true {
            let length = month == 2 ? (year % 4 == 0 ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
            if day <= length { break }
            day -= length
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        let t = seconds % 86_400
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d", year, month, day, t / 3600, t / 60 % 60, t % 60, microseconds)
    }

    /// A state machine logged in to a scripted MariaDB greeting, and its decoder.
    static func loggedIn() -> (ConnectionStateMachine, PacketDecoder) {
        var settings = ConnectionSettings(username: "u", password: "p")
        settings.connectionAttributes = []
        var machine = ConnectionStateMachine(settings: settings)
        _ = machine.connected()
        var greeting: [UInt8] =
            [10] + Array("5.5.5-10.11.6-MariaDB".utf8) + [0, 1, 0, 0, 0] + Array("abcdefgh".utf8) + [0]
        let caps: UInt32 = 0x01ff_f7fe
        greeting += [
            UInt8(caps & 0xff), UInt8(caps >> 8 & 0xff), 45, 2, 0, UInt8(caps >> 16 & 0xff), UInt8(caps >> 24), 21,
        ]
        greeting += [UInt8](repeating: 0, count: 10) + Array("123456789012".utf8) + [0]
        greeting += Array("mysql_native_password".utf8) + [0]
        var decoder = PacketDecoder()
        decoder.append(frame(greeting, 0))
        _ = machine.processPackets(from: &decoder)
        decoder.append(frame([0, 0, 0, 2, 0, 0, 0], 2))
        _ = machine.processPackets(from: &decoder)
        return (machine, decoder)
    }

    static func frame(_ p: [UInt8], _ seq: UInt8) -> [UInt8] {
        var s = seq
        return PacketEncoder.frame(p, sequenceID: &s)
    }

    /// Row `i` of `wide` as a binary result row: header, NULL bitmap (offset 2), then LONG,
    /// LONGLONG, VAR_STRING, DOUBLE, NEWDECIMAL (text), DATETIME (11 bytes), VAR_STRING or NULL.
    static func binaryRow(_ i: Int) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T, into r: inout [UInt8]) {
            for shift in stride(from: 0, to: T.bitWidth, by: 8) { r.append(UInt8(truncatingIfNeeded: v >> shift)) }
        }
        let noteIsNull = i % 10 == 3
        var r: [UInt8] = [0, 0, noteIsNull ? 1 : 0]  // column 6 → bit 8 → second bitmap byte, bit 0
        le(Int32(i), into: &r)
        le(Int64(i * 2_654_435_761 % 1_000_000_000_000_000 - 500_000_000_000_000), into: &r)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        lenenc("name_\(i)_" + String(alphabet[(i % 26)...]), into: &r)
        le((Double(i) * 3.18309886183790671e-1 - 1.0e3).bitPattern, into: &r)
        let cents = (i % 1_000_000) - 250_000
        let sign = cents < 0 ? "-" : ""
        lenenc("\(sign)\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))", into: &r)
        let text = Array(dateTime(seconds: i * 61, microseconds: i * 7919 % 1_000_000).utf8)
        func number(_ range: Range<Int>) -> Int { Int(String(decoding: text[range], as: UTF8.self))! }
        r.append(11)
        le(UInt16(number(0..<4)), into: &r)
        r += [UInt8(number(5..<7)), UInt8(number(8..<10)), UInt8(number(11..<13)), UInt8(number(14..<16))]
        r.append(UInt8(number(17..<19)))
        le(UInt32(number(20..<26)), into: &r)
        if !noteIsNull { lenenc("note \(i) " + String(repeating: "x", count: i % 60), into: &r) }
        return r
    }

    enum Mode: String, CaseIterable {
        case full, rows, count, slices, int, int64, double, decimal, datetime
    }

    static func run() throws {
        let modeName = ProcessInfo.processInfo.environment["MYSQLWIRE_OFFLINE_MODE"] ?? "full"
        guard let requestedMode = Mode(rawValue: modeName) else {
            throw MySQLError(
                .invalidUsage, "MYSQLWIRE_OFFLINE_MODE=\(modeName): use one of \(Mode.allCases.map(\.rawValue))")
        }
        let binary = ProcessInfo.processInfo.environment["MYSQLWIRE_OFFLINE_FORMAT"] == "binary"
        let mode = binary && requestedMode == .full ? Mode.rows : requestedMode
        let valueFormat: MySQLValueFormat = binary ? .binary : .text
        var (machine, decoder) = loggedIn()
        if binary {
            _ = machine.startExecute(statementID: 1, parameters: [], cursor: false, longDataThreshold: 1 << 20)
        } else {
            _ = machine.startQuery("SELECT * FROM wide")
        }
        let types: [(String, MySQLType, UInt8)] = [
            ("id", .long, 0), ("big", .longlong, 0), ("name", .varString, 0), ("score", .double, 31),
            ("price", .newdecimal, 2), ("created", .datetime, 6), ("note", .varString, 0),
        ]
        var wire: [UInt8] = frame([7], 1)
        var seq: UInt8 = 2
        for (name, type, decimals) in types {
            var c: [UInt8] = []
            for s in ["def", "sales", "wide", "wide", name, name] { lenenc(s, into: &c) }
            c += [0x0c, 45, 0, 255, 0, 0, 0, type.rawValue, 0, 0, decimals, 0, 0]
            wire += frame(c, seq)
            seq &+= 1
        }
        let n = 1_000_000
        wire.reserveCapacity(n * 130)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        for i in 1...n {
            if binary {
                wire += frame(binaryRow(i), seq)
                seq &+= 1
                continue
            }
            // The same values as ../shared/bench/start-mariadb's `wide` (the server's text forms).
            var r: [UInt8] = []
            lenenc(String(i), into: &r)
            lenenc(String(i * 2_654_435_761 % 1_000_000_000_000_000 - 500_000_000_000_000), into: &r)
            lenenc("name_\(i)_" + String(alphabet[(i % 26)...]), into: &r)
            lenenc("\(Double(i) * 3.18309886183790671e-1 - 1.0e3)", into: &r)
            let cents = (i % 1_000_000) - 250_000
            let sign = cents < 0 ? "-" : ""
            lenenc("\(sign)\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))", into: &r)
            lenenc(Self.dateTime(seconds: i * 61, microseconds: i * 7919 % 1_000_000), into: &r)
            if i % 10 == 3 {
                r.append(0xFB)
            } else {
                lenenc("note \(i) " + String(repeating: "x", count: i % 60), into: &r)
            }
            wire += frame(r, seq)
            seq &+= 1
        }
        wire += frame([0xFE, 0, 0, 2, 0, 0, 0], seq)

        var rows = 0
        var isum: Int64 = 0
        var dsum = 0.0
        var columns: [MySQLColumn] = []
        var columnSet = MySQLColumns.empty
        func consume(_ batch: RowBatch) throws {
            if mode == .rows {
                // As `MySQLRows.forEach` does: one row value moved along the batch.
                var row = MySQLRow(batch: batch, rowIndex: 0, columns: columnSet)
                for r in 0..<batch.count {
                    row.moveToRow(r)
                    try ScanText.accumulate(row, isum: &isum, sum: &dsum)
                    rows += 1
                }
                return
            }
            for r in 0..<batch.count {
                rows += 1
                if mode == .count { continue }
                if mode == .int {
                    isum &+= Int64(
                        try Int.decode(
                            mysqlValue: batch.value(row: r, column: 0), format: valueFormat, column: columns[0]))
                    continue
                }
                if mode == .int64 {
                    isum &+=
                        try Int64?.decode(
                            mysqlValue: batch.value(row: r, column: 1), format: valueFormat, column: columns[1])
                        ?? 0
                    continue
                }
                if mode == .double {
                    dsum +=
                        try Double?.decode(
                            mysqlValue: batch.value(row: r, column: 3), format: valueFormat, column: columns[3]) ?? 0
                    continue
                }
                if mode == .decimal {
                    isum &+=
                        try MySQLDecimal?.decode(
                            mysqlValue: batch.value(row: r, column: 4), format: valueFormat, column: columns[4])?
                        .scaledInteger(scale: 2) ?? 0
                    continue
                }
                if mode == .datetime {
                    isum &+= Int64(
                        try MySQLDateTime?.decode(
                            mysqlValue: batch.value(row: r, column: 5), format: valueFormat, column: columns[5])?
                            .microsecond
                            ?? 0)
                    continue
                }
                if mode == .slices {
                    for c in 0..<7 { isum &+= Int64(batch.value(row: r, column: c)?.count ?? 0) }
                    continue
                }
                let id = try Int.decode(
                    mysqlValue: batch.value(row: r, column: 0), format: valueFormat, column: columns[0])
                let big =
                    try Int64?.decode(
                        mysqlValue: batch.value(row: r, column: 1), format: valueFormat, column: columns[1])
                    ?? 0
                let name = batch.value(row: r, column: 2)?.count ?? 0
                let score =
                    try Double?.decode(
                        mysqlValue: batch.value(row: r, column: 3), format: valueFormat, column: columns[3])
                    ?? 0
                let price = try MySQLDecimal?.decode(
                    mysqlValue: batch.value(row: r, column: 4), format: valueFormat, column: columns[4])
                let created = try MySQLDateTime?.decode(
                    mysqlValue: batch.value(row: r, column: 5), format: valueFormat, column: columns[5])
                let note = batch.value(row: r, column: 6)?.count ?? 0
                isum +=
                    Int64(id) + (big & 0xFFFF) + Int64(name) + (price?.scaledInteger(scale: 2) ?? 0)
                    + Int64(created?.microsecond ?? 0) + Int64(created?.day ?? 0) + Int64(note)
                dsum += score
            }
        }
        let chunk = Int(ProcessInfo.processInfo.environment["MYSQLWIRE_OFFLINE_CHUNK"] ?? "") ?? 65536
        // MYSQLWIRE_OFFLINE_REPEAT=N runs the measured section N times (for profiling it).
        let repeats = Int(ProcessInfo.processInfo.environment["MYSQLWIRE_OFFLINE_REPEAT"] ?? "") ?? 1
        let a = Mark.now(serverPID: 0)
        for round in 0..<max(1, repeats) {
            if round > 0 {
                if binary {
                    _ = machine.startExecute(statementID: 1, parameters: [], cursor: false, longDataThreshold: 1 << 20)
                } else {
                    _ = machine.startQuery("SELECT * FROM wide")
                }
            }
            var offset = 0
            while offset < wire.count {
                let end = min(wire.count, offset + max(1, chunk))
                _ = decoder.withWritableSpace(minimum: end - offset) { (buffer) -> Int in
                    wire.withUnsafeBytes { source in
                        // Safe: `buffer` has at least `end - offset` writable bytes (requested above).
                        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<end]))
                    }
                    return end - offset
                }
                offset = end
                while let action = machine.processPackets(from: &decoder) {
                    switch action {
                    case .resultSetStarted(let c):
                        columns = c.definitions
                        columnSet = c
                    case .deliverRows(let batch): try consume(batch)
                    case .resultSetEnded(let batch, _, _): if let batch { try consume(batch) }
                    default: break
                    }
                }
                if case .deliverRows(let batch) = machine.readComplete() { try consume(batch) }
            }
        }
        let b = Mark.now(serverPID: 0)
        report(
            workload: "scan_offline", proto: "\(binary ? "binary" : "text")(\(mode.rawValue))", n: 1, rows: rows,
            from: a, to: b,
            checksum: dsum + Double(isum))
    }
}
