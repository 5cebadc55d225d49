import Testing

@testable import MySQLWireProtocol

@Suite("Integer and Bool values")
struct ValuesIntegerTests {
    @Test func textSignedLimits() throws {
        let column = valueColumn(.longlong)
        #expect(try decodeText(Int8.self, "-128", column) == Int8.min)
        #expect(try decodeText(Int8.self, "127", column) == Int8.max)
        #expect(try decodeText(Int16.self, "-32768", column) == Int16.min)
        #expect(try decodeText(Int16.self, "32767", column) == Int16.max)
        #expect(try decodeText(Int32.self, "-2147483648", column) == Int32.min)
        #expect(try decodeText(Int32.self, "2147483647", column) == Int32.max)
        #expect(try decodeText(Int64.self, "-9223372036854775808", column) == Int64.min)
        #expect(try decodeText(Int64.self, "9223372036854775807", column) == Int64.max)
        #expect(try decodeText(Int.self, "-9223372036854775808", column) == Int.min)
        #expect(try decodeText(Int.self, "0", column) == 0)
        #expect(try decodeText(Int.self, "-0", column) == 0)
        #expect(try decodeText(Int.self, "000123", column) == 123)
    }

    @Test func textUnsignedLimits() throws {
        let column = valueColumn(.longlong, unsigned: true)
        #expect(try decodeText(UInt8.self, "255", column) == UInt8.max)
        #expect(try decodeText(UInt16.self, "65535", column) == UInt16.max)
        #expect(try decodeText(UInt32.self, "4294967295", column) == UInt32.max)
        #expect(try decodeText(UInt64.self, "18446744073709551615", column) == UInt64.max)
        #expect(try decodeText(UInt.self, "18446744073709551615", column) == UInt.max)
        #expect(try decodeText(UInt64.self, "0", column) == 0)
    }

    @Test func textOverflowNamesTheRange() {
        expectDecodingError("cannot decode SHORT value into UInt8", "300 is out of range (0...255)") {
            _ = try decodeText(UInt8.self, "300", valueColumn(.short))
        }
        expectDecodingError("TINY value into Int8", "128 is out of range (-128...127)") {
            _ = try decodeText(Int8.self, "128", valueColumn(.tiny))
        }
        expectDecodingError("-129 is out of range") {
            _ = try decodeText(Int8.self, "-129", valueColumn(.tiny))
        }
        expectDecodingError(
            "cannot decode LONGLONG UNSIGNED value into Int64: 18446744073709551615 is out of range"
        ) {
            _ = try decodeText(Int64.self, "18446744073709551615", valueColumn(.longlong, unsigned: true))
        }
        expectDecodingError("18446744073709551616 is out of range") {
            _ = try decodeText(UInt64.self, "18446744073709551616", valueColumn(.longlong, unsigned: true))
        }
        expectDecodingError("-9223372036854775809 is out of range") {
            _ = try decodeText(Int64.self, "-9223372036854775809", valueColumn(.longlong))
        }
        expectDecodingError("into Int32", "2147483648 is out of range") {
            _ = try decodeText(Int32.self, "2147483648", valueColumn(.long, unsigned: true))
        }
    }

    @Test func negativeIntoUnsigned() {
        for column in [valueColumn(.long), valueColumn(.longlong)] {
            expectDecodingError("into UInt64", "-1 is out of range") {
                _ = try decodeText(UInt64.self, "-1", column)
            }
            expectDecodingError("into UInt", "-5 is out of range") {
                _ = try decodeText(UInt.self, "-5", column)
            }
        }
        expectDecodingError("into UInt8", "-1 is out of range") {
            _ = try decodeBinary(UInt8.self, [0xFF], valueColumn(.tiny))
        }
    }

    @Test func textMalformed() {
        for text in ["", "-", "+1", " 1", "1 ", "1e3", "0x10", "1.5", "12a", "--1", "١٢"] {
            expectDecodingError("cannot decode LONG value into Int", "malformed") {
                _ = try decodeText(Int.self, text, valueColumn(.long))
            }
        }
    }

    @Test func textUnsupportedColumns() {
        for type in [MySQLType.varString, .double, .float, .datetime, .blob, .json] {
            expectDecodingError("into Int: unsupported column type") {
                _ = try decodeText(Int.self, "1", valueColumn(type))
            }
        }
    }

    @Test func integralDecimal() throws {
        #expect(try decodeText(Int.self, "12345", valueColumn(.newdecimal)) == 12345)
        #expect(try decodeText(Int.self, "-12.000", valueColumn(.newdecimal)) == -12)
        #expect(try decodeBinary(Int64.self, Array("99.0".utf8), valueColumn(.newdecimal)) == 99)
        expectDecodingError("12.50 has a fractional part", "MySQLDecimal") {
            _ = try decodeText(Int.self, "12.50", valueColumn(.newdecimal))
        }
    }

    @Test func yearText() throws {
        #expect(try decodeText(Int.self, "2024", valueColumn(.year, unsigned: true)) == 2024)
        #expect(try decodeText(UInt16.self, "0000", valueColumn(.year, unsigned: true)) == 0)
        #expect(try decodeBinary(Int.self, littleEndian(UInt16(2024)), valueColumn(.year, unsigned: true)) == 2024)
    }

    @Test func binarySigned() throws {
        #expect(try decodeBinary(Int8.self, [0x80], valueColumn(.tiny)) == Int8.min)
        #expect(try decodeBinary(Int.self, [0xFF], valueColumn(.tiny)) == -1)
        #expect(try decodeBinary(Int16.self, littleEndian(Int16.min), valueColumn(.short)) == Int16.min)
        #expect(try decodeBinary(Int32.self, littleEndian(Int32.min), valueColumn(.long)) == Int32.min)
        #expect(try decodeBinary(Int32.self, littleEndian(Int32(-8_388_608)), valueColumn(.int24)) == -8_388_608)
        #expect(try decodeBinary(Int64.self, littleEndian(Int64.min), valueColumn(.longlong)) == Int64.min)
        #expect(try decodeBinary(Int64.self, littleEndian(Int64.max), valueColumn(.longlong)) == Int64.max)
        #expect(try decodeBinary(Int.self, littleEndian(Int64(-42)), valueColumn(.longlong)) == -42)
        // Narrowing to any type that holds the value.
        #expect(try decodeBinary(Int8.self, littleEndian(Int64(-42)), valueColumn(.longlong)) == -42)
        #expect(try decodeBinary(UInt8.self, littleEndian(Int64(200)), valueColumn(.longlong)) == 200)
    }

    @Test func binaryUnsigned() throws {
        #expect(try decodeBinary(UInt8.self, [0xFF], valueColumn(.tiny, unsigned: true)) == 255)
        #expect(try decodeBinary(Int.self, [0xFF], valueColumn(.tiny, unsigned: true)) == 255)
        #expect(try decodeBinary(UInt16.self, [0xFF, 0xFF], valueColumn(.short, unsigned: true)) == 65535)
        #expect(try decodeBinary(UInt32.self, littleEndian(UInt32.max), valueColumn(.long, unsigned: true)) == .max)
        #expect(
            try decodeBinary(UInt64.self, littleEndian(UInt64.max), valueColumn(.longlong, unsigned: true)) == .max)
        expectDecodingError(
            "cannot decode LONGLONG UNSIGNED value into Int64: 18446744073709551615 is out of range"
        ) {
            _ = try decodeBinary(Int64.self, littleEndian(UInt64.max), valueColumn(.longlong, unsigned: true))
        }
        expectDecodingError("LONG UNSIGNED value into Int32", "4294967295 is out of range") {
            _ = try decodeBinary(Int32.self, littleEndian(UInt32.max), valueColumn(.long, unsigned: true))
        }
    }

    @Test func binaryImpossibleLength() {
        let cases: [(MySQLType, Int)] = [(.tiny, 2), (.short, 1), (.long, 8), (.int24, 3), (.longlong, 4)]
        for (type, length) in cases {
            expectDecodingError("binary value has \(length) bytes") {
                _ = try decodeBinary(Int64.self, [UInt8](repeating: 0, count: length), valueColumn(type))
            }
        }
    }

    @Test func bitValues() throws {
        let bit1 = valueColumn(.bit, unsigned: true, binary: true)
        #expect(try decodeTextBytes(Bool.self, [0x01], bit1) == true)
        #expect(try decodeTextBytes(Bool.self, [0x00], bit1) == false)
        #expect(try decodeBinary(Bool.self, [0x01], bit1) == true)
        #expect(try decodeTextBytes(UInt8.self, [0x01], bit1) == 1)
        let bit64 = valueColumn(.bit, unsigned: true, binary: true)
        let all = [UInt8](repeating: 0xFF, count: 8)
        #expect(try decodeTextBytes(UInt64.self, all, bit64) == UInt64.max)
        #expect(try decodeBinary(UInt64.self, all, bit64) == UInt64.max)
        #expect(
            try decodeBinary(UInt64.self, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], bit64)
                == 0x0102_0304_0506_0708)
        #expect(try decodeBinary(Int16.self, [0x01, 0x00], bit64) == 256)
        expectDecodingError("BIT UNSIGNED value into Int64", "18446744073709551615 is out of range") {
            _ = try decodeBinary(Int64.self, all, bit64)
        }
        expectDecodingError("BIT value has 9 bytes") {
            _ = try decodeBinary(UInt64.self, [UInt8](repeating: 0, count: 9), bit64)
        }
        expectDecodingError("BIT value has 0 bytes") {
            _ = try decodeBinary(UInt64.self, [], bit64)
        }
    }

    @Test func boolFromIntegers() throws {
        let tiny = valueColumn(.tiny)
        #expect(try decodeText(Bool.self, "1", tiny) == true)
        #expect(try decodeText(Bool.self, "0", tiny) == false)
        #expect(try decodeBinary(Bool.self, [1], tiny) == true)
        #expect(try decodeBinary(Bool.self, [0], tiny) == false)
        #expect(try decodeBinary(Bool.self, littleEndian(Int64(1)), valueColumn(.longlong)) == true)
        expectDecodingError("TINY value into Bool: 2 is neither 0 nor 1") {
            _ = try decodeText(Bool.self, "2", tiny)
        }
        expectDecodingError("-1 is neither 0 nor 1") {
            _ = try decodeBinary(Bool.self, [0xFF], tiny)
        }
        expectDecodingError("2 is neither 0 nor 1") {
            _ = try decodeBinary(Bool.self, [0x02], valueColumn(.bit, unsigned: true, binary: true))
        }
        expectDecodingError("VAR_STRING value into Bool: unsupported column type") {
            _ = try decodeText(Bool.self, "true", valueColumn(.varString))
        }
        expectDecodingError("unsupported column type") {
            _ = try decodeText(Bool.self, "1", valueColumn(.newdecimal))
        }
    }

    @Test func nullHandling() throws {
        expectDecodingError("value is NULL; decode as Optional (e.g. Int?.self)") {
            _ = try decodeText(Int.self, nil, valueColumn(.long))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Bool?.self)") {
            _ = try decodeBinary(Bool.self, nil, valueColumn(.tiny))
        }
        #expect(try decodeText(Int?.self, nil, valueColumn(.long)) == nil)
        #expect(try decodeBinary(UInt64?.self, nil, valueColumn(.longlong)) == nil)
        #expect(try decodeText(Int?.self, "7", valueColumn(.long)) == 7)
        #expect(try decodeBinary(Int16?.self, littleEndian(Int16(-7)), valueColumn(.short)) == -7)
        expectDecodingError("300 is out of range") {
            _ = try decodeText(UInt8?.self, "300", valueColumn(.long))
        }
    }

    @Test func randomRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let signed = Int64.random(in: .min ... .max, using: &generator)
            #expect(try decodeText(Int64.self, "\(signed)", valueColumn(.longlong)) == signed)
            #expect(try decodeBinary(Int64.self, littleEndian(signed), valueColumn(.longlong)) == signed)
            let unsigned = UInt64.random(in: .min ... .max, using: &generator)
            let column = valueColumn(.longlong, unsigned: true)
            #expect(try decodeText(UInt64.self, "\(unsigned)", column) == unsigned)
            #expect(try decodeBinary(UInt64.self, littleEndian(unsigned), column) == unsigned)
            let small = Int32.random(in: .min ... .max, using: &generator)
            #expect(try decodeBinary(Int.self, littleEndian(small), valueColumn(.long)) == Int(small))
        }
    }
}
