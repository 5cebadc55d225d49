import Testing

@testable import MySQLWireProtocol

/// The text form of binary FLOAT and DOUBLE values. Every expected text was printed by MariaDB
/// 10.11 (`mariadb -N -B`, a COM_QUERY row) for the same value stored in a column of that type.
@Suite struct ValuesFloatingPointFormattingTests {
    private func doubleText(_ value: Double, decimals: UInt8? = nil) throws -> String {
        try decodeBinary(String.self, littleEndian(value.bitPattern), valueColumn(.double, decimals: decimals))
    }
    private func floatText(_ value: Float, decimals: UInt8? = nil) throws -> String {
        try decodeBinary(String.self, littleEndian(value.bitPattern), valueColumn(.float, decimals: decimals))
    }

    @Test(
        arguments: [
            (1e-5, "0.00001"), (-1e-5, "-0.00001"), (1e-4, "0.0001"), (0.1, "0.1"), (1e14, "100000000000000"),
            (1e15, "1e15"), (-1.5e15, "-1.5e15"), (9_007_199_254_740_992, "9.007199254740992e15"),
            (1e-15, "0.000000000000001"), (1.5e-15, "0.0000000000000015"), (1e-16, "1e-16"),
            (1.2345678901234567e-14, "0.000000000000012345678901234567"),
            (1.2345678901234567e-15, "0.0000000000000012345678901234568"),
            (-1.2345678901234567e-15, "-0.0000000000000012345678901234568"),
            (1_234_567_890_123_456.7, "1234567890123456.8"), (123_456_789_012_345_680, "1.2345678901234568e17"),
            (123_456_789_012_345.6, "123456789012345.6"), (1.7976931348623157e308, "1.7976931348623157e308"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"), (.leastNonzeroMagnitude, "5e-324"), (1.0 / 3, "0.3333333333333333"),
            (0, "0"), (1, "1"), (2.5, "2.5"),
        ] as [(Double, String)])
    func doubleAsTheServerPrintsIt(value: Double, server: String) throws {
        #expect(try doubleText(value) == server)
    }

    @Test(
        arguments: [
            (1e-5, "0.00001"), (-1e-5, "-0.00001"), (1e15, "1e15"), (1e16, "1e16"), (1e14, "100000000000000"),
            (1.2345678, "1.23457"), (123_457_000, "123457000"), (0.1, "0.1"), (1e-4, "0.0001"),
            (0.000123456789, "0.000123457"), (0.0001234565, "0.000123456"), (-1.2345678e-15, "-0.00000000000000123457"),
            (Float.leastNonzeroMagnitude, "1.4013e-45"), (Float.greatestFiniteMagnitude, "3.40282e38"),
            (Float(bitPattern: 0x007F_FFFF), "1.17549e-38"), (-1.5e15, "-1.5e15"),
            // Ties at the sixth digit go to even, as the server's dtoa rounds them.
            (1_234_565, "1234560"), (1_234_575, "1234580"), (8_388_608.5, "8388610"), (1_048_576.5, "1048580"),
        ] as [(Float, String)])
    func floatAsTheServerPrintsIt(value: Float, server: String) throws {
        #expect(try floatText(value) == server)
    }

    /// Columns with fixed decimals (`DOUBLE(10,3)`, `FLOAT(7,2)`, `ROUND(x, 3)`) print exactly
    /// that many, rounded to nearest with ties to even on the stored binary value.
    @Test func fixedDecimals() throws {
        #expect(try doubleText(1.5, decimals: 3) == "1.500")
        #expect(try doubleText(2.001, decimals: 3) == "2.001")
        #expect(try doubleText(-2.001, decimals: 3) == "-2.001")
        #expect(try doubleText(0.0625, decimals: 3) == "0.062")
        #expect(try doubleText(1_000_000, decimals: 3) == "1000000.000")
        #expect(try doubleText(0, decimals: 3) == "0.000")
        #expect(try doubleText(-0.0, decimals: 3) == "0.000")
        #expect(try doubleText(-0.0004, decimals: 3) == "0.000")
        #expect(try doubleText(2.5, decimals: 0) == "2")
        #expect(try floatText(1.5, decimals: 2) == "1.50")
        #expect(try floatText(3.125, decimals: 2) == "3.12")
        #expect(try floatText(-3.135, decimals: 2) == "-3.13")
        #expect(try floatText(0.125, decimals: 2) == "0.12")
        #expect(try floatText(10_000, decimals: 2) == "10000.00")
    }

    /// A printf in a locale with a decimal comma still gives the server's "." (read back as
    /// digits and a point position, not as text).
    @Test func separatorIndependentDigits() {
        let digits = FloatingPointFormatting.digits(of: "-1,23457e-05")
        #expect(digits.isNegative)
        #expect(String(decoding: digits.digits, as: UTF8.self) == "123457")
        #expect(digits.pointPosition == -4)
        #expect(FloatingPointFormatting.general(digits) == "-0.0000123457")
    }
}
