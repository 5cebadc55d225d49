import Foundation
import Testing

@testable import MySQLWireProtocol

/// Expected bytes below are written out by hand from the protocol's "Binary Protocol Value"
/// layouts (little-endian fixed widths, length byte plus fields for temporal values,
/// length-encoded strings), never computed with the encoders.
@Suite("Prepared-statement parameter encoding")
struct ParameterEncodingTests {
    /// A byte already in the buffer, which encoding must leave alone.
    static let marker: UInt8 = 0xA5

    /// The bytes `value` appends and the type it announces.
    static func encode(
        _ value: some MySQLEncodable, sourceLocation: SourceLocation = #_sourceLocation
    ) throws(MySQLError) -> (bytes: [UInt8], type: MySQLParameterType) {
        var buffer: [UInt8] = [marker]
        let type = try value.encodeMySQLParameter(into: &buffer)
        #expect(
            buffer.first == marker && !buffer.isEmpty, "bytes before the value changed", sourceLocation: sourceLocation)
        return (Array(buffer.dropFirst()), type)
    }

    static func expectEncoding(
        _ value: some MySQLEncodable, _ expected: [UInt8], _ type: MySQLParameterType,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (bytes, announced) = try encode(value, sourceLocation: sourceLocation)
        #expect(bytes == expected, "\(value)", sourceLocation: sourceLocation)
        #expect(announced == type, "\(value)", sourceLocation: sourceLocation)
    }

    /// The content of a length-encoded string that is the whole of `bytes`, as a binary row
    /// hands it to a decoder.
    static func lengthEncodedContent(_ bytes: [UInt8]) throws -> [UInt8] {
        var reader = ByteReader(bytes[...], context: "test value")
        let content = try reader.readLengthEncodedBytes()
        #expect(reader.isAtEnd)
        return Array(content)
    }

    /// The fields after a temporal value's length byte, which must count them.
    static func lengthPrefixedFields(_ bytes: [UInt8]) -> [UInt8] {
        #expect(bytes.first.map(Int.init) == bytes.count - 1)
        return Array(bytes.dropFirst())
    }

    static let utc = TimeZone(identifier: "UTC")!

    /// A UTC instant built with Foundation's calendar, independently of the code under test.
    static func utcDate(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
        plus fraction: Double = 0
    ) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        let whole = calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
        return whole.addingTimeInterval(fraction)
    }

    static func invalidUsageMessage(_ body: () throws -> Void) -> String? {
        guard let error = thrownError(body) as? MySQLError, error.kind == .invalidUsage else { return nil }
        return error.message
    }

    // MARK: - Integers, Bool, floating point

    @Test func signedIntegers() throws {
        try Self.expectEncoding(Int8(-1), [0xFF], MySQLParameterType(.tiny))
        try Self.expectEncoding(Int8.min, [0x80], MySQLParameterType(.tiny))
        try Self.expectEncoding(Int8.max, [0x7F], MySQLParameterType(.tiny))
        try Self.expectEncoding(Int16(-2), [0xFE, 0xFF], MySQLParameterType(.short))
        try Self.expectEncoding(Int16(0x1234), [0x34, 0x12], MySQLParameterType(.short))
        try Self.expectEncoding(Int16.min, [0x00, 0x80], MySQLParameterType(.short))
        try Self.expectEncoding(Int32(0x1234_5678), [0x78, 0x56, 0x34, 0x12], MySQLParameterType(.long))
        try Self.expectEncoding(Int32(-1), [0xFF, 0xFF, 0xFF, 0xFF], MySQLParameterType(.long))
        try Self.expectEncoding(Int64.min, [0, 0, 0, 0, 0, 0, 0, 0x80], MySQLParameterType(.longlong))
        try Self.expectEncoding(
            Int64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], MySQLParameterType(.longlong))
        try Self.expectEncoding(
            0x0102_0304_0506_0708, [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01], MySQLParameterType(.longlong))
        try Self.expectEncoding(-2, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], MySQLParameterType(.longlong))
        try Self.expectEncoding(0, [0, 0, 0, 0, 0, 0, 0, 0], MySQLParameterType(.longlong))
    }

    @Test func unsignedIntegers() throws {
        try Self.expectEncoding(UInt8.max, [0xFF], MySQLParameterType(.tiny, unsigned: true))
        try Self.expectEncoding(UInt16(0xBEEF), [0xEF, 0xBE], MySQLParameterType(.short, unsigned: true))
        try Self.expectEncoding(
            UInt32(0xDEAD_BEEF), [0xEF, 0xBE, 0xAD, 0xDE], MySQLParameterType(.long, unsigned: true))
        // 18446744073709551615
        try Self.expectEncoding(
            UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], MySQLParameterType(.longlong, unsigned: true))
        try Self.expectEncoding(UInt(1), [1, 0, 0, 0, 0, 0, 0, 0], MySQLParameterType(.longlong, unsigned: true))
        #expect(MySQLParameterType(.longlong, unsigned: true).description == "LONGLONG UNSIGNED")
    }

    @Test func bool() throws {
        try Self.expectEncoding(true, [1], MySQLParameterType(.tiny))
        try Self.expectEncoding(false, [0], MySQLParameterType(.tiny))
    }

    @Test func integersRoundTrip() throws {
        func roundTrip<T: MySQLEncodable & MySQLDecodable & Equatable>(
            _ value: T, _ column: MySQLColumn, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let bytes = try Self.encode(value).bytes
            #expect(try decodeBinary(T.self, bytes, column) == value, sourceLocation: sourceLocation)
        }
        try roundTrip(Int8.min, valueColumn(.tiny))
        try roundTrip(Int8(-1), valueColumn(.tiny))
        try roundTrip(Int16.min, valueColumn(.short))
        try roundTrip(Int32.min, valueColumn(.long))
        try roundTrip(Int64.min, valueColumn(.longlong))
        try roundTrip(Int64.max, valueColumn(.longlong))
        try roundTrip(Int.min, valueColumn(.longlong))
        try roundTrip(UInt8.max, valueColumn(.tiny, unsigned: true))
        try roundTrip(UInt16.max, valueColumn(.short, unsigned: true))
        try roundTrip(UInt32.max, valueColumn(.long, unsigned: true))
        try roundTrip(UInt64.max, valueColumn(.longlong, unsigned: true))
        try roundTrip(UInt.max, valueColumn(.longlong, unsigned: true))
        try roundTrip(true, valueColumn(.tiny))
        try roundTrip(false, valueColumn(.tiny))
    }

    @Test func float() throws {
        let type = MySQLParameterType(.float)
        try Self.expectEncoding(Float(1), [0x00, 0x00, 0x80, 0x3F], type)
        try Self.expectEncoding(Float(0.1), [0xCD, 0xCC, 0xCC, 0x3D], type)
        try Self.expectEncoding(Float(-0.0), [0x00, 0x00, 0x00, 0x80], type)
        try Self.expectEncoding(Float.infinity, [0x00, 0x00, 0x80, 0x7F], type)
        try Self.expectEncoding(-Float.infinity, [0x00, 0x00, 0x80, 0xFF], type)
        try Self.expectEncoding(Float.greatestFiniteMagnitude, [0xFF, 0xFF, 0x7F, 0x7F], type)
        try Self.expectEncoding(Float.leastNonzeroMagnitude, [0x01, 0x00, 0x00, 0x00], type)
    }

    @Test func double() throws {
        let type = MySQLParameterType(.double)
        try Self.expectEncoding(1.0, [0, 0, 0, 0, 0, 0, 0xF0, 0x3F], type)
        try Self.expectEncoding(-2.5, [0, 0, 0, 0, 0, 0, 0x04, 0xC0], type)
        try Self.expectEncoding(0.1, [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F], type)
        try Self.expectEncoding(-0.0, [0, 0, 0, 0, 0, 0, 0, 0x80], type)
        try Self.expectEncoding(Double.infinity, [0, 0, 0, 0, 0, 0, 0xF0, 0x7F], type)
        try Self.expectEncoding(-Double.infinity, [0, 0, 0, 0, 0, 0, 0xF0, 0xFF], type)
        try Self.expectEncoding(Double.greatestFiniteMagnitude, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0x7F], type)
        try Self.expectEncoding(Double.leastNonzeroMagnitude, [1, 0, 0, 0, 0, 0, 0, 0], type)
    }

    /// Finite values only: the DOUBLE decoder refuses infinities, which MySQL never stores.
    @Test func floatingPointRoundTrip() throws {
        for value in [0.1, -0.0, 1e308, -Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude] {
            let decoded = try decodeBinary(Double.self, try Self.encode(value).bytes, valueColumn(.double))
            #expect(decoded.bitPattern == value.bitPattern)
        }
        for value: Float in [0.1, -0.0, 3.4e38, Float.leastNonzeroMagnitude, -Float.greatestFiniteMagnitude] {
            let decoded = try decodeBinary(Float.self, try Self.encode(value).bytes, valueColumn(.float))
            #expect(decoded.bitPattern == value.bitPattern)
        }
    }

    // MARK: - Text and bytes

    @Test func strings() throws {
        let type = MySQLParameterType(.varString)
        try Self.expectEncoding("", [0x00], type)
        try Self.expectEncoding("abc", [0x03, 0x61, 0x62, 0x63], type)
        try Self.expectEncoding("é€", [0x05, 0xC3, 0xA9, 0xE2, 0x82, 0xAC], type)
        try Self.expectEncoding("xabcx".dropFirst().dropLast(), [0x03, 0x61, 0x62, 0x63], type)
        try Self.expectEncoding(Substring(""), [0x00], type)
    }

    /// Each boundary of the length-encoded integer: one byte below 251, then 0xFC plus 2
    /// bytes, 0xFD plus 3, 0xFE plus 8.
    @Test(
        arguments: [
            (250, [0xFA]), (251, [0xFC, 0xFB, 0x00]), (300, [0xFC, 0x2C, 0x01]), (65_535, [0xFC, 0xFF, 0xFF]),
            (65_536, [0xFD, 0x00, 0x00, 0x01]), (70_000, [0xFD, 0x70, 0x11, 0x01]),
        ] as [(Int, [UInt8])])
    func longStrings(_ length: Int, _ header: [UInt8]) throws {
        let text = String(repeating: "a", count: length)
        try Self.expectEncoding(text, header + Array(repeating: 0x61, count: length), MySQLParameterType(.varString))
        let bytes = [UInt8](repeating: 0x00, count: length)
        try Self.expectEncoding(bytes, header + bytes, MySQLParameterType(.blob))
    }

    @Test func lengthEncodedIntegers() {
        let cases: [(Int, [UInt8])] = [
            (0, [0x00]), (250, [0xFA]), (251, [0xFC, 0xFB, 0x00]), (0xFFFF, [0xFC, 0xFF, 0xFF]),
            (0x1_0000, [0xFD, 0x00, 0x00, 0x01]), (0xFF_FFFF, [0xFD, 0xFF, 0xFF, 0xFF]),
            (0x100_0000, [0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
            (0x0102_0304_0506, [0xFE, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00]),
        ]
        for (value, expected) in cases {
            var buffer: [UInt8] = []
            ParameterBytes.appendLengthEncodedInteger(value, into: &buffer)
            #expect(buffer == expected, "\(value)")
            #expect(ParameterBytes.lengthEncodedIntegerSize(value) == expected.count, "\(value)")
        }
    }

    /// 2^24 bytes: the first length that needs the 0xFE form.
    @Test func sixteenMebibyteBlob() throws {
        let bytes = [UInt8](repeating: 0x5A, count: 1 << 24)
        let (encoded, type) = try Self.encode(bytes)
        #expect(type == MySQLParameterType(.blob))
        #expect(Array(encoded.prefix(9)) == [0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00])
        #expect(encoded.count == 9 + (1 << 24) && encoded.dropFirst(9).allSatisfy { $0 == 0x5A })
    }

    @Test func bytes() throws {
        let type = MySQLParameterType(.blob)
        try Self.expectEncoding([UInt8](), [0x00], type)
        try Self.expectEncoding([0x00, 0xFB, 0xFF] as [UInt8], [0x03, 0x00, 0xFB, 0xFF], type)
        try Self.expectEncoding(offsetSlice([0x01, 0x02]), [0x02, 0x01, 0x02], type)
        try Self.expectEncoding(Data(), [0x00], type)
        try Self.expectEncoding(Data([0x01, 0x02, 0x03]), [0x03, 0x01, 0x02, 0x03], type)
        try Self.expectEncoding(Data([0x09, 0x01, 0x02, 0x03])[1...], [0x03, 0x01, 0x02, 0x03], type)
    }

    @Test func textAndBytesRoundTrip() throws {
        for text in ["", "abc", "é€ 😀", String(repeating: "x", count: 70_000)] {
            let content = try Self.lengthEncodedContent(try Self.encode(text).bytes)
            #expect(try decodeBinary(String.self, content, valueColumn(.varString)) == text)
        }
        let blob: [UInt8] = [0x00, 0xFB, 0xFE, 0xFF]
        let content = try Self.lengthEncodedContent(try Self.encode(blob).bytes)
        #expect(try decodeBinary([UInt8].self, content, valueColumn(.blob, binary: true)) == blob)
        let dataContent = try Self.lengthEncodedContent(try Self.encode(Data(blob)).bytes)
        #expect(try decodeBinary(Data.self, dataContent, valueColumn(.blob, binary: true)) == Data(blob))
    }

    /// Parameters appended one after another into one buffer stay in order and intact.
    @Test func manyParametersInOneBuffer() throws {
        var buffer: [UInt8] = []
        for index in 0..<1000 {
            _ = try String(repeating: "z", count: index % 300).encodeMySQLParameter(into: &buffer)
            _ = try Int16(index).encodeMySQLParameter(into: &buffer)
        }
        var reader = ByteReader(buffer[...], context: "parameters")
        for index in 0..<1000 {
            #expect(try reader.readLengthEncodedBytes().count == index % 300)
            #expect(try reader.readUInt16() == UInt16(index))
        }
        #expect(reader.isAtEnd)
    }

    // MARK: - DECIMAL

    @Test func mysqlDecimal() throws {
        let type = MySQLParameterType(.newdecimal)
        // "-12.50": 2D 31 32 2E 35 30
        try Self.expectEncoding(MySQLDecimal("-12.50")!, [0x06, 0x2D, 0x31, 0x32, 0x2E, 0x35, 0x30], type)
        // ZEROFILL text keeps its leading zeros: "007.50"
        try Self.expectEncoding(MySQLDecimal("007.50")!, [0x06, 0x30, 0x30, 0x37, 0x2E, 0x35, 0x30], type)
        try Self.expectEncoding(MySQLDecimal(0), [0x01, 0x30], type)
        // DECIMAL(65,30): 35 integer digits, 30 fraction digits, a sign: 67 bytes.
        let text = "-12345678901234567890123456789012345.123456789012345678901234567890"
        try Self.expectEncoding(MySQLDecimal(text)!, [0x43] + Array(text.utf8), type)
    }

    @Test func foundationDecimal() throws {
        let type = MySQLParameterType(.newdecimal)
        let digits38 = "12345678901234567890123456789012345678"
        try Self.expectEncoding(Decimal(string: digits38)!, [0x26] + Array(digits38.utf8), type)
        try Self.expectEncoding(Decimal(string: "-0.5")!, [0x04, 0x2D, 0x30, 0x2E, 0x35], type)
        try Self.expectEncoding(Decimal(0), [0x01, 0x30], type)
        // No exponent form: 1e-20 is "0." and nineteen zeros and "1"; 1e30 is "1" and thirty zeros.
        let small = "0." + String(repeating: "0", count: 19) + "1"
        try Self.expectEncoding(Decimal(string: "1e-20")!, [0x16] + Array(small.utf8), type)
        let large = "1" + String(repeating: "0", count: 30)
        try Self.expectEncoding(Decimal(string: "1e30")!, [0x1F] + Array(large.utf8), type)
    }

    @Test func decimalNaNThrows() {
        let message = Self.invalidUsageMessage { _ = try Self.encode(Decimal.nan) }
        #expect(message?.contains("NaN") == true, "\(message ?? "no .invalidUsage error")")
    }

    @Test func decimalRoundTrip() throws {
        let column = valueColumn(.newdecimal, decimals: 30)
        for text in ["-12.50", "0.000000000000000000000000000001", "99999999999999999999999999999999999.5"] {
            let value = MySQLDecimal(text)!
            let content = try Self.lengthEncodedContent(try Self.encode(value).bytes)
            let decoded = try decodeBinary(MySQLDecimal.self, content, column)
            #expect(decoded == value && decoded.description == text)
        }
        for text in ["12345678901234567890123456789012345678", "-0.00000000000000000001", "1e30", "-3.25"] {
            let value = Decimal(string: text)!
            let content = try Self.lengthEncodedContent(try Self.encode(value).bytes)
            #expect(try decodeBinary(Decimal.self, content, column) == value, "\(text)")
        }
    }

    // MARK: - DATE, DATETIME, TIME

    @Test func date() throws {
        let type = MySQLParameterType(.date)
        // 2024 = 0x07E8
        try Self.expectEncoding(MySQLDate(year: 2024, month: 2, day: 29)!, [0x04, 0xE8, 0x07, 0x02, 0x1D], type)
        try Self.expectEncoding(MySQLDate(year: 9999, month: 12, day: 31)!, [0x04, 0x0F, 0x27, 0x0C, 0x1F], type)
        try Self.expectEncoding(MySQLDate(year: 2024, month: 0, day: 0)!, [0x04, 0xE8, 0x07, 0x00, 0x00], type)
        try Self.expectEncoding(MySQLDate(year: 0, month: 1, day: 1)!, [0x04, 0x00, 0x00, 0x01, 0x01], type)
        try Self.expectEncoding(MySQLDate.zero, [0x00], type)
    }

    @Test func dateTime() throws {
        let type = MySQLParameterType(.datetime)
        try Self.expectEncoding(MySQLDateTime.zero, [0x00], type)
        try Self.expectEncoding(MySQLDateTime(year: 0, month: 0, day: 0, fractionDigits: 6)!, [0x00], type)
        try Self.expectEncoding(
            MySQLDateTime(year: 2024, month: 6, day: 1)!, [0x04, 0xE8, 0x07, 0x06, 0x01], type)
        try Self.expectEncoding(
            MySQLDateTime(year: 2024, month: 6, day: 1, hour: 12, minute: 34, second: 56)!,
            [0x07, 0xE8, 0x07, 0x06, 0x01, 0x0C, 0x22, 0x38], type)
        // .000000 shown, but no microseconds to send: the 7-byte form.
        try Self.expectEncoding(
            MySQLDateTime(year: 2024, month: 6, day: 1, hour: 12, minute: 34, second: 56, fractionDigits: 6)!,
            [0x07, 0xE8, 0x07, 0x06, 0x01, 0x0C, 0x22, 0x38], type)
        // 123456 = 0x0001E240
        try Self.expectEncoding(
            MySQLDateTime(year: 2024, month: 6, day: 1, hour: 12, minute: 34, second: 56, microsecond: 123_456)!,
            [0x0B, 0xE8, 0x07, 0x06, 0x01, 0x0C, 0x22, 0x38, 0x40, 0xE2, 0x01, 0x00], type)
        try Self.expectEncoding(
            MySQLDateTime(year: 2024, month: 6, day: 1, microsecond: 1)!,
            [0x0B, 0xE8, 0x07, 0x06, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00], type)
        // 999999 = 0x000F423F
        try Self.expectEncoding(
            MySQLDateTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)!,
            [0x0B, 0x0F, 0x27, 0x0C, 0x1F, 0x17, 0x3B, 0x3B, 0x3F, 0x42, 0x0F, 0x00], type)
        // Zero dates go as they are.
        try Self.expectEncoding(
            MySQLDateTime(year: 0, month: 0, day: 0, hour: 10)!, [0x07, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00], type)
    }

    @Test func yearsBeyondTheFieldThrow() {
        let farFuture = Date(timeIntervalSinceReferenceDate: 1e12)  // about year 33700
        let dateTime = MySQLDateTime(farFuture, timeZone: Self.utc)
        #expect(Self.invalidUsageMessage { _ = try Self.encode(dateTime) }?.contains("0...9999") == true)
        let date = MySQLDate(farFuture, timeZone: Self.utc)
        #expect(Self.invalidUsageMessage { _ = try Self.encode(date) }?.contains("0...9999") == true)
        let negative = MySQLDateTime(Date(timeIntervalSinceReferenceDate: -1e12), timeZone: Self.utc)
        #expect(Self.invalidUsageMessage { _ = try Self.encode(negative) } != nil)
    }

    @Test func time() throws {
        let type = MySQLParameterType(.time)
        try Self.expectEncoding(MySQLTime(hours: 0, minutes: 0, seconds: 0)!, [0x00], type)
        try Self.expectEncoding(MySQLTime(isNegative: true, hours: 0, minutes: 0, seconds: 0)!, [0x00], type)
        try Self.expectEncoding(
            MySQLTime(hours: 23, minutes: 59, seconds: 59)!, [0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x3B, 0x3B],
            type)
        try Self.expectEncoding(
            MySQLTime(hours: 24, minutes: 0, seconds: 0)!, [0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], type)
        try Self.expectEncoding(
            MySQLTime(hours: 25, minutes: 0, seconds: 0)!, [0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00], type)
        // 838 hours = 34 days (0x22) and 22 hours (0x16).
        try Self.expectEncoding(
            MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 0, fractionDigits: 6)!,
            [0x08, 0x01, 0x22, 0x00, 0x00, 0x00, 0x16, 0x3B, 0x3B], type)
        try Self.expectEncoding(
            MySQLTime(hours: 838, minutes: 59, seconds: 59)!, [0x08, 0x00, 0x22, 0x00, 0x00, 0x00, 0x16, 0x3B, 0x3B],
            type)
        // 500000 = 0x0007A120
        try Self.expectEncoding(
            MySQLTime(hours: 1, minutes: 2, seconds: 3, microseconds: 500_000)!,
            [0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x20, 0xA1, 0x07, 0x00], type)
        try Self.expectEncoding(
            MySQLTime(isNegative: true, hours: 0, minutes: 0, seconds: 0, microseconds: 1)!,
            [0x0C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00], type)
    }

    @Test func temporalRoundTrip() throws {
        let dates = [
            MySQLDate(year: 2024, month: 2, day: 29)!, MySQLDate.zero, MySQLDate(year: 2024, month: 0, day: 0)!,
            MySQLDate(year: 9999, month: 12, day: 31)!,
        ]
        for value in dates {
            let fields = Self.lengthPrefixedFields(try Self.encode(value).bytes)
            #expect(try decodeBinary(MySQLDate.self, fields, valueColumn(.date)) == value)
        }
        let dateTimes = [
            MySQLDateTime.zero, MySQLDateTime(year: 2024, month: 6, day: 1)!,
            MySQLDateTime(year: 2024, month: 6, day: 1, hour: 12, minute: 34, second: 56)!,
            MySQLDateTime(year: 2024, month: 6, day: 1, hour: 12, minute: 34, second: 56, microsecond: 123_456)!,
            MySQLDateTime(year: 0, month: 0, day: 0, hour: 10)!,
            MySQLDateTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)!,
        ]
        for value in dateTimes {
            let fields = Self.lengthPrefixedFields(try Self.encode(value).bytes)
            #expect(try decodeBinary(MySQLDateTime.self, fields, valueColumn(.datetime, decimals: 6)) == value)
        }
        let times = [
            MySQLTime(hours: 0, minutes: 0, seconds: 0)!,
            MySQLTime(isNegative: true, hours: 0, minutes: 0, seconds: 0)!,
            MySQLTime(hours: 25, minutes: 0, seconds: 0)!,
            MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59)!,
            MySQLTime(isNegative: true, hours: 0, minutes: 0, seconds: 0, microseconds: 1)!,
            MySQLTime(hours: 100, minutes: 2, seconds: 3, microseconds: 999_999)!,
        ]
        for value in times {
            let fields = Self.lengthPrefixedFields(try Self.encode(value).bytes)
            #expect(try decodeBinary(MySQLTime.self, fields, valueColumn(.time, decimals: 6)) == value)
        }
    }

    // MARK: - Date

    @Test func foundationDate() throws {
        let type = MySQLParameterType(.datetime)
        try Self.expectEncoding(
            Self.utcDate(2024, 6, 1, 12, 34, 56, plus: 0.123456),
            [0x0B, 0xE8, 0x07, 0x06, 0x01, 0x0C, 0x22, 0x38, 0x40, 0xE2, 0x01, 0x00], type)
        try Self.expectEncoding(
            Self.utcDate(2024, 6, 1, 12, 34, 56), [0x07, 0xE8, 0x07, 0x06, 0x01, 0x0C, 0x22, 0x38], type)
        // 1970 = 0x07B2
        try Self.expectEncoding(Date(timeIntervalSince1970: 0), [0x04, 0xB2, 0x07, 0x01, 0x01], type)
        // Microseconds round to nearest, carrying into the next year.
        try Self.expectEncoding(
            Self.utcDate(2024, 12, 31, 23, 59, 59, plus: 0.999_999_6), [0x04, 0xE9, 0x07, 0x01, 0x01], type)
        try Self.expectEncoding(
            Self.utcDate(2024, 12, 31, 23, 59, 59, plus: 0.000_000_4),
            [0x07, 0xE8, 0x07, 0x0C, 0x1F, 0x17, 0x3B, 0x3B], type)
        // Before 1970: 1969-12-31 23:59:59.5 (0x0007A120 microseconds).
        try Self.expectEncoding(
            Date(timeIntervalSince1970: -0.5),
            [0x0B, 0xB1, 0x07, 0x0C, 0x1F, 0x17, 0x3B, 0x3B, 0x20, 0xA1, 0x07, 0x00], type)
        // Foundation's distantFuture is 4001-01-01 (0x0FA1).
        try Self.expectEncoding(Date.distantFuture, [0x04, 0xA1, 0x0F, 0x01, 0x01], type)
    }

    /// 0001-01-01 is -62135596800 s from 1970 and 10000-01-01 is 253402300800 s; Date counts
    /// from 2001-01-01, 978307200 s after 1970.
    @Test func foundationDateLimits() throws {
        let type = MySQLParameterType(.datetime)
        let year1 = Date(timeIntervalSinceReferenceDate: -62_135_596_800 - 978_307_200)
        try Self.expectEncoding(year1, [0x04, 0x01, 0x00, 0x01, 0x01], type)
        let year10000 = Date(timeIntervalSinceReferenceDate: 253_402_300_800 - 978_307_200)
        try Self.expectEncoding(
            year10000.addingTimeInterval(-1), [0x07, 0x0F, 0x27, 0x0C, 0x1F, 0x17, 0x3B, 0x3B], type)
        let outside = [
            year1.addingTimeInterval(-1), year10000,
            Date.distantPast,  // 0001-01-01 in Foundation's Julian reckoning: year 0 proleptic
            Date(timeIntervalSinceReferenceDate: .infinity), Date(timeIntervalSinceReferenceDate: -.infinity),
            Date(timeIntervalSinceReferenceDate: .nan),
        ]
        for date in outside {
            #expect(Self.invalidUsageMessage { _ = try Self.encode(date) } != nil, "\(date)")
        }
        #expect(Self.invalidUsageMessage { _ = try Self.encode(year10000) }?.contains("1...9999") == true)
    }

    @Test func foundationDateRoundTrip() throws {
        let column = valueColumn(.datetime, decimals: 6)
        let dates = [
            Self.utcDate(2024, 6, 1, 12, 34, 56, plus: 0.123456), Self.utcDate(1000, 1, 1),
            Self.utcDate(2038, 1, 19, 3, 14, 8, plus: 0.000001), Date(timeIntervalSince1970: -0.5),
        ]
        for date in dates {
            let bytes = try Self.encode(date).bytes
            let decoded = try decodeBinary(Date.self, Self.lengthPrefixedFields(bytes), column)
            #expect(abs(decoded.timeIntervalSince(date)) < 0.000_000_5, "\(date)")
            // What decoding reads back encodes to the same bytes.
            #expect(try Self.encode(decoded).bytes == bytes, "\(date)")
        }
    }

    // MARK: - UUID and Optional

    static let uuid = UUID(uuidString: "123E4567-E89B-12D3-A456-426614174000")!
    static let uuidBytes: [UInt8] = [
        0x12, 0x3E, 0x45, 0x67, 0xE8, 0x9B, 0x12, 0xD3, 0xA4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00,
    ]

    @Test func uuidEncoding() throws {
        try Self.expectEncoding(Self.uuid, [0x10] + Self.uuidBytes, MySQLParameterType(.blob))
        let content = try Self.lengthEncodedContent(try Self.encode(Self.uuid).bytes)
        #expect(try decodeBinary(UUID.self, content, valueColumn(.string, binary: true)) == Self.uuid)
    }

    @Test func optional() throws {
        try Self.expectEncoding(Int?.none, [], .null)
        try Self.expectEncoding(Int?.some(1), [1, 0, 0, 0, 0, 0, 0, 0], MySQLParameterType(.longlong))
        try Self.expectEncoding(String?.some("a"), [0x01, 0x61], MySQLParameterType(.varString))
        try Self.expectEncoding(String??.some(nil), [], .null)
        try Self.expectEncoding(Date?.none, [], .null)
        #expect(MySQLParameterType.null == MySQLParameterType(.null))
    }

    /// Through the existential, as a statement's parameter list holds them.
    @Test func existentialParameters() throws {
        let parameters: [any MySQLEncodable] = [Int8(-1), "ab", Int?.none, 1.0, Self.uuid]
        var buffer: [UInt8] = []
        var types: [MySQLParameterType] = []
        for parameter in parameters {
            types.append(try parameter.encodeMySQLParameter(into: &buffer))
        }
        #expect(
            types == [
                MySQLParameterType(.tiny), MySQLParameterType(.varString), .null, MySQLParameterType(.double),
                MySQLParameterType(.blob),
            ])
        #expect(buffer == [0xFF, 0x02, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10] + Self.uuidBytes)
    }

    // MARK: - UUID decoding

    @Test func uuidFromSixteenBytes() throws {
        #expect(try decodeBinary(UUID.self, Self.uuidBytes, valueColumn(.string, binary: true)) == Self.uuid)
        #expect(try decodeBinary(UUID.self, Self.uuidBytes, valueColumn(.blob, binary: true)) == Self.uuid)
        #expect(try decodeBinary(UUID.self, Self.uuidBytes, valueColumn(.varString, binary: true)) == Self.uuid)
        #expect(try decodeTextBytes(UUID.self, Self.uuidBytes, valueColumn(.string, binary: true)) == Self.uuid)
    }

    @Test(arguments: [
        "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
        "123e4567e89b12d3a456426614174000", "123E4567E89B12D3A456426614174000",
    ])
    func uuidFromText(_ text: String) throws {
        #expect(try decodeText(UUID.self, text, valueColumn(.varString)) == Self.uuid)
        #expect(try decodeText(UUID.self, text, valueColumn(.string)) == Self.uuid)
        #expect(try decodeBinary(UUID.self, Array(text.utf8), valueColumn(.varString)) == Self.uuid)
        #expect(try decodeBinary(UUID.self, Array(text.utf8), valueColumn(.blob, binary: true)) == Self.uuid)
    }

    @Test func uuidEdgeValues() throws {
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(try decodeText(UUID.self, "00000000-0000-0000-0000-000000000000", valueColumn(.varString)) == zero)
        let max = UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!
        #expect(try decodeText(UUID.self, "ffffffffffffffffffffffffffffffff", valueColumn(.varString)) == max)
        #expect(try decodeBinary(UUID.self, Array(repeating: 0xFF, count: 16), valueColumn(.blob)) == max)
    }

    @Test func uuidBadLength() {
        expectDecodingError("UUID", "15 bytes", "expected 16") {
            _ = try decodeBinary(UUID.self, Array(Self.uuidBytes.dropLast()), valueColumn(.blob, binary: true))
        }
        expectDecodingError("0 bytes") { _ = try decodeText(UUID.self, "", valueColumn(.varString)) }
        expectDecodingError("35 bytes") {
            _ = try decodeText(UUID.self, "123e4567-e89b-12d3-a456-42661417400", valueColumn(.varString))
        }
        expectDecodingError("34 bytes") {
            _ = try decodeText(UUID.self, "{123e4567e89b12d3a456426614174000}", valueColumn(.varString))
        }
    }

    @Test(arguments: [
        "123e4567-e89b-12d3-a456-42661417400g",  // not hex
        "123e4567e-89b-12d3-a456-426614174000",  // dash out of place
        "123e4567-e89b-12d3-a456+426614174000",  // not a dash
        "123e4567-e89b-12d3-a456-4266-4174000",  // extra dash
        "123e4567e89b12d3a45642661417400 ",  // 32 bytes, not all hex
        "123e4567-e89b-12d3-a456426614174000",  // one dash short: 35 bytes
    ])
    func uuidBadText(_ text: String) {
        let fragment = text.utf8.count == 35 ? "35 bytes" : "malformed value"
        expectDecodingError("UUID", fragment) { _ = try decodeText(UUID.self, text, valueColumn(.varString)) }
    }

    @Test func uuidNullAndUnsupportedColumns() throws {
        expectDecodingError("NULL") { _ = try decodeText(UUID.self, nil, valueColumn(.varString)) }
        #expect(try decodeText(UUID?.self, nil, valueColumn(.varString)) == nil)
        #expect(try decodeBinary(UUID?.self, Self.uuidBytes, valueColumn(.blob)) == Self.uuid)
        // 32 digits of a DECIMAL would otherwise read as hex.
        expectDecodingError("NEWDECIMAL", "unsupported") {
            _ = try decodeText(UUID.self, "12345678901234567890123456789012", valueColumn(.newdecimal))
        }
        expectDecodingError("LONGLONG", "unsupported") {
            _ = try decodeBinary(UUID.self, Array(Self.uuidBytes.prefix(8)), valueColumn(.longlong))
        }
    }
}
