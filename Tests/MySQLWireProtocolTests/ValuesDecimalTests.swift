import Foundation
import Testing

@testable import MySQLWireProtocol

@Suite("DECIMAL values")
struct ValuesDecimalTests {
    static let full65 = "12345678901234567890123456789012345.123456789012345678901234567890"

    @Test(arguments: [
        "0", "-0", "0.00", "-0.00", "-0.50", "12.50", "1", "-1",
        "99999999999999999999999999999999999.999999999999999999999999999999",
        full65, "-" + full65, "0.000000000000000000000000000001", "007.50", "1234567890123456789",
        "12345678901234567890", "1000000000000000000000000000000000000000000000000000000000000000",
        "0." + String(repeating: "9", count: 65), String(repeating: "9", count: 65),
    ])
    func textRoundTrip(_ text: String) throws {
        let decimal = try #require(MySQLDecimal(string: text))
        #expect(decimal.description == text)
        #expect(try decodeText(MySQLDecimal.self, text, valueColumn(.newdecimal)).description == text)
        #expect(try decodeBinary(MySQLDecimal.self, Array(text.utf8), valueColumn(.newdecimal)).description == text)
        #expect(MySQLDecimal(text) == decimal)
    }

    @Test func components() throws {
        let value = try #require(MySQLDecimal(string: "-0.50"))
        #expect(value.isNegative)
        #expect(value.scale == 2)
        #expect(!value.isZero)
        let zero = try #require(MySQLDecimal(string: "-0.00"))
        #expect(zero.isNegative && zero.isZero && zero.scale == 2)
        #expect(try #require(MySQLDecimal(string: Self.full65)).scale == 30)
    }

    @Test func strictParsing() {
        for text in [
            "", "-", "+1", "1.", ".5", "-.5", "1e5", "1.2.3", " 1", "1 ", "1,5", "0x1", "--1", "NaN", "inf",
            String(repeating: "9", count: 66), "1" + String(repeating: "0", count: 65),
            "0." + String(repeating: "1", count: 66),
        ] {
            #expect(MySQLDecimal(string: text) == nil, "\(text)")
        }
        expectDecodingError("NEWDECIMAL value into MySQLDecimal", "is not a decimal number of at most 65 digits") {
            _ = try decodeText(MySQLDecimal.self, "1e5", valueColumn(.newdecimal))
        }
    }

    @Test func valueEquality() throws {
        func d(_ text: String) -> MySQLDecimal { MySQLDecimal(string: text)! }
        #expect(d("1.50") == d("1.5"))
        #expect(d("1.50").hashValue == d("1.5").hashValue)
        #expect(d("-0.00") == d("0"))
        #expect(d("-0.00").hashValue == d("0").hashValue)
        #expect(d("007.50") == d("7.5"))
        #expect(d("10") != d("1"))
        #expect(d("1.0") == d("1"))
        #expect(d("-1.5") != d("1.5"))
        #expect(d("0.1") != d("0.01"))
        #expect(d("5.000000000000000000000000000000") == d("5"))
        #expect(d("1" + String(repeating: "0", count: 40)) == d("1" + String(repeating: "0", count: 40) + ".00"))
        #expect(Set([d("2.0"), d("2"), d("2.00")]).count == 1)
    }

    @Test func integers() {
        #expect(MySQLDecimal(0).description == "0")
        #expect(MySQLDecimal(-42).description == "-42")
        #expect(MySQLDecimal(Int64.min).description == "-9223372036854775808")
        #expect(MySQLDecimal(UInt64.max).description == "18446744073709551615")
        #expect(MySQLDecimal(Int128.min).description == "-170141183460469231731687303715884105728")
        #expect(MySQLDecimal(UInt128.max).description == "340282366920938463463374607431768211455")
    }

    @Test func fromIntegerColumns() throws {
        #expect(try decodeText(MySQLDecimal.self, "-12", valueColumn(.long)).description == "-12")
        #expect(
            try decodeBinary(MySQLDecimal.self, littleEndian(UInt64.max), valueColumn(.longlong, unsigned: true))
                .description == "18446744073709551615")
        #expect(
            try decodeBinary(MySQLDecimal.self, littleEndian(Int64.min), valueColumn(.longlong)).description
                == "-9223372036854775808")
        #expect(try decodeBinary(Decimal.self, littleEndian(Int32(-7)), valueColumn(.long)) == Decimal(-7))
        expectDecodingError("DOUBLE value into MySQLDecimal: unsupported column type") {
            _ = try decodeText(MySQLDecimal.self, "1.5", valueColumn(.double))
        }
    }

    @Test func doubleValue() throws {
        #expect(MySQLDecimal(string: "12.50")!.doubleValue == 12.5)
        #expect(MySQLDecimal(string: "-0.1")!.doubleValue == -0.1)
        #expect(
            MySQLDecimal(string: Self.full65)!.doubleValue
                == 12345678901234567890123456789012345.123456789012345678901234567890)
        #expect(MySQLDecimal(string: "0.000000000000000000000000000001")!.doubleValue == 1e-30)
    }

    @Test func foundationDecimalExact() throws {
        let cases = [
            "12.50", "-12.50", "0", "-0.00", "0.01", "-99999999999999999999999999999999999999",
            "99999999999999999999999999999999999999", "1234567890123456789", "12345678901234567890",
            "-1234567890123456789.0123456789012345678", "0.00000000000000000000000000000000000001",
            "100000000000000000000000000000000000000000000000000000000000000", "10000000000000000000.5",
            "-10000000000000000000000000000000000000", "123" + String(repeating: "0", count: 52) + ".000000",
        ]
        for text in cases {
            let value = MySQLDecimal(string: text)!
            let expected = Decimal(string: text)!
            #expect(try value.exactDecimal() == expected, "\(text)")
            #expect(value.decimalValue == expected, "\(text)")
            #expect(Decimal(value) == expected, "\(text)")
            #expect(try decodeText(Decimal.self, text, valueColumn(.newdecimal)) == expected, "\(text)")
            #expect(try decodeBinary(Decimal.self, Array(text.utf8), valueColumn(.newdecimal)) == expected, "\(text)")
        }
        let negative = try decodeText(Decimal.self, "-0.50", valueColumn(.newdecimal))
        #expect(negative == Decimal(string: "-0.5")!)
        #expect(negative < 0)
        #expect(!(try decodeText(Decimal.self, "-0.00", valueColumn(.newdecimal))).isNaN)
    }

    @Test func foundationDecimalLossy() throws {
        let value = try #require(MySQLDecimal(string: Self.full65))
        let error = thrownError { _ = try value.exactDecimal() } as? MySQLError
        #expect(error?.kind == .decoding)
        #expect(error?.message.contains("38") == true)
        expectDecodingError("NEWDECIMAL value into Decimal", "more than 38 significant digits", "MySQLDecimal") {
            _ = try decodeText(Decimal.self, Self.full65, valueColumn(.newdecimal))
        }
        // Rounded half away from zero to 38 digits.
        #expect(value.decimalValue == Decimal(string: "12345678901234567890123456789012345.123")!)
        let up = MySQLDecimal(string: "-1.23456789012345678901234567890123456789")!
        #expect(up.decimalValue == Decimal(string: "-1.2345678901234567890123456789012345679")!)
        let carry = MySQLDecimal(string: "9999999999999999999999999999999999999999")!
        #expect(carry.decimalValue == Decimal(string: "10000000000000000000000000000000000000000")!)
        let carryLow = MySQLDecimal(string: "1.0000000000000000009999999999999999999999")!
        #expect(carryLow.decimalValue == Decimal(string: "1.000000000000000001")!)
        #expect(throws: MySQLError.self) { try carry.exactDecimal() }
    }

    @Test func fromFoundationDecimal() {
        #expect(MySQLDecimal(Decimal(string: "-12.5")!)?.description == "-12.5")
        #expect(MySQLDecimal(Decimal(0))?.description == "0")
        #expect(MySQLDecimal(Decimal.nan) == nil)
    }

    @Test func nullAndOptional() throws {
        expectDecodingError("value is NULL; decode as Optional (e.g. MySQLDecimal?.self)") {
            _ = try decodeText(MySQLDecimal.self, nil, valueColumn(.newdecimal))
        }
        expectDecodingError("value is NULL; decode as Optional (e.g. Decimal?.self)") {
            _ = try decodeText(Decimal.self, nil, valueColumn(.newdecimal))
        }
        #expect(try decodeText(Decimal?.self, nil, valueColumn(.newdecimal)) == nil)
        #expect(try decodeText(MySQLDecimal?.self, "1.5", valueColumn(.newdecimal)) == MySQLDecimal(string: "1.5"))
    }

    @Test func randomRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let integerDigits = Int.random(in: 1...35, using: &generator)
            let scale = Int.random(in: 0...30, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String((0..<integerDigits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            if scale > 0 {
                text +=
                    "." + String((0..<scale).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            }
            let value = try decodeText(MySQLDecimal.self, text, valueColumn(.newdecimal))
            #expect(value.description == text)
            #expect(value.scale == scale)
            let expected = Decimal(string: text)!
            let significant = text.filter(\.isNumber).drop { $0 == "0" }.reversed().drop { $0 == "0" }.count
            if significant <= 38 {
                #expect(try value.exactDecimal() == expected, "\(text)")
            } else {
                #expect(throws: MySQLError.self) { try value.exactDecimal() }
            }
        }
    }
}
