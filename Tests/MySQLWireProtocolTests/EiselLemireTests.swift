import Foundation
import Testing

@testable import MySQLWireProtocol

/// The fast Double parser must agree with C's correctly rounded strtod bit for bit.
@Suite struct EiselLemireTests {
    static func strtodBits(_ text: String) -> UInt64 {
        text.withCString { strtod($0, nil).bitPattern }
    }

    static func parsedBits(_ text: String) -> UInt64? {
        FloatingPointText.double(Array(text.utf8)[...])?.bitPattern
    }

    static func check(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = strtodBits(text)
        guard Double(bitPattern: expected).isFinite else { return true }  // out of range: rejected by design
        let got = parsedBits(text)
        if got != expected {
            Issue.record(
                "\(text): got \(got.map { String(Double(bitPattern: $0)) } ?? "nil"), strtod \(Double(bitPattern: expected))",
                sourceLocation: sourceLocation)
            return false
        }
        return true
    }

    @Test func knownHardCases() {
        for text in [
            "9007199254740993", "9007199254740992", "9007199254740994", "9007199254740995",
            "-999.6816901138162", "0.1", "0.30000000000000004", "1.7976931348623157e308",
            "2.2250738585072014e-308", "4.9406564584124654e-324", "123456789012345678",
            "1e23", "8.98846567431158e307", "2.225073858507201e-308", "7.2057594037927933e16",
            "1.00000000000000011102230246251565404236316680908203125", "0.000001", "1e-300",
            "3.141592653589793", "-0.0", "18446744073709551615", "1844674407370955161.5",
        ] {
            _ = Self.check(text)
        }
    }

    @Test func randomRoundTripsAndDigitStrings() {
        var generator = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            for digits in [15, 16, 17] {
                let text = String(format: "%.\(digits)g", value)
                if !Self.check(text) { failures += 1 }
            }
        }
        for _ in 0..<20_000 where failures < 5 {
            let count = Int.random(in: 1...19, using: &generator)
            var text = ""
            for i in 0..<count {
                text.append(Character(String(i == 0 ? Int.random(in: 1...9) : Int.random(in: 0...9))))
            }
            let exponent = Int.random(in: -340...300, using: &generator)
            if !Self.check("\(text)e\(exponent)") { failures += 1 }
            let point = Int.random(in: 0..<count, using: &generator)
            let decimal =
                String(text.prefix(point == 0 ? 1 : point)) + "." + String(text.dropFirst(point == 0 ? 1 : point)) + "1"
            if !Self.check(decimal) { failures += 1 }
        }
        #expect(failures == 0)
    }
}
