import Foundation
import Testing

@testable import MySQLWireProtocol

@Suite("DATE, DATETIME, TIMESTAMP and TIME values")
struct ValuesTemporalTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// 2001-01-01 00:00:00 UTC plus `seconds`, built independently of the code under test.
    static func reference(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
        zone: TimeZone = utc
    ) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    @Test(arguments: ["2024-02-29", "0000-00-00", "2024-00-00", "1000-01-01", "9999-12-31", "2024-02-31"])
    func dateTextRoundTrip(_ text: String) throws {
        let value = try decodeText(MySQLDate.self, text, valueColumn(.date))
        #expect(value.description == text)
        #expect(try decodeText(String.self, text, valueColumn(.date)) == text)
    }

    @Test func dateParts() throws {
        let value = try decodeText(MySQLDate.self, "2024-07-05", valueColumn(.date))
        #expect(value.year == 2024 && value.month == 7 && value.day == 5)
        #expect(!value.isZero && value.isValid)
        let zero = try decodeText(MySQLDate.self, "0000-00-00", valueColumn(.date))
        #expect(zero.isZero && zero == .zero && !zero.isValid)
        let partial = try decodeText(MySQLDate.self, "2024-00-00", valueColumn(.date))
        #expect(!partial.isZero && partial.year == 2024 && partial.month == 0)
        #expect(MySQLDate(year: 2024, month: 13, day: 1) == nil)
        #expect(MySQLDate(year: 10000, month: 1, day: 1) == nil)
        #expect(MySQLDate(year: 2024, month: 2, day: 30)?.isValid == false)
    }

    @Test(arguments: [
        "2024-01-02 03:04:05", "0000-00-00 00:00:00", "2024-12-31 23:59:59.999999", "2024-06-01 12:00:00.5",
        "2024-06-01 12:00:00.000000", "2024-06-01 12:00:00.120", "1970-01-01 00:00:00.000001",
    ])
    func dateTimeTextRoundTrip(_ text: String) throws {
        let value = try decodeText(MySQLDateTime.self, text, valueColumn(.datetime))
        #expect(value.description == text)
        #expect(try decodeText(MySQLDateTime.self, text, valueColumn(.timestamp)).description == text)
    }

    @Test func dateTimeParts() throws {
        let value = try decodeText(
            MySQLDateTime.self, "2024-06-01 12:34:56.123456", valueColumn(.datetime, decimals: 6))
        #expect(value.year == 2024 && value.month == 6 && value.day == 1)
        #expect(value.hour == 12 && value.minute == 34 && value.second == 56 && value.microsecond == 123_456)
        #expect(value.fractionDigits == 6)
        #expect(value.datePart == MySQLDate(year: 2024, month: 6, day: 1))
        let short = try decodeText(MySQLDateTime.self, "2024-06-01 12:34:56.5", valueColumn(.datetime, decimals: 1))
        #expect(short.microsecond == 500_000 && short.fractionDigits == 1)
        let zero = try decodeText(MySQLDateTime.self, "0000-00-00 00:00:00", valueColumn(.datetime))
        #expect(zero.isZero && zero == .zero)
        // Equality ignores how many fraction digits are shown.
        let plain = try decodeText(MySQLDateTime.self, "2024-06-01 12:00:00", valueColumn(.datetime))
        let padded = try decodeText(MySQLDateTime.self, "2024-06-01 12:00:00.000", valueColumn(.datetime))
        #expect(plain == padded && plain.hashValue == padded.hashValue)
        // A DATE column decodes into MySQLDateTime as midnight.
        let midnight = try decodeText(MySQLDateTime.self, "2024-06-01", valueColumn(.date))
        #expect(midnight.description == "2024-06-01 00:00:00")
        #expect(MySQLDateTime(year: 2024, month: 1, day: 1, hour: 24) == nil)
        #expect(
            MySQLDateTime(year: 2024, month: 1, day: 1, microsecond: 5)?.description == "2024-01-01 00:00:00.000005")
        #expect(
            MySQLDateTime(year: 2024, month: 1, day: 1, microsecond: 500_000, fractionDigits: 3)?.description
                == "2024-01-01 00:00:00.500")
    }

    @Test func dateTimeMalformedText() {
        for text in [
            "", "2024-01-01T00:00:00", "2024-01-01 00:00", "2024-1-01 00:00:00", "2024-13-01 00:00:00",
            "2024-01-32 00:00:00", "2024-01-01 24:00:00", "2024-01-01 00:60:00", "2024-01-01 00:00:60",
            "2024-01-01 00:00:00.", "2024-01-01 00:00:00.1234567", "2024-01-01 00:00:00.12a", "2024-01-01 00:00:00 ",
        ] {
            expectDecodingError("DATETIME value into MySQLDateTime", "malformed") {
                _ = try decodeText(MySQLDateTime.self, text, valueColumn(.datetime))
            }
        }
        for text in ["", "2024-01-01 00:00:00", "2024/01/01", "2024-01-1", "24-01-01", "2024-01-01 "] {
            expectDecodingError("DATE value into MySQLDate", "malformed") {
                _ = try decodeText(MySQLDate.self, text, valueColumn(.date))
            }
        }
    }

    @Test(arguments: [
        "-838:59:59.000000", "838:59:59", "00:00:00.5", "123:00:00", "-00:00:01", "12:34:56.789", "00:00:00",
        "-12:00:00.000001",
    ])
    func timeTextRoundTrip(_ text: String) throws {
        let value = try decodeText(MySQLTime.self, text, valueColumn(.time))
        #expect(value.description == text)
    }

    @Test func timeParts() throws {
        let minimum = try decodeText(MySQLTime.self, "-838:59:59.000000", valueColumn(.time, decimals: 6))
        #expect(minimum.isNegative && minimum.hours == 838 && minimum.minutes == 59 && minimum.seconds == 59)
        #expect(minimum.fractionDigits == 6)
        #expect(minimum.totalMicroseconds == -3_020_399_000_000)
        #expect(minimum.timeInterval == -3_020_399)
        #expect(minimum.duration == .seconds(-3_020_399))
        let half = try decodeText(MySQLTime.self, "00:00:00.5", valueColumn(.time, decimals: 1))
        #expect(half.microseconds == 500_000 && half.timeInterval == 0.5 && half.duration == .milliseconds(500))
        #expect(MySQLTime(.seconds(-3_020_399))?.description == "-838:59:59")
        #expect(MySQLTime(.milliseconds(1500))?.description == "00:00:01.500000")
        #expect(MySQLTime(.seconds(3_020_400)) == nil)
        #expect(MySQLTime(hours: 839, minutes: 0, seconds: 0) == nil)
        #expect(MySQLTime(hours: 838, minutes: 59, seconds: 59, microseconds: 1) == nil)
        #expect(MySQLTime(isNegative: true, hours: 1, minutes: 2, seconds: 3)?.description == "-01:02:03")
        #expect(
            try decodeText(MySQLTime.self, "-00:00:00", valueColumn(.time))
                == MySQLTime(hours: 0, minutes: 0, seconds: 0))
    }

    @Test func timeMalformedText() {
        for text in [
            "", "-", "839:00:00", "1000:00:00", "12:60:00", "12:00:60", "12:00", "12:00:00.", "12:00:00.1234567",
            "+12:00:00", "a:00:00", "12:00:00 ",
        ] {
            expectDecodingError("TIME value into MySQLTime", "malformed") {
                _ = try decodeText(MySQLTime.self, text, valueColumn(.time))
            }
        }
    }

    @Test func binaryDateTimeLengths() throws {
        let column = valueColumn(.datetime, decimals: 0)
        let zero = try decodeBinary(MySQLDateTime.self, [], column)
        #expect(zero.isZero && zero.description == "0000-00-00 00:00:00")
        let dateOnly = try decodeBinary(MySQLDateTime.self, littleEndian(UInt16(2024)) + [2, 29], column)
        #expect(dateOnly.description == "2024-02-29 00:00:00")
        let seconds = try decodeBinary(MySQLDateTime.self, littleEndian(UInt16(2024)) + [2, 29, 13, 14, 15], column)
        #expect(seconds.description == "2024-02-29 13:14:15")
        let micro = try decodeBinary(
            MySQLDateTime.self, littleEndian(UInt16(2024)) + [2, 29, 13, 14, 15] + littleEndian(UInt32(123_456)),
            valueColumn(.datetime, decimals: 6))
        #expect(micro.description == "2024-02-29 13:14:15.123456")
        let milli = try decodeBinary(
            MySQLDateTime.self, littleEndian(UInt16(2024)) + [2, 29, 13, 14, 15] + littleEndian(UInt32(120_000)),
            valueColumn(.timestamp, decimals: 3))
        #expect(milli.description == "2024-02-29 13:14:15.120")
        #expect(
            try decodeBinary(MySQLDateTime.self, [], valueColumn(.datetime, decimals: 6)).description
                == "0000-00-00 00:00:00.000000")
        for length in [1, 2, 3, 5, 6, 8, 10, 12] {
            expectDecodingError(
                "DATETIME value into MySQLDateTime", "binary value has \(length) bytes; expected 0, 4, 7 or 11"
            ) {
                _ = try decodeBinary(MySQLDateTime.self, [UInt8](repeating: 1, count: length), column)
            }
        }
        expectDecodingError("fields out of range") {
            _ = try decodeBinary(MySQLDateTime.self, littleEndian(UInt16(2024)) + [13, 1], column)
        }
        // DATE columns: into MySQLDate, MySQLDateTime, Date and String.
        let dateColumn = valueColumn(.date)
        #expect(
            try decodeBinary(MySQLDate.self, littleEndian(UInt16(2024)) + [7, 5], dateColumn).description
                == "2024-07-05")
        #expect(try decodeBinary(MySQLDate.self, [], dateColumn) == .zero)
        #expect(try decodeBinary(String.self, littleEndian(UInt16(2024)) + [7, 5], dateColumn) == "2024-07-05")
        #expect(
            try decodeBinary(Date.self, littleEndian(UInt16(2024)) + [7, 5], dateColumn) == Self.reference(2024, 7, 5))
        expectDecodingError("binary value has 3 bytes") {
            _ = try decodeBinary(MySQLDate.self, [1, 2, 3], dateColumn)
        }
    }

    @Test func binaryTimeLengths() throws {
        let column = valueColumn(.time)
        #expect(try decodeBinary(MySQLTime.self, [], column).description == "00:00:00")
        let long = try decodeBinary(MySQLTime.self, [1] + littleEndian(UInt32(34)) + [22, 59, 59], column)
        #expect(long.description == "-838:59:59")
        #expect(long.hours == 838 && long.isNegative)
        let micro = try decodeBinary(
            MySQLTime.self, [0] + littleEndian(UInt32(0)) + [1, 2, 3] + littleEndian(UInt32(500_000)),
            valueColumn(.time, decimals: 1))
        #expect(micro.description == "01:02:03.5")
        #expect(micro.timeInterval == 3723.5)
        #expect(try decodeBinary(String.self, [0] + littleEndian(UInt32(5)) + [1, 0, 0], column) == "121:00:00")
        for length in [1, 4, 7, 9, 11, 13] {
            expectDecodingError("TIME value into MySQLTime", "binary value has \(length) bytes; expected 0, 8 or 12") {
                _ = try decodeBinary(MySQLTime.self, [UInt8](repeating: 0, count: length), column)
            }
        }
        expectDecodingError("fields out of range") {
            _ = try decodeBinary(MySQLTime.self, [0] + littleEndian(UInt32(35)) + [0, 0, 0], column)
        }
    }

    @Test func foundationDateUTC() throws {
        let column = valueColumn(.datetime, decimals: 6)
        let value = try decodeText(Date.self, "2024-03-10 12:34:56.250000", column)
        #expect(value == Self.reference(2024, 3, 10, 12, 34, 56).addingTimeInterval(0.25))
        #expect(
            try decodeText(Date.self, "1970-01-01 00:00:00", valueColumn(.timestamp)) == Date(timeIntervalSince1970: 0))
        #expect(
            try decodeText(Date.self, "1969-12-31 23:59:59", valueColumn(.datetime)) == Date(timeIntervalSince1970: -1))
        #expect(try decodeText(Date.self, "2024-07-05", valueColumn(.date)) == Self.reference(2024, 7, 5))
        #expect(
            try decodeBinary(Date.self, littleEndian(UInt16(2000)) + [2, 29, 23, 59, 59], valueColumn(.datetime))
                == Self.reference(2000, 2, 29, 23, 59, 59))
        // Proleptic Gregorian: 1000-01-01 is 354 285 days before 1970-01-01 (not Foundation's Julian date).
        #expect(
            try decodeText(Date.self, "1000-01-01 00:00:00", valueColumn(.datetime))
                == Date(timeIntervalSince1970: -30_610_224_000))
        #expect(
            try decodeText(Date.self, "9999-12-31 23:59:59", valueColumn(.datetime))
                == Date(timeIntervalSince1970: 253_402_300_799))
        for text in ["0000-00-00 00:00:00", "2024-00-10 00:00:00", "2024-02-30 00:00:00"] {
            expectDecodingError("DATETIME value into Date", "is not a valid date; decode as MySQLDateTime") {
                _ = try decodeText(Date.self, text, valueColumn(.datetime))
            }
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Date?.self)") {
            _ = try decodeText(Date.self, nil, valueColumn(.datetime))
        }
        expectDecodingError("TIME value into Date: unsupported column type") {
            _ = try decodeText(Date.self, "12:00:00", valueColumn(.time))
        }
        #expect(try decodeText(Date?.self, nil, valueColumn(.datetime)) == nil)
    }

    /// A decoded Date is the Double nearest to the instant, whatever the year: checked against
    /// Swift's correctly rounded decimal parser, and by a Date → DATETIME(6) → Date round trip.
    @Test func foundationDateRoundsOnce() throws {
        var generator = SystemRandomNumberGenerator()
        var micros: [Int64] = [-1, 1, 1_003_969, -999_999, 999_999, 1, 4_503_599_627_370_497, -8_000_000_000_000_001]
        for _ in 0..<20_000 {
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: micros.append(Int64.random(in: -3_600_000_000...3_600_000_000, using: &generator))  // ±1 h of 2001
            case 1: micros.append(Int64.random(in: -9_007_199_254_740_992...9_007_199_254_740_992, using: &generator))
            default:
                micros.append(Int64.random(in: -63_113_904_000_000_000...252_423_993_599_999_999, using: &generator))
            }
        }
        for total in micros {
            let (seconds, fraction) = total.quotientAndRemainder(dividingBy: 1_000_000)
            let sign = total < 0 ? "-" : ""
            let fractionText = String(fraction.magnitude)
            let decimal =
                "\(sign)\(seconds.magnitude).\(String(repeating: "0", count: 6 - fractionText.count))\(fractionText)"
            let nearest = Double(decimal)!
            let decoded = MySQLDateTime.secondsRoundedOnce(microseconds: total)
            #expect(decoded.bitPattern == nearest.bitPattern, "\(decimal): \(decoded) is not the nearest \(nearest)")
            guard decoded.bitPattern == nearest.bitPattern else { return }
            // The encoder picks that microsecond back from the Date (years 1...9999 only).
            guard total >= -63_113_904_000_000_000 else { continue }
            let date = Date(timeIntervalSinceReferenceDate: nearest)
            let stored = MySQLDateTime(date, timeZone: Self.utc)
            #expect(try stored.date(in: Self.utc) == date, "\(decimal) → \(stored)")
        }
    }

    @Test func conversionsInUTC() throws {
        let value = MySQLDateTime(
            year: 2024, month: 3, day: 10, hour: 12, minute: 34, second: 56, microsecond: 123_456)!
        let date = try value.date(in: Self.utc)
        #expect(abs(date.timeIntervalSince(Self.reference(2024, 3, 10, 12, 34, 56)) - 0.123456) < 1e-6)
        #expect(MySQLDateTime(date, timeZone: Self.utc) == value)
        #expect(MySQLDateTime(date, timeZone: Self.utc).description == "2024-03-10 12:34:56.123456")
        #expect(MySQLDateTime(Self.reference(2024, 3, 10), timeZone: Self.utc).description == "2024-03-10 00:00:00")
        #expect(
            MySQLDateTime(Date(timeIntervalSince1970: -0.5), timeZone: Self.utc).description
                == "1969-12-31 23:59:59.500000")
        #expect(MySQLDate(Date(timeIntervalSince1970: 86_399), timeZone: Self.utc).description == "1970-01-01")
        #expect(try MySQLDate(year: 2024, month: 2, day: 29)!.date(in: Self.utc) == Self.reference(2024, 2, 29))
        let error = thrownError { _ = try MySQLDateTime.zero.date(in: Self.utc) } as? MySQLError
        #expect(error?.kind == .decoding)
        #expect(throws: MySQLError.self) { try MySQLDate.zero.date(in: Self.utc) }
        #expect(throws: MySQLError.self) { try MySQLDate(year: 2023, month: 2, day: 29)!.date(in: Self.utc) }
    }

    @Test func conversionsInBerlinAcrossDST() throws {
        let berlin = Self.berlin
        func local(_ text: String) -> MySQLDateTime {
            try! decodeText(MySQLDateTime.self, text, valueColumn(.datetime))
        }
        // Winter (UTC+1) and summer (UTC+2).
        #expect(try local("2024-01-15 12:00:00").date(in: berlin) == Self.reference(2024, 1, 15, 11))
        #expect(try local("2024-07-15 12:00:00").date(in: berlin) == Self.reference(2024, 7, 15, 10))
        // Either side of the spring change (02:00 CET -> 03:00 CEST on 2024-03-31).
        #expect(try local("2024-03-31 01:59:59").date(in: berlin) == Self.reference(2024, 3, 31, 0, 59, 59))
        #expect(try local("2024-03-31 03:00:00").date(in: berlin) == Self.reference(2024, 3, 31, 1))
        // A skipped time moves forward by the gap: 02:30 is read as 03:30 CEST.
        #expect(try local("2024-03-31 02:30:00").date(in: berlin) == Self.reference(2024, 3, 31, 1, 30))
        // A repeated time (03:00 CEST -> 02:00 CET on 2024-10-27) gives the earlier instant.
        #expect(try local("2024-10-27 02:30:00").date(in: berlin) == Self.reference(2024, 10, 27, 0, 30))
        #expect(try local("2024-10-27 03:30:00").date(in: berlin) == Self.reference(2024, 10, 27, 2, 30))
        // Back from instants to Berlin wall-clock time.
        #expect(
            MySQLDateTime(Self.reference(2024, 10, 27, 0, 30), timeZone: berlin).description == "2024-10-27 02:30:00")
        #expect(
            MySQLDateTime(Self.reference(2024, 10, 27, 1, 30), timeZone: berlin).description == "2024-10-27 02:30:00")
        #expect(MySQLDateTime(Self.reference(2024, 3, 31, 1), timeZone: berlin).description == "2024-03-31 03:00:00")
        #expect(MySQLDate(Self.reference(2024, 6, 30, 22, 30), timeZone: berlin).description == "2024-07-01")
        #expect(try MySQLDate(year: 2024, month: 7, day: 1)!.date(in: berlin) == Self.reference(2024, 6, 30, 22))
        // Round trips through every hour of a DST-changing week agree with Foundation's calendar.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        for hour in 0..<(24 * 8) {
            let instant = Self.reference(2024, 10, 23).addingTimeInterval(Double(hour) * 3600 + 0.25)
            let wallClock = MySQLDateTime(instant, timeZone: berlin)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            #expect(wallClock.year == parts.year && wallClock.month == parts.month && wallClock.day == parts.day)
            #expect(
                wallClock.hour == parts.hour && wallClock.minute == parts.minute && wallClock.second == parts.second)
            #expect(wallClock.microsecond == 250_000)
            let back = try wallClock.date(in: berlin)
            // Only the repeated hour is ambiguous; it resolves to the earlier instant.
            #expect(back == instant || back == instant.addingTimeInterval(-3600), "\(wallClock)")
        }
    }

    @Test func unsupportedAndNull() {
        expectDecodingError("DATETIME value into MySQLDate: unsupported column type") {
            _ = try decodeText(MySQLDate.self, "2024-01-01 00:00:00", valueColumn(.datetime))
        }
        expectDecodingError("VAR_STRING value into MySQLDateTime: unsupported column type") {
            _ = try decodeText(MySQLDateTime.self, "2024-01-01 00:00:00", valueColumn(.varString))
        }
        expectDecodingError("DATETIME value into MySQLTime: unsupported column type") {
            _ = try decodeText(MySQLTime.self, "12:00:00", valueColumn(.datetime))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. MySQLTime?.self)") {
            _ = try decodeBinary(MySQLTime.self, nil, valueColumn(.time))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. MySQLDate?.self)") {
            _ = try decodeText(MySQLDate.self, nil, valueColumn(.date))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. MySQLDateTime?.self)") {
            _ = try decodeText(MySQLDateTime.self, nil, valueColumn(.datetime))
        }
    }

    @Test func ordering() throws {
        let times = ["-838:59:59", "-00:00:01", "00:00:00", "00:00:00.5", "01:00:00", "838:59:59"]
        let parsedTimes = try times.map { try decodeText(MySQLTime.self, $0, valueColumn(.time)) }
        #expect(parsedTimes == parsedTimes.shuffled().sorted())
        let stamps = [
            "0000-00-00 00:00:00", "2023-12-31 23:59:59.999999", "2024-01-01 00:00:00", "2024-01-01 00:00:00.000001",
        ]
        let parsedStamps = try stamps.map { try decodeText(MySQLDateTime.self, $0, valueColumn(.datetime)) }
        #expect(parsedStamps == parsedStamps.shuffled().sorted())
        #expect(MySQLDate.zero < MySQLDate(year: 2024, month: 0, day: 0)!)
        #expect(MySQLDate(year: 2024, month: 0, day: 0)! < MySQLDate(year: 2024, month: 1, day: 1)!)
    }

    @Test func negativeDurations() {
        #expect(MySQLTime(.milliseconds(-1500))?.description == "-00:00:01.500000")
        #expect(MySQLTime(.milliseconds(-1500))?.totalMicroseconds == -1_500_000)
        #expect(MySQLTime(.nanoseconds(-1))?.totalMicroseconds == 0)
        #expect(MySQLTime(.seconds(-3_020_400)) == nil)
        #expect(
            MySQLTime(isNegative: true, hours: 0, minutes: 0, seconds: 1, microseconds: 500_000)?.duration
                == .milliseconds(-1500))
    }

    @Test func optionals() throws {
        #expect(try decodeText(MySQLDate?.self, nil, valueColumn(.date)) == nil)
        #expect(try decodeText(MySQLTime?.self, "01:00:00", valueColumn(.time))?.hours == 1)
        #expect(try decodeBinary(MySQLDateTime?.self, [], valueColumn(.datetime)) == .zero)
    }
}
