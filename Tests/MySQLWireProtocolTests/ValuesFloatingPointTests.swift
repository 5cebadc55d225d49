import Testing

@testable import MySQLWireProtocol

@Suite("Float and Double values")
struct ValuesFloatingPointTests {
    @Test func textDoubleExact() throws {
        let column = valueColumn(.double)
        let cases: [(String, Double)] = [
            ("0.1", 0.1), ("0", 0), ("-0", -0.0), ("1", 1), ("-2.5", -2.5), ("1e308", 1e308),
            ("-1.7976931348623157e308", -1.7976931348623157e308), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("5e-324", .leastNonzeroMagnitude), ("2.2250738585072014e-308", 2.2250738585072014e-308), ("1e-7", 1e-7),
            ("123456789012345678901234567890", 123456789012345678901234567890.0),
            ("0.30000000000000004", 0.30000000000000004),
            ("9007199254740993", 9_007_199_254_740_992), ("1E+22", 1e22), ("1e23", 1e23), ("3.14159", 3.14159),
            ("0.000000000000000000000000000001", 1e-30),
        ]
        for (text, expected) in cases {
            let value = try decodeText(Double.self, text, column)
            #expect(value == expected, "\(text)")
            #expect(value.sign == expected.sign, "\(text)")
        }
    }

    @Test func textDoubleRandomRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let column = valueColumn(.double)
        for index in 0..<20_000 {
            let value: Double
            switch index % 3 {
            case 0: value = Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator))
            case 1: value = Double.random(in: -1e6...1e6, using: &generator)
            default: value = (Double.random(in: -1e4...1e4, using: &generator) * 100).rounded() / 100
            }
            guard value.isFinite else { continue }
            let text = "\(value)"
            let decoded = try decodeText(Double.self, text, column)
            #expect(decoded.bitPattern == value.bitPattern, "\(text)")
            let mysqlText = FloatingPointFormatting.text(value, decimals: 31)
            #expect(try decodeText(Double.self, mysqlText, column).bitPattern == value.bitPattern, "\(mysqlText)")
        }
    }

    @Test func textFloatRandomRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let column = valueColumn(.float)
        for index in 0..<20_000 {
            let value =
                index % 2 == 0
                ? Float(bitPattern: UInt32.random(in: 0 ... .max, using: &generator))
                : Float.random(in: -1000...1000, using: &generator)
            guard value.isFinite else { continue }
            #expect(try decodeText(Float.self, "\(value)", column).bitPattern == value.bitPattern, "\(value)")
        }
        #expect(try decodeText(Float.self, "0.1", column) == Float(0.1))
        #expect(try decodeText(Double.self, "0.1", column) == 0.1)
        #expect(try decodeText(Float.self, "3.4028235e38", column) == .greatestFiniteMagnitude)
    }

    @Test func textRejectsNonMySQLForms() {
        for text in [
            "inf", "-inf", "nan", "NaN", "infinity", "", "-", ".5", "5.", "1e", "1e+", "0x1p3", " 1", "1 ", "+1",
            "1..2", "1e5.5",
        ] {
            expectDecodingError("cannot decode DOUBLE value into Double", "malformed") {
                _ = try decodeText(Double.self, text, valueColumn(.double))
            }
            expectDecodingError("malformed") {
                _ = try decodeText(Float.self, text, valueColumn(.float))
            }
        }
    }

    @Test func textOutOfRange() {
        expectDecodingError("DOUBLE value into Double", "1e400 is out of range") {
            _ = try decodeText(Double.self, "1e400", valueColumn(.double))
        }
        expectDecodingError("DOUBLE value into Float", "1e300 is out of range") {
            _ = try decodeText(Float.self, "1e300", valueColumn(.double))
        }
    }

    @Test func textFromDecimalAndIntegers() throws {
        #expect(try decodeText(Double.self, "12.50", valueColumn(.newdecimal)) == 12.5)
        #expect(try decodeText(Double.self, "-0.00", valueColumn(.newdecimal)) == 0)
        #expect(
            try decodeText(
                Double.self, "12345678901234567890123456789012345.123456789012345678901234567890",
                valueColumn(.newdecimal))
                == 12345678901234567890123456789012345.123456789012345678901234567890)
        #expect(try decodeText(Double.self, "42", valueColumn(.long)) == 42)
        #expect(
            try decodeText(Double.self, "18446744073709551615", valueColumn(.longlong, unsigned: true))
                == 18446744073709551615.0)
        #expect(try decodeText(Float.self, "-7", valueColumn(.tiny)) == -7)
        expectDecodingError("VAR_STRING value into Double: unsupported column type") {
            _ = try decodeText(Double.self, "1.5", valueColumn(.varString))
        }
    }

    @Test func binary() throws {
        let value = 1234.5678e-10
        #expect(try decodeBinary(Double.self, littleEndian(value.bitPattern), valueColumn(.double)) == value)
        #expect(
            try decodeBinary(
                Double.self, littleEndian((-Double.greatestFiniteMagnitude).bitPattern), valueColumn(.double))
                == -.greatestFiniteMagnitude)
        let float: Float = 0.1
        #expect(try decodeBinary(Float.self, littleEndian(float.bitPattern), valueColumn(.float)) == float)
        #expect(try decodeBinary(Double.self, littleEndian(float.bitPattern), valueColumn(.float)) == Double(float))
        #expect(
            try decodeBinary(Float.self, littleEndian((0.1 as Double).bitPattern), valueColumn(.double)) == Float(0.1))
        #expect(try decodeBinary(Double.self, Array("12.25".utf8), valueColumn(.newdecimal)) == 12.25)
        #expect(try decodeBinary(Double.self, littleEndian(Int64(-5)), valueColumn(.longlong)) == -5)
        #expect(try decodeBinary(Float.self, [0xFF], valueColumn(.tiny, unsigned: true)) == 255)
        expectDecodingError("value is out of range") {
            _ = try decodeBinary(Float.self, littleEndian(1e300.bitPattern), valueColumn(.double))
        }
        expectDecodingError("binary value has 4 bytes; expected 8") {
            _ = try decodeBinary(Double.self, [0, 0, 0, 0], valueColumn(.double))
        }
        expectDecodingError("binary value has 8 bytes; expected 4") {
            _ = try decodeBinary(Float.self, [0, 0, 0, 0, 0, 0, 0, 0], valueColumn(.float))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Double?.self)") {
            _ = try decodeBinary(Double.self, nil, valueColumn(.double))
        }
        #expect(try decodeBinary(Double?.self, nil, valueColumn(.double)) == nil)
        #expect(try decodeText(Float?.self, "1.5", valueColumn(.float)) == 1.5)
    }
}
