import Foundation
import Testing

@testable import MySQLWire

/// Nothing is lost: for every column type, values (the edges, and random ones from a seeded
/// SplitMix64) are written as bound parameters into a temporary table column of that type, read
/// back through the text protocol (COM_QUERY with a `String`, nothing bound) and through the
/// binary protocol (an explicit prepared SELECT), decoded into the Swift type they were written
/// as and compared with what was written. The two protocols' `textBytes(at:)` must also be
/// byte-identical, since `mysqlwire --prepared` prints binary rows through it.
///
/// Every failure message names the seed. `MYSQLWIRE_ROUNDTRIP_SEED=<n>` reruns with another one;
/// `MYSQLWIRE_ROUNDTRIP_VERBOSE=1` prints each column's definition in both protocols.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct LiveRoundTripTests {
    static let seed: UInt64 =
        ProcessInfo.processInfo.environment["MYSQLWIRE_ROUNDTRIP_SEED"].flatMap { UInt64($0) } ?? 0x6D79_7371_6C77_6972
    static let verbose = ProcessInfo.processInfo.environment["MYSQLWIRE_ROUNDTRIP_VERBOSE"] != nil

    // MARK: - Integers and Bool

    @Test func integers() async throws {
        var trip = try await RoundTrip("int")
        try await trip.integers("TINYINT", Int8.min...Int8.max)
        try await trip.integers("TINYINT UNSIGNED", UInt8.min...UInt8.max)
        try await trip.integers("SMALLINT", Int16.min...Int16.max)
        try await trip.integers("SMALLINT UNSIGNED", UInt16.min...UInt16.max)
        try await trip.integers("MEDIUMINT", Int32(-8_388_608)...8_388_607)
        try await trip.integers("MEDIUMINT UNSIGNED", UInt32(0)...16_777_215)
        try await trip.integers("INT", Int32.min...Int32.max)
        try await trip.integers("INT UNSIGNED", UInt32.min...UInt32.max)
        try await trip.integers("BIGINT", Int64.min...Int64.max)
        try await trip.integers("BIGINT UNSIGNED", UInt64.min...UInt64.max)
        // The Swift types most code binds: Int (LONGLONG) into narrow columns, UInt into BIGINT
        // UNSIGNED (18446744073709551615 is UInt64.max).
        try await trip.integers("TINYINT", Int(Int8.min)...Int(Int8.max))
        try await trip.integers("MEDIUMINT UNSIGNED", 0...16_777_215 as ClosedRange<Int>)
        try await trip.integers("BIGINT", Int.min...Int.max)
        try await trip.integers("BIGINT UNSIGNED", UInt.min...UInt.max)
        // ZEROFILL: the text form is padded to the display width in both protocols.
        try await trip.integers("INT(8) UNSIGNED ZEROFILL", UInt32(0)...99_999_999)
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func bool() async throws {
        var trip = try await RoundTrip("bool")
        let values = [true, false] + (0..<20).map { _ in Bool.random(using: &trip.rng) }
        try await trip.check("TINYINT(1)", values)
        try await trip.check("BOOLEAN", values)
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    // MARK: - Floating point and DECIMAL

    @Test func float() async throws {
        var trip = try await RoundTrip("float")
        // The text protocol carries a FLOAT with 6 significant digits (the server's FLT_DIG
        // formatting): 1.2345678 arrives as "1.23457", so only values of at most 6 significant
        // digits survive it. Those are checked in both protocols...
        var decimal6: [Float] = [0, 1, -1, 0.1, 0.5, 123_456, 1.5e-5, 3.4e38, -3.4e38, 1.17550e-38, 123_457_000]
        for _ in 0..<150 {
            let mantissa = Int.random(in: 1...999_999, using: &trip.rng) * (Bool.random(using: &trip.rng) ? 1 : -1)
            decimal6.append(Float("\(mantissa)e\(Int.random(in: -42...32, using: &trip.rng))")!)
        }
        try await trip.check("FLOAT", decimal6, same: sameBits)
        // ...and every finite Float (random bit patterns, subnormals, the greatest finite) in the
        // binary protocol, which carries the 4 IEEE bytes.
        var any: [Float] = [
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, Float(bitPattern: 0x007F_FFFF), 1.2345678, 16_777_217, .pi, 0.1, -0.0,
        ]
        while any.count < 200 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: trip.rng.next()))
            if value.isFinite { any.append(value) }
        }
        try await trip.check("FLOAT", any, textProtocol: false, same: sameBits)
        // FLOAT(9,3) stores values rounded to 3 decimals and prints exactly 3.
        let fixed = (0..<60).map { _ in Float.random(in: -999_999...999_999, using: &trip.rng) } + [0, 0.125, -0.0004]
        try await trip.check("FLOAT(9,3)", fixed, same: { abs($0 - $1) <= 0.0005 + $0.ulp }, show: { "\($0)" })
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func double() async throws {
        var trip = try await RoundTrip("double")
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.30000000000000004, .pi, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),  // the greatest subnormal
            1e-5, 1.5e-10, 1e-15, 1e15, 1e16, 9_007_199_254_740_993, 1_234_567_890_123_456.7, 999_999_999_999_999.9,
        ]
        // Random bit patterns (mostly huge and tiny exponents)...
        while values.count < 150 {
            let value = Double(bitPattern: trip.rng.next())
            if value.isFinite { values.append(value) }
        }
        // ...and numbers people store, with 1 to 17 digits across the range where the server
        // switches between fixed and exponent notation.
        for _ in 0..<100 {
            let digits = Int.random(in: 1...17, using: &trip.rng)
            let mantissa = UInt64.random(in: 1...(UInt64(pow(10, Double(digits))) - 1), using: &trip.rng)
            values.append(Double("\(mantissa)e\(Int.random(in: -40...25, using: &trip.rng))")!)
        }
        try await trip.check("DOUBLE", values, same: sameBits)
        // DOUBLE(20,4) stores values rounded to 4 decimals and prints exactly 4.
        var fixed = (0..<60).map { _ in Double.random(in: -1e15...1e15, using: &trip.rng) }
        fixed += (0..<60).map { _ in Double.random(in: -1...1, using: &trip.rng) } + [0, 0.00005, -0.00004, 2.00005]
        try await trip.check(
            "DOUBLE(20,4)", fixed, same: { abs($0 - $1) <= 0.00005 + 2 * $0.ulp }, show: { "\($0)" })
        // -0.0 reaches the server as -0 (it then stores and returns +0: see sameBits).
        let signs = try await trip.conn.query("SELECT ATAN2(\(-0.0), -1), ATAN2(\(Float(-0.0)), -1)").collect()[0]
        #expect(try signs.decode((Double, Double).self) == (-.pi, -.pi))
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func decimal() async throws {
        var trip = try await RoundTrip("decimal")
        // DECIMAL(65,30) with MySQLDecimal: up to 35 integer digits and 30 fraction digits.
        var exact = ["0", "-1", "1", "0.000000000000000000000000000001", "-0.000000000000000000000000000001"]
        exact.append(String(repeating: "9", count: 35) + "." + String(repeating: "9", count: 30))
        exact.append("-" + String(repeating: "9", count: 35) + "." + String(repeating: "9", count: 30))
        for _ in 0..<150 {
            let sign = Bool.random(using: &trip.rng) ? "-" : ""
            let integer = trip.rng.digits(Int.random(in: 1...35, using: &trip.rng))
            exact.append(sign + integer + "." + trip.rng.digits(30))
        }
        try await trip.check("DECIMAL(65,30)", exact.map { MySQLDecimal(string: $0)! })
        // DECIMAL(38,10) with Foundation's Decimal (38 significant digits).
        var foundation = ["0", "1", "-1", "0.0000000001", "-0.0000000001", "12345.678"]
        foundation.append(String(repeating: "9", count: 28) + "." + String(repeating: "9", count: 10))
        foundation.append("-" + String(repeating: "9", count: 28) + "." + String(repeating: "9", count: 10))
        for _ in 0..<150 {
            let sign = Bool.random(using: &trip.rng) ? "-" : ""
            let integer = trip.rng.digits(Int.random(in: 1...28, using: &trip.rng))
            foundation.append(sign + integer + "." + trip.rng.digits(Int.random(in: 1...10, using: &trip.rng)))
        }
        try await trip.check("DECIMAL(38,10)", foundation.map { Decimal(string: $0)! })
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    // MARK: - Temporal types

    @Test func temporal() async throws {
        var trip = try await RoundTrip("temporal")
        try await trip.conn.execute("SET time_zone = '+00:00'")

        var dates = [(1000, 1, 1), (9999, 12, 31), (1, 1, 1), (2024, 2, 29), (1970, 1, 1)].map {
            MySQLDate(year: $0.0, month: $0.1, day: $0.2)!
        }
        for _ in 0..<100 { dates.append(trip.rng.date(years: 1...9999)) }
        try await trip.check("DATE", dates)

        var dateTimes = [
            MySQLDateTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)!,
            MySQLDateTime(year: 1000, month: 1, day: 1)!,  // midnight: the 4-byte binary layout
            MySQLDateTime(year: 1, month: 1, day: 1, microsecond: 1)!,
            MySQLDateTime(year: 2024, month: 5, day: 1, hour: 12, minute: 30)!,  // the 7-byte layout
        ]
        for _ in 0..<100 { dateTimes.append(trip.rng.dateTime(years: 1...9999, microseconds: true)) }
        try await trip.check("DATETIME(6)", dateTimes)
        try await trip.check(
            "DATETIME",
            (0..<50).map { _ in trip.rng.dateTime(years: 1000...9999, microseconds: false) }
                + [MySQLDateTime(year: 2000, month: 1, day: 1)!])

        // TIMESTAMP(6): 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999 UTC.
        var timestamps = [
            MySQLDateTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 1)!,
            MySQLDateTime(year: 2038, month: 1, day: 19, hour: 3, minute: 14, second: 7, microsecond: 999_999)!,
        ]
        for _ in 0..<100 {
            let seconds = Int64.random(in: 1...2_147_483_647, using: &trip.rng)
            timestamps.append(
                civilDateTime(secondsSince1970: seconds, microsecond: Int.random(in: 0...999_999, using: &trip.rng)))
        }
        try await trip.check("TIMESTAMP(6) NULL", timestamps)

        // TIME(6): -838:59:59 to 838:59:59, beyond 24 hours and negative.
        let limit: Int64 = 838 * 3_600_000_000 + 59 * 60_000_000 + 59_000_000
        let hour: Int64 = 3_600_000_000
        let edges: [Int64] = [
            -limit, limit, 0, 24 * hour, 25 * hour + 1, -25 * hour, -1, 1, 100 * hour + 500_000, 24 * hour - 1,
            -(24 * hour + 59_000_001),
        ]
        var times = edges.map { MySQLTime(.microseconds($0))! }
        for _ in 0..<100 { times.append(MySQLTime(.microseconds(Int64.random(in: -limit...limit, using: &trip.rng)))!) }
        try await trip.check("TIME(6)", times)
        var wholeSeconds: [MySQLTime] = []
        for _ in 0..<50 {
            wholeSeconds.append(MySQLTime(.seconds(Int64.random(in: -3_020_399...3_020_399, using: &trip.rng)))!)
        }
        try await trip.check("TIME", wholeSeconds)

        // YEAR: 1901...2155 and 0 (0000).
        try await trip.check(
            "YEAR", [0, 1901, 2155, 2000] + (0..<30).map { _ in Int.random(in: 1901...2155, using: &trip.rng) })
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func zeroDates() async throws {
        var trip = try await RoundTrip("zero")
        try await trip.conn.execute("SET SESSION sql_mode = ''")
        try await trip.conn.execute("SET time_zone = '+00:00'")
        let partial = MySQLDate(year: 2024, month: 0, day: 0)!
        try await trip.check("DATE", [MySQLDate.zero, partial, MySQLDate(year: 2024, month: 5, day: 0)!])
        try await trip.check(
            "DATETIME(6)",
            [MySQLDateTime.zero, MySQLDateTime(partial), MySQLDateTime(year: 0, month: 0, day: 0, second: 1)!])
        try await trip.check("DATETIME", [MySQLDateTime.zero])
        try await trip.check("TIMESTAMP NULL", [MySQLDateTime.zero])
        // A zero date is no instant: decoding one as Date throws (in both protocols).
        for format in ["text", "binary"] {
            let sql = "SELECT CAST('0000-00-00' AS DATE)"
            let rows =
                format == "text"
                ? try await trip.conn.query(sql).collect()
                : try await trip.conn.query("SELECT CAST(\("0000-00-00") AS DATE)").collect()
            #expect(throws: MySQLError.self, "\(format)") { try rows[0].decode(Date.self, at: 0) }
            #expect(try rows[0].decode(MySQLDate.self, at: 0) == .zero, "\(format)")
            if format == "binary" { #expect(rows[0].bytes(at: 0)?.count == 0) }  // the zero date: length 0
        }
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func foundationDate() async throws {
        var trip = try await RoundTrip("date")
        // Dates at whole microseconds (the nearest Double to the instant) across the years
        // 1...9999, built from seconds since the reference date plus the fraction.
        var values: [Date] = [
            Date(timeIntervalSince1970: -62_135_596_800), .distantFuture, Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: 1_700_000_000.5), Date(timeIntervalSinceReferenceDate: 0.000001),
            Date(timeIntervalSince1970: 253_402_300_799), Date(timeIntervalSince1970: -1.5),
        ]
        for _ in 0..<150 {
            let seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &trip.rng)
            let micro = Int64.random(in: 0...999_999, using: &trip.rng)
            values.append(Date(timeIntervalSinceReferenceDate: nearestSeconds(seconds - 978_307_200, micro)))
        }
        try await trip.check("DATETIME(6)", values)

        // Within seconds of 2001-01-01 00:00:00 UTC (Date's reference date) an error of the
        // fraction is a sizeable part of an ulp: decoding must round once to give these back.
        var near = [Date(timeIntervalSinceReferenceDate: -0.000001), Date(timeIntervalSinceReferenceDate: 1.003969)]
        for _ in 0..<60 {
            let micros = Int64.random(in: -5_000_000...5_000_000, using: &trip.rng)
            near.append(Date(timeIntervalSinceReferenceDate: Double(micros) / 1e6))  // one rounding: the nearest
        }
        try await trip.check("DATETIME(6)", near)

        // A Date between microseconds is rounded to the nearest one (and comes back as that,
        // give or take the Double's own resolution: an ulp is 0.48 µs in 2100).
        var between: [Date] = []
        for _ in 0..<50 {
            let seconds = Double(Int.random(in: 0...4_102_444_800, using: &trip.rng))
            between.append(Date(timeIntervalSince1970: seconds + Double.random(in: 0..<1, using: &trip.rng)))
        }
        try await trip.check(
            "DATETIME(6)", between,
            same: { abs($0.timeIntervalSince($1)) <= 0.5e-6 + $0.timeIntervalSinceReferenceDate.ulp },
            show: { "\($0.timeIntervalSince1970)" })

        // Whole seconds as `Date(timeIntervalSince1970:)` makes them, into DATETIME (no fraction).
        var whole: [Date] = []
        for _ in 0..<50 {
            whole.append(Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800, using: &trip.rng))))
        }
        try await trip.check("DATETIME", whole)

        // DATETIME holds the years 1...9999: Date.distantPast (0000-12-30) is refused before sending.
        await #expect(throws: MySQLError.self) { try await trip.conn.query("SELECT \(Date.distantPast)").collect() }
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    // MARK: - Text and bytes

    @Test func strings() async throws {
        var trip = try await RoundTrip("string")
        let edges = [
            "", "a\u{0}b", "\u{0}", "😀", "👩‍👩‍👧‍👦", "e\u{301}", "é", "\u{FFFD}", "'; DROP TABLE x; --", "\\", "\"",
            "\r\n\t", "\u{7F}\u{1}", "日本語テキスト", "a\u{0}", "\u{10FFFF}",
        ]
        // CHAR drops trailing spaces (the server pads and strips them), so its values end otherwise.
        var short = edges
        for _ in 0..<100 { short.append(trip.rng.string(maxScalars: 39)) }
        try await trip.check(
            "CHAR(40) CHARACTER SET utf8mb4",
            short.map { $0.hasSuffix(" ") ? $0 + "." : $0 }, same: sameUTF8)
        try await trip.check("VARCHAR(255) CHARACTER SET utf8mb4", short, same: sameUTF8)
        var text = short + [String(repeating: "😀", count: 16_383)]  // 65532 bytes
        for _ in 0..<20 { text.append(trip.rng.string(maxScalars: 3000)) }
        try await trip.check("TEXT CHARACTER SET utf8mb4", text, same: sameUTF8)
        // Beyond the 1 MiB long-data threshold: sent with COM_STMT_SEND_LONG_DATA.
        let long = String(repeating: "ü✓😀a\u{0}", count: 150_000)
        try await trip.check(
            "LONGTEXT CHARACTER SET utf8mb4", [long, "", "x"] + text.prefix(30), same: sameUTF8, show: abbreviated)
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func bytes() async throws {
        var trip = try await RoundTrip("bytes")
        let all = (0...255).map { UInt8($0) }
        try await trip.check(
            "BINARY(16)",
            [[UInt8](repeating: 0, count: 16), [UInt8](repeating: 0xFF, count: 16), Array(all[240...])]
                + (0..<50).map { _ in trip.rng.bytes(16) })
        let varying: [[UInt8]] =
            [[], [0], [0xFF], [1, 0, 0], all, Array(all.reversed())]
            + (0..<80).map { _ in trip.rng.bytes(Int.random(in: 0...255, using: &trip.rng)) }
        try await trip.check("VARBINARY(256)", varying, show: abbreviated)
        try await trip.check(
            "BLOB", varying + (0..<20).map { _ in trip.rng.bytes(Int.random(in: 256...60_000, using: &trip.rng)) },
            show: abbreviated)
        try await trip.check("MEDIUMBLOB", varying.map { Data($0) }, show: { "\($0.count) bytes" })
        // UUID: its 16 bytes in RFC 4122 order.
        var uuids = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuidString: "8C6B1F7A-1D1E-4B5A-9C3D-0123456789AB")!,
        ]
        for _ in 0..<50 {
            let b = trip.rng.bytes(16)
            uuids.append(
                UUID(
                    uuid: (
                        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                        b[15]
                    )))
        }
        try await trip.check("BINARY(16)", uuids)
        // Its text form is what UUID() gives; written as a String, read back as UUID.
        let rows = try await trip.conn.query("SELECT \(uuids[1].uuidString), LOWER(\(uuids[1].uuidString))").collect()
        #expect(try rows[0].decode(UUID.self, at: 0) == uuids[1])
        #expect(try rows[0].decode(UUID.self, at: 1) == uuids[1])
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func bitEnumSetJSONGeometry() async throws {
        var trip = try await RoundTrip("other")
        // BIT: integers bound as LONGLONG (UNSIGNED), read back as UInt64 from the big-endian bytes.
        try await trip.check("BIT(1)", [UInt64(0), 1, 1, 0])
        try await trip.check(
            "BIT(7)", [0, 127, 1, 64] + (0..<20).map { _ in Int.random(in: 0...127, using: &trip.rng) },
            decodeAs: UInt64.self)
        try await trip.check("BIT(64)", [0, .max, 1 << 63, 1] + (0..<40).map { _ in trip.rng.next() })
        try await trip.check("BIT(1)", [true, false])  // Bool reads BIT(1) too

        let members = ["red", "green", "blue", "ünïcødé", "😀"]
        try await trip.check(
            "ENUM('red','green','blue','ünïcødé','😀') CHARACTER SET utf8mb4",
            members + (0..<20).map { _ in members.randomElement(using: &trip.rng)! })
        // SET values in their canonical form: members in definition order, comma-separated.
        let flags = ["a", "b", "c", "d"]
        var sets = ["", "a", "a,b,c,d"]
        for _ in 0..<20 { sets.append(flags.filter { _ in Bool.random(using: &trip.rng) }.joined(separator: ",")) }
        try await trip.check("SET('a','b','c','d')", sets)

        // JSON: MariaDB's JSON is LONGTEXT with a json_valid check and keeps the text as written
        // (MySQL's JSON type, 245, would normalise it), so the strings compare as they are.
        var documents = [
            "{}", "[]", "null", "{\"a\": 1, \"b\": [true, false, null], \"c\": \"😀\\u00e9\"}", "  [1 ,2]  ",
        ]
        for _ in 0..<30 { documents.append(trip.rng.json(depth: 3)) }
        try await trip.check("JSON", documents, same: sameUTF8)

        // GEOMETRY: written through SQL, read as bytes (a 4-byte SRID, then WKB); both protocols agree.
        try await trip.conn.execute(
            """
            CREATE TEMPORARY TABLE rt_geometry (id INT PRIMARY KEY, g GEOMETRY)
            """)
        try await trip.conn.execute(
            """
            INSERT INTO rt_geometry VALUES (0, ST_GeomFromText('POINT(1 2)')),
              (1, ST_GeomFromText('LINESTRING(0 0, 1.5 -2, 3e10 4)')),
              (2, ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 0))', 4326)), (3, NULL)
            """)
        let select = "SELECT id, g FROM rt_geometry ORDER BY id"
        let text = try await trip.conn.query(select).collect()
        let statement = try await trip.conn.prepare(select)
        let binary = try await statement.query().collect()
        try await statement.close()
        #expect(text.count == 4 && binary.count == 4)
        let point: [UInt8] = [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x40]
        #expect(try text[0].decode([UInt8].self, at: 1) == point)
        for (t, b) in zip(text, binary) {
            #expect(try t.decode([UInt8]?.self, at: 1) == b.decode([UInt8]?.self, at: 1))
            #expect(try t.textBytes(at: 1) == b.textBytes(at: 1))
        }
        #expect(try text[2].decode([UInt8].self, at: 1).prefix(4) == [0xE6, 0x10, 0, 0])  // SRID 4326
        #expect(try text[3].decode([UInt8]?.self, at: 1) == nil && binary[3].decode([UInt8]?.self, at: 1) == nil)
        // Bound back: the WKB (without the SRID) as bytes, through ST_GeomFromWKB.
        let wkb = Array(point.dropFirst(4))
        let back = try await trip.conn.query("SELECT ST_GeomFromWKB(\(wkb)), ST_AsText(ST_GeomFromWKB(\(wkb)))")
            .collect()
        #expect(try back[0].decode(([UInt8], String).self) == (point, "POINT(1 2)"))
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    // MARK: - NULL and long values

    @Test func optionals() async throws {
        var trip = try await RoundTrip("null")
        try await trip.conn.execute("SET time_zone = '+00:00'")
        try await trip.check("INT", [nil, 1, nil, -5] as [Int?])
        try await trip.check("BIGINT UNSIGNED", [nil, .max] as [UInt64?])
        try await trip.check("DOUBLE", [nil, 2.5, nil] as [Double?])
        try await trip.check("DECIMAL(10,2)", [nil, MySQLDecimal(string: "-12.34")] as [MySQLDecimal?])
        try await trip.check("VARCHAR(10)", [nil, "", "x", nil] as [String?])  // empty string is not NULL
        try await trip.check("BLOB", [nil, [], [0]] as [[UInt8]?])
        try await trip.check(
            "DATETIME(6)", [nil, MySQLDateTime(year: 2024, month: 1, day: 2, microsecond: 3)] as [MySQLDateTime?])
        try await trip.check("DATE", [nil, MySQLDate(year: 2024, month: 1, day: 2)] as [MySQLDate?])
        try await trip.check("TIME", [nil, MySQLTime(hours: 1, minutes: 2, seconds: 3)] as [MySQLTime?])
        try await trip.check("TIMESTAMP(6) NULL", [nil, Date(timeIntervalSince1970: 1_000_000_000)] as [Date?])
        try await trip.check("BINARY(16)", [nil, UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")] as [UUID?])
        try await trip.check("TINYINT(1)", [nil, true, false] as [Bool?])
        try await trip.check("BIT(8)", [nil, 255] as [UInt64?])
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func twentyMebibyteBlob() async throws {
        var trip = try await RoundTrip("long")  // default longDataThreshold: 1 MiB
        func sentLongData() async throws -> Int {
            let row = try await trip.conn.query("SHOW SESSION STATUS LIKE 'Com_stmt_send_long_data'").collect()[0]
            return Int(try row.decode(String.self, at: 1))!
        }
        let before = try await sentLongData()
        let blob = trip.rng.bytes(20 << 20)
        // One value: the helper inserts index 0 with the explicit prepared INSERT.
        try await trip.check("LONGBLOB", [blob], show: abbreviated)
        #expect(try await sentLongData() - before >= 20)
        trip.expectNoMismatches()
        await trip.conn.close()
    }
}

extension LiveRoundTripTests {
    // MARK: - Conversions: what each Swift type reads from other column types (Docs/Types.md)

    enum Tier: String, Decodable { case basic, gold }

    struct Record: Decodable, Equatable {
        var i: Int
        var vc: String
        var df: Decimal
        var dt: Date
        var u: UUID
        var n: Int?
        var tier: Tier
        var missing: String?
    }

    /// A user type: encodes and decodes through a built-in one (Docs/PreparedStatements.md).
    struct CustomerID: MySQLEncodable, MySQLDecodable, Equatable {
        var rawValue: Int
        func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
            try rawValue.encodeMySQLParameter(into: &buffer)
        }
        static func decode(
            mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
        ) throws(MySQLError) -> CustomerID {
            CustomerID(rawValue: try Int.decode(mysqlValue: bytes, format: format, column: column))
        }
    }

    @Test func userTypes() async throws {
        var trip = try await RoundTrip("user")
        let ids = [0, 1, -1, Int.max, Int.min] + (0..<10).map { _ in Int.random(in: .min ... .max, using: &trip.rng) }
        try await trip.check("BIGINT", ids.map(CustomerID.init))
        try await trip.check("BIGINT", [nil, CustomerID(rawValue: 7)] as [CustomerID?])
        trip.expectNoMismatches()
        await trip.conn.close()
    }

    @Test func conversions() async throws {
        let conn = try await LiveServer.connect()
        try await conn.execute("SET time_zone = '+00:00'")
        let uuid = UUID(uuidString: "8C6B1F7A-1D1E-4B5A-9C3D-0123456789AB")!
        try await conn.execute(
            """
            CREATE TEMPORARY TABLE conv (i INT, big BIGINT UNSIGNED, s SMALLINT, y YEAR, d DECIMAL(10,2),
              df DECIMAL(10,2), dbig DECIMAL(65,0), f FLOAT, dbl DOUBLE, b BIT(8), b1 BIT(1), two TINYINT,
              dt DATETIME(6), da DATE, t TIME, vc VARCHAR(40), bl BLOB, u BINARY(16), n INT, j JSON,
              e ENUM('basic','gold'), g GEOMETRY, ts TIMESTAMP(6) NULL, ch CHAR(5), st SET('a','b','c','d'))
            """)
        let wide = "1" + String(repeating: "0", count: 39) + "1"  // 41 digits: too many for Decimal
        try await conn.execute(
            """
            INSERT INTO conv VALUES (-5, 18446744073709551615, 300, 2024, 12, 12.34, \(unescaped: wide),
              0.1, 1e300, 255, 1, 2, '2024-05-01 12:30:00.25', '2024-05-01', '-01:02:03', \(uuid.uuidString), x'FFFE',
              \(uuid), NULL, '{"a":1}', 'gold', ST_GeomFromText('POINT(1 2)'), '2024-05-01 12:30:00.25', \("ab  "),
              \("d,a"))
            """)
        let sql = "SELECT *, NULL AS z, 'gold' AS tier FROM conv"
        let text = try await conn.query(sql).collect()[0]
        let statement = try await conn.prepare(sql)
        let binary = try await statement.query().collect()[0]
        try await statement.close()
        if LiveRoundTripTests.verbose {
            for (t, b) in zip(text.columns.definitions, binary.columns.definitions) {
                print("\(t.name): text \(t.shape), binary \(b.shape)")
            }
        }
        // Parameters are converted by the server as SQL values are: text into numbers and dates.
        try await conn.execute("INSERT INTO conv (i, d, da) VALUES (\("42"), \("12.5"), \("2024-05-02"))")
        let converted = try await conn.query("SELECT i, d, da FROM conv WHERE i = \(42)").collect()[0]
        #expect(
            try converted.decode((Int, MySQLDecimal, MySQLDate).self) == (
                42, MySQLDecimal(string: "12.50")!, MySQLDate(year: 2024, month: 5, day: 2)!
            ))
        try await conn.execute("DELETE FROM conv WHERE i = 42")
        // A value the column cannot hold is the server's error (strict mode, the default).
        do {
            try await conn.execute("INSERT INTO conv (two) VALUES (\(300))")
            Issue.record("300 went into a TINYINT")
        } catch let error as MySQLError {
            guard case .server(let code, _) = error.kind else { throw error }
            #expect(code == 1264)  // ER_WARN_DATA_OUT_OF_RANGE
        }
        let noon = Date(timeIntervalSince1970: 1_714_566_600.25)
        for (row, format) in [(text, "text"), (binary, "binary")] {
            func value<T: MySQLDecodable>(_ type: T.Type, _ column: String) throws -> T {
                try row.decode(type, column: column)
            }
            func fails<T: MySQLDecodable>(_ type: T.Type, _ column: String, _ line: Int = #line) {
                do {
                    let read = try row.decode(type, column: column)
                    Issue.record(
                        "\(format): \(column) as \(T.self) gave \(read), expected a decoding error (line \(line))")
                } catch {
                    #expect(error.kind == .decoding, "\(format) line \(line)")
                }
            }
            // Integers: from integer, YEAR, BIT and integral DECIMAL columns, when in range.
            #expect(try value(Int.self, "i") == -5, "\(format)")
            #expect(try value(UInt64.self, "big") == .max, "\(format)")
            #expect(try value(Int16.self, "s") == 300, "\(format)")
            #expect(try value(Int.self, "y") == 2024, "\(format)")
            #expect(try value(Int.self, "d") == 12, "\(format)")
            #expect(try value(UInt8.self, "b") == 255, "\(format)")
            fails(UInt.self, "i")  // negative
            fails(Int8.self, "s")  // out of range
            fails(Int64.self, "big")
            fails(Int.self, "df")  // a fraction
            fails(Int.self, "f")  // FLOAT
            fails(Int.self, "vc")  // text
            fails(Int.self, "dt")
            fails(Int.self, "n")  // NULL into a non-optional
            #expect(try value(Int?.self, "n") == nil, "\(format)")
            #expect(try value(Int?.self, "z") == nil, "\(format)")
            // Bool: integer and BIT columns holding 0 or 1.
            #expect(try value(Bool.self, "b1"), "\(format)")
            fails(Bool.self, "two")
            fails(Bool.self, "d")
            // Floating point: from FLOAT, DOUBLE, DECIMAL and integer columns. A FLOAT read as
            // Double is exact in binary (0.1f) and the printed 6 digits in text.
            #expect(try value(Double.self, "i") == -5, "\(format)")
            #expect(try value(Double.self, "df") == 12.34, "\(format)")
            #expect(try value(Double.self, "f") == (format == "text" ? 0.1 : Double(Float(0.1))), "\(format)")
            #expect(try value(Float.self, "f") == 0.1, "\(format)")
            fails(Float.self, "dbl")  // 1e300 overflows Float
            fails(Double.self, "vc")
            fails(Double.self, "b")  // BIT
            // Exact decimals: DECIMAL, integer and BIT columns; Decimal holds 38 digits.
            #expect(try value(MySQLDecimal.self, "df") == MySQLDecimal(string: "12.34"), "\(format)")
            #expect(try value(MySQLDecimal.self, "d") == MySQLDecimal(12), "\(format)")  // equal values
            #expect(try value(MySQLDecimal.self, "d").description == "12.00", "\(format)")  // the scale kept
            #expect(try value(MySQLDecimal.self, "df").description == "12.34", "\(format)")
            #expect(try value(MySQLDecimal.self, "i") == MySQLDecimal(-5), "\(format)")
            #expect(try value(MySQLDecimal.self, "b") == MySQLDecimal(255), "\(format)")
            #expect(try value(MySQLDecimal.self, "dbig").description == wide, "\(format)")
            #expect(try value(Decimal.self, "df") == Decimal(string: "12.34"), "\(format)")
            fails(Decimal.self, "dbig")  // 41 significant digits
            fails(MySQLDecimal.self, "f")
            fails(Decimal.self, "f")
            fails(Bool.self, "f")
            fails(MySQLDecimal.self, "dbl")
            // String: every column; binary numbers and temporal values formatted as in text rows.
            #expect(try value(String.self, "i") == "-5", "\(format)")
            #expect(try value(String.self, "y") == "2024", "\(format)")
            #expect(try value(String.self, "df") == "12.34", "\(format)")
            #expect(try value(String.self, "f") == "0.1", "\(format)")
            #expect(try value(String.self, "dt") == "2024-05-01 12:30:00.250000", "\(format)")
            #expect(try value(String.self, "da") == "2024-05-01", "\(format)")
            #expect(try value(String.self, "t") == "-01:02:03", "\(format)")
            #expect(try value(String.self, "j") == "{\"a\":1}", "\(format)")
            #expect(try value(String.self, "e") == "gold", "\(format)")
            fails(String.self, "bl")  // not UTF-8
            fails(String.self, "b")  // BIT 255: the byte 0xFF, not "255"
            #expect(try value(String.self, "ch") == "ab", "\(format)")  // CHAR drops trailing spaces
            #expect(try value(String.self, "st") == "a,d", "\(format)")  // SET members in definition order
            fails(Int.self, "e")  // no ENUM index
            // Bytes: every column as it travelled (binary numbers are their little-endian bytes).
            #expect(try value([UInt8].self, "i") == (format == "text" ? Array("-5".utf8) : [0xFB, 0xFF, 0xFF, 0xFF]))
            #expect(try value([UInt8].self, "bl") == [0xFF, 0xFE], "\(format)")
            #expect(try value(Data.self, "b") == Data([0xFF]), "\(format)")
            // UUID: 16 bytes, or 32/36 hex digits of text, from string and BLOB columns only.
            #expect(try value(UUID.self, "u") == uuid, "\(format)")
            #expect(try value(UUID.self, "vc") == uuid, "\(format)")
            fails(UUID.self, "bl")  // 2 bytes
            fails(UUID.self, "i")
            fails(UUID.self, "da")
            // Temporal types.
            #expect(try value(MySQLDate.self, "da") == MySQLDate(year: 2024, month: 5, day: 1), "\(format)")
            fails(MySQLDate.self, "dt")
            fails(MySQLDate.self, "t")
            fails(MySQLDate.self, "i")
            fails(Date.self, "i")
            fails(Double.self, "dt")
            fails(MySQLDecimal.self, "t")
            #expect(try value(MySQLDateTime.self, "da") == MySQLDateTime(year: 2024, month: 5, day: 1), "\(format)")
            #expect(try value(MySQLDateTime.self, "dt").description == "2024-05-01 12:30:00.250000", "\(format)")
            #expect(try value(MySQLDateTime.self, "ts").microsecond == 250_000, "\(format)")
            #expect(try value(MySQLTime.self, "t") == MySQLTime(isNegative: true, hours: 1, minutes: 2, seconds: 3))
            fails(MySQLTime.self, "dt")
            fails(MySQLDateTime.self, "t")
            #expect(try value(Date.self, "dt") == noon, "\(format)")
            #expect(try value(Date.self, "ts") == noon, "\(format)")
            #expect(try value(Date.self, "da") == Date(timeIntervalSince1970: 1_714_521_600), "\(format)")
            fails(Date.self, "t")
            fails(Date.self, "vc")
            // The server sends the shortest binary temporal layout.
            if format == "binary" {
                let lengths = ["da", "dt", "t"].map { row.bytes(at: row.columns.index(of: $0)!)?.count }
                #expect(lengths == [4, 11, 8])
            }
            // NULL: type NULL for a NULL literal; no value in either protocol.
            #expect(row.columns.definitions[row.columns.index(of: "z")!].type == .null)
            #expect(row.isNull(at: row.columns.index(of: "z")!) && row.isNull(at: row.columns.index(of: "n")!))
            #expect(try row.textBytes(at: row.columns.index(of: "n")!) == nil)
            // GEOMETRY: bytes (SRID, then WKB).
            #expect(try value([UInt8].self, "g").count == 25, "\(format)")
            // Codable rows decode the same in both protocols.
            let record = try row.decode(Record.self)
            #expect(
                record
                    == Record(
                        i: -5, vc: uuid.uuidString, df: 12.34, dt: noon, u: uuid, n: nil, tier: .gold, missing: nil),
                "\(format)")
        }
        // TIMESTAMP values are converted between UTC and the session time zone in both directions.
        try await conn.execute("SET time_zone = '+02:00'")
        try await conn.execute("UPDATE conv SET ts = \(MySQLDateTime(year: 2024, month: 5, day: 1, hour: 12)!)")
        let local = try await conn.query("SELECT ts, \(1) FROM conv").collect()[0]
        #expect(try local.decode(MySQLDateTime.self, at: 0) == MySQLDateTime(year: 2024, month: 5, day: 1, hour: 12))
        try await conn.execute("SET time_zone = '+00:00'")
        let utc = try await conn.query("SELECT ts, \(1) FROM conv").collect()[0]
        #expect(try utc.decode(MySQLDateTime.self, at: 0) == MySQLDateTime(year: 2024, month: 5, day: 1, hour: 10))
        #expect(try utc.decode(Date.self, at: 0) == Date(timeIntervalSince1970: 1_714_557_600))
        await conn.close()
    }
}

// MARK: - Comparisons

/// Floating-point values compare by bit pattern, except that `-0.0` comes back as `0.0`: the
/// parameter arrives as -0 (`ATAN2(?, -1)` is -π, checked in `double()`), but MariaDB stores
/// and sends every zero as +0 (`SELECT ?` too), and prints it as `0`.
private func sameBits(_ written: Float, _ read: Float) -> Bool {
    written.bitPattern == read.bitPattern || (written == 0 && read.bitPattern == 0)
}
private func sameBits(_ written: Double, _ read: Double) -> Bool {
    written.bitPattern == read.bitPattern || (written == 0 && read.bitPattern == 0)
}
/// Strings compare by their UTF-8 bytes: Swift's `==` would call "e\u{301}" and "é" equal.
private func sameUTF8(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

private func abbreviated(_ value: String) -> String { "\(value.utf8.count) UTF-8 bytes: \(value.prefix(20))…" }
private func abbreviated(_ value: [UInt8]) -> String {
    "\(value.count) bytes: \(value.prefix(16).map { String(format: "%02x", $0) }.joined())…"
}

/// The Double nearest to `seconds` + `microsecond` µs, by Swift's correctly rounded decimal
/// parser (independent of the library's arithmetic).
private func nearestSeconds(_ seconds: Int64, _ microsecond: Int64) -> Double {
    let total = seconds * 1_000_000 + microsecond
    let (whole, fraction) = total.quotientAndRemainder(dividingBy: 1_000_000)
    let digits = String(fraction.magnitude)
    return Double(
        "\(total < 0 ? "-" : "")\(whole.magnitude).\(String(repeating: "0", count: 6 - digits.count))\(digits)")!
}

// MARK: - The harness

/// One value that did not survive, and how.
private struct RoundTripMismatch: CustomStringConvertible {
    enum Check: String {
        case insert = "INSERT"
        case text = "text protocol"
        case binary = "binary protocol"
        case textForm = "textBytes(at:) text vs binary"
    }
    var column: String
    var check: Check
    var index: Int
    var detail: String

    var description: String { "\(column), value #\(index), \(check.rawValue): \(detail)" }
}

/// One connection, one family of column types, one seeded generator.
private struct RoundTrip {
    let conn: MySQLConnection
    let family: String
    var rng: SplitMix64
    var tables = 0
    var mismatches: [RoundTripMismatch] = []

    init(_ family: String) async throws {
        conn = try await LiveServer.connect()
        self.family = family
        // Each family has its own stream (FNV-1a of its name), so tests do not depend on order.
        let hash = family.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        rng = SplitMix64(seed: LiveRoundTripTests.seed ^ hash)
    }

    var seedNote: String { "seed \(LiveRoundTripTests.seed) (MYSQLWIRE_ROUNDTRIP_SEED), family \(family)" }

    mutating func check<T: MySQLEncodable & MySQLDecodable & Equatable>(
        _ column: String, _ values: [T], textProtocol: Bool = true
    ) async throws {
        try await check(column, values, textProtocol: textProtocol, same: ==)
    }

    mutating func check<T: MySQLEncodable & MySQLDecodable & Equatable>(
        _ column: String, _ values: [T], show: (T) -> String
    ) async throws {
        try await check(column, values, same: ==, show: show)
    }

    /// Values written as one Swift type, read back as another (an integer into BIT, read as UInt64).
    mutating func check<T: MySQLEncodable & BinaryInteger, U: MySQLDecodable & BinaryInteger>(
        _ column: String, _ values: [T], decodeAs: U.Type
    ) async throws {
        try await run(
            column, values, textProtocol: true, show: { "\($0)" },
            compare: { row, value in
                let read = try row.decode(U.self, at: 1)
                return read == U(value) ? nil : "read \(read)"
            })
    }

    /// Writes `values` (row `id` = index; even ones with an explicit prepared INSERT, odd ones by
    /// interpolation into `conn.execute`), reads them back in both protocols and compares.
    mutating func check<T: MySQLEncodable & MySQLDecodable>(
        _ column: String, _ values: [T], textProtocol: Bool = true, same: (T, T) -> Bool,
        show: (T) -> String = { String(reflecting: $0) }
    ) async throws {
        try await run(column, values, textProtocol: textProtocol, show: show) { row, value in
            let read = try row.decode(T.self, at: 1)
            return same(value, read) ? nil : "read \(show(read))"
        }
    }

    private mutating func run<T: MySQLEncodable>(
        _ column: String, _ values: [T], textProtocol: Bool, show: (T) -> String,
        compare: (MySQLRow, T) throws -> String?
    ) async throws {
        tables += 1
        let table = "rt_\(family)_\(tables)"
        let create = "CREATE TEMPORARY TABLE \(table) (id INT PRIMARY KEY, v \(column))"
        try await conn.execute(create)
        let insert = try await conn.prepare("INSERT INTO \(table) (id, v) VALUES (?, ?)")
        for (index, value) in values.enumerated() {
            do {
                if index.isMultiple(of: 2) {
                    try await insert.execute([index, value])
                } else {
                    try await conn.execute("INSERT INTO \(unescaped: table) (id, v) VALUES (\(index), \(value))")
                }
            } catch {
                record(column, .insert, index, "writing \(show(value)) failed: \(error)")
            }
        }
        try await insert.close()

        let select = "SELECT id, v FROM \(table) ORDER BY id"
        let textRows = try await conn.query(select).collect()
        let statement = try await conn.prepare(select)
        let binaryRows = try await statement.query().collect()
        try await statement.close()
        #expect(
            textRows.allSatisfy { $0.batch.format == .text } && binaryRows.allSatisfy { $0.batch.format == .binary })
        if LiveRoundTripTests.verbose, let t = textRows.first, let b = binaryRows.first {
            print("\(column): text \(t.columns.definitions[1].shape), binary \(b.columns.definitions[1].shape)")
        }
        let text = try Dictionary(uniqueKeysWithValues: textRows.map { (try $0.decode(Int.self, at: 0), $0) })
        let binary = try Dictionary(uniqueKeysWithValues: binaryRows.map { (try $0.decode(Int.self, at: 0), $0) })

        for (index, value) in values.enumerated() {
            guard let t = text[index], let b = binary[index] else {
                record(column, .text, index, "\(show(value)): row missing")
                continue
            }
            for (row, check) in [(t, RoundTripMismatch.Check.text), (b, .binary)] where check == .binary || textProtocol
            {
                do {
                    if let problem = try compare(row, value) {
                        record(
                            column, check, index, "wrote \(show(value)), \(problem); bytes \(render(row.bytes(at: 1)))")
                    }
                } catch {
                    record(
                        column, check, index,
                        "wrote \(show(value)), decoding threw: \(error); bytes \(render(row.bytes(at: 1)))")
                }
            }
            let serverText = try t.textBytes(at: 1)
            let libraryText = try b.textBytes(at: 1)
            if serverText != libraryText {
                record(
                    column, .textForm, index,
                    "wrote \(show(value)): server sent \(render(serverText)), binary row gives \(render(libraryText))")
            }
        }
        try await conn.execute("DROP TEMPORARY TABLE \(unescaped: table)")
    }

    private mutating func record(
        _ column: String, _ check: RoundTripMismatch.Check, _ index: Int, _ detail: String
    ) {
        mismatches.append(RoundTripMismatch(column: column, check: check, index: index, detail: detail))
    }

    /// Records every mismatch as an issue, at most 10 in full.
    func expectNoMismatches(sourceLocation: SourceLocation = #_sourceLocation) {
        for mismatch in mismatches.prefix(10) {
            Issue.record("\(seedNote): \(mismatch)", sourceLocation: sourceLocation)
        }
        if mismatches.count > 10 {
            Issue.record("\(seedNote): \(mismatches.count - 10) more mismatches", sourceLocation: sourceLocation)
        }
    }
}

extension RoundTrip {
    /// The limits, ±1 around zero, and random values of `range`, written and read as `T`.
    mutating func integers<T: FixedWidthInteger & MySQLEncodable & MySQLDecodable>(
        _ column: String, _ range: ClosedRange<T>
    ) async throws {
        var values = [range.lowerBound, range.upperBound, range.lowerBound + 1, range.upperBound - 1, 0]
        values += [1, -1].compactMap { T(exactly: $0) }.filter(range.contains)
        for _ in 0..<40 { values.append(T.random(in: range, using: &rng)) }
        // Small magnitudes too: uniform values of a 64-bit range are almost all huge.
        for _ in 0..<20 {
            values.append(T(clamping: Int.random(in: -1000...1000, using: &rng)).clamped(to: range))
        }
        try await check(column, values)
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

/// `NULL`, the text when it is printable UTF-8 (up to 80 characters), else hex (up to 48 bytes).
private func render(_ bytes: ArraySlice<UInt8>?) -> String {
    guard let bytes else { return "NULL" }
    if let text = String(validating: bytes, as: UTF8.self),
        !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" })
    {
        return text.count > 80 ? "\"\(text.prefix(80))…\" (\(bytes.count) bytes)" : "\"\(text)\""
    }
    let hex = bytes.prefix(48).map { String(format: "%02x", $0) }.joined()
    return "0x\(hex)\(bytes.count > 48 ? "…" : "") (\(bytes.count) bytes)"
}

/// The DATETIME fields of a UTC instant (proleptic Gregorian, days-from-civil inverted).
private func civilDateTime(secondsSince1970 seconds: Int64, microsecond: Int) -> MySQLDateTime {
    let days = Int(seconds.quotientAndRemainder(dividingBy: 86_400).quotient)
    let secondOfDay = Int(seconds) - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return MySQLDateTime(
        year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
        second: secondOfDay % 60, microsecond: microsecond)!
}

// MARK: - Seeded random values

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same sequence on every platform.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: next().littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 48...57, using: &self))) })
    }

    /// Scalars from ASCII (controls and NUL included), Latin, Greek, CJK, combining marks,
    /// emoji and the supplementary planes; never a surrogate.
    mutating func string(maxScalars: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x20...0x7E, 0x20...0x7E, 0xA0...0xFF, 0x370...0x3FF, 0x300...0x36F, 0x4E00...0x9FFF,
            0x1F300...0x1F64F, 0xE000...0xF8FF, 0x10000...0x10FFFF,
        ]
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxScalars, using: &self) {
            let range = ranges.randomElement(using: &self)!
            text.append(Unicode.Scalar(UInt32.random(in: range, using: &self))!)
        }
        return String(text)
    }

    mutating func date(years: ClosedRange<Int>) -> MySQLDate {
        let year = Int.random(in: years, using: &self)
        let month = Int.random(in: 1...12, using: &self)
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return MySQLDate(year: year, month: month, day: Int.random(in: 1...length, using: &self))!
    }

    mutating func dateTime(years: ClosedRange<Int>, microseconds: Bool) -> MySQLDateTime {
        let date = date(years: years)
        return MySQLDateTime(
            year: date.year, month: date.month, day: date.day, hour: Int.random(in: 0...23, using: &self),
            minute: Int.random(in: 0...59, using: &self), second: Int.random(in: 0...59, using: &self),
            microsecond: microseconds ? Int.random(in: 0...999_999, using: &self) : 0)!
    }

    /// A JSON document as a person might write it: nested objects and arrays, escapes,
    /// non-ASCII text, numbers of every shape, irregular spacing.
    mutating func json(depth: Int) -> String {
        let space = [" ", "", "\n  "].randomElement(using: &self)!
        switch Int.random(in: depth > 0 ? 0...6 : 2...6, using: &self) {
        case 0:
            let members = (0..<Int.random(in: 0...4, using: &self)).map { _ in
                "\(jsonString()):\(space)\(json(depth: depth - 1))"
            }
            return "{" + members.joined(separator: ",\(space)") + "}"
        case 1:
            let elements = (0..<Int.random(in: 0...4, using: &self)).map { _ in json(depth: depth - 1) }
            return "[" + elements.joined(separator: ",\(space)") + "]"
        case 2: return jsonString()
        case 3: return "\(Int64.random(in: .min ... .max, using: &self))"
        case 4:
            return
                "\(Double(Int.random(in: -99999...99999, using: &self)) / 64)e\(Int.random(in: -5...5, using: &self))"
        case 5: return ["true", "false", "null"].randomElement(using: &self)!
        default: return "\"\\u00e9\\n\\\"\\\\😀\""
        }
    }

    private mutating func jsonString() -> String {
        var text = "\""
        for scalar in string(maxScalars: 8).unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
