import Foundation
import Testing

@testable import MySQLWireProtocol

@Suite("String, bytes and Data values")
struct ValuesStringTests {
    @Test func textColumns() throws {
        for type in [
            MySQLType.varString, .string, .varchar, .blob, .json, .enumType, .set, .newdecimal, .longlong, .double,
            .datetime, .time, .year,
        ] {
            #expect(try decodeText(String.self, "héllo ✓ 𝄞", valueColumn(type)) == "héllo ✓ 𝄞")
            #expect(try decodeBinary(String.self, Array("héllo".utf8), valueColumn(.varString)) == "héllo")
        }
        #expect(try decodeText(String.self, "", valueColumn(.varString)) == "")
        #expect(try decodeText(String.self, "{\"a\": [1, 2]}", valueColumn(.json)) == "{\"a\": [1, 2]}")
        #expect(try decodeBinary(String.self, Array("a,b".utf8), valueColumn(.set)) == "a,b")
        #expect(try decodeBinary(String.self, Array("-12.50".utf8), valueColumn(.newdecimal)) == "-12.50")
        #expect(
            try decodeText(String.self, "18446744073709551615", valueColumn(.longlong, unsigned: true))
                == "18446744073709551615")
    }

    @Test func invalidUTF8() {
        let invalid: [UInt8] = [0x61, 0xFF, 0xC0, 0x80]
        expectDecodingError("cannot decode BLOB value into String", "binary data that is not valid UTF-8", "[UInt8]") {
            _ = try decodeTextBytes(String.self, invalid, valueColumn(.blob, binary: true))
        }
        expectDecodingError("VAR_STRING value into String", "invalid UTF-8", "[UInt8] or Data") {
            _ = try decodeBinary(String.self, invalid, valueColumn(.varString))
        }
        expectDecodingError("invalid UTF-8") {
            _ = try decodeTextBytes(String.self, [0xED, 0xA0, 0x80], valueColumn(.string))  // surrogate
        }
    }

    @Test func binaryNumbersAsText() throws {
        #expect(try decodeBinary(String.self, littleEndian(Int64(-42)), valueColumn(.longlong)) == "-42")
        #expect(
            try decodeBinary(String.self, littleEndian(UInt64.max), valueColumn(.longlong, unsigned: true))
                == "18446744073709551615")
        #expect(try decodeBinary(String.self, [0xFF], valueColumn(.tiny)) == "-1")
        #expect(try decodeBinary(String.self, [0xFF], valueColumn(.tiny, unsigned: true)) == "255")
        #expect(try decodeBinary(String.self, littleEndian(UInt16(2024)), valueColumn(.year, unsigned: true)) == "2024")
        #expect(try decodeBinary(String.self, littleEndian((1.5).bitPattern), valueColumn(.double)) == "1.5")
        #expect(try decodeBinary(String.self, littleEndian((2.0).bitPattern), valueColumn(.double)) == "2")
        #expect(try decodeBinary(String.self, littleEndian((1e20).bitPattern), valueColumn(.double)) == "1e20")
        #expect(try decodeBinary(String.self, littleEndian(Float(0.1).bitPattern), valueColumn(.float)) == "0.1")
        #expect(try decodeBinary(String.self, littleEndian((1e-5).bitPattern), valueColumn(.double)) == "0.00001")
        #expect(
            try decodeBinary(String.self, littleEndian((-1.5e-300).bitPattern), valueColumn(.double)) == "-1.5e-300")
        #expect(try decodeBinary(String.self, littleEndian((0.0).bitPattern), valueColumn(.double)) == "0")
        #expect(try decodeBinary(String.self, littleEndian((1e100).bitPattern), valueColumn(.double)) == "1e100")
        #expect(
            try decodeBinary(String.self, littleEndian(UInt16(2024)) + [1, 2, 3, 4, 5], valueColumn(.datetime))
                == "2024-01-02 03:04:05")
        expectDecodingError("LONGLONG value into String", "binary value has 3 bytes") {
            _ = try decodeBinary(String.self, [1, 2, 3], valueColumn(.longlong))
        }
    }

    @Test func bytesAndData() throws {
        let raw: [UInt8] = [0x00, 0xFF, 0x80, 0x41]
        for type in [MySQLType.blob, .bit, .geometry, .varString, .longlong, .datetime] {
            #expect(try decodeTextBytes([UInt8].self, raw, valueColumn(type, binary: true)) == raw)
            #expect(try decodeBinary([UInt8].self, raw, valueColumn(type, binary: true)) == raw)
            #expect(try decodeTextBytes(Data.self, raw, valueColumn(type, binary: true)) == Data(raw))
            #expect(try decodeBinary(Data.self, raw, valueColumn(type, binary: true)) == Data(raw))
        }
        #expect(try decodeBinary([UInt8].self, [], valueColumn(.blob)) == [])
        #expect(try decodeBinary(Data.self, [], valueColumn(.blob)).isEmpty)
        // Data made from a slice starts at index 0.
        #expect(try decodeBinary(Data.self, raw, valueColumn(.blob)).first == 0x00)
    }

    @Test func nullAndOptional() throws {
        expectDecodingError("value is NULL; decode as Optional (e.g. String?.self)") {
            _ = try decodeText(String.self, nil, valueColumn(.varString))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Array<UInt8>?.self)") {
            _ = try decodeText([UInt8].self, nil, valueColumn(.blob))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Data?.self)") {
            _ = try decodeBinary(Data.self, nil, valueColumn(.blob))
        }
        #expect(try decodeText(String?.self, nil, valueColumn(.varString)) == nil)
        #expect(try decodeText(String?.self, "x", valueColumn(.varString)) == "x")
        #expect(try decodeBinary([UInt8]?.self, nil, valueColumn(.blob)) == nil)
        #expect(try decodeBinary(Data?.self, [1], valueColumn(.blob)) == Data([1]))
        // Nested optionals: NULL is the outer nil.
        let nested = try decodeText(String??.self, nil, valueColumn(.varString))
        #expect(nested == nil)
    }
}
