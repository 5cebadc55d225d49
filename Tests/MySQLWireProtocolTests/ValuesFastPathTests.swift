import Testing

@testable import MySQLWireProtocol

/// The inlinable binary fast paths (BinaryFastPaths.swift) must give exactly what the full
/// decoders give, value or error, for every column type and length they might see.
@Suite struct ValuesFastPathTests {
    /// Both entry points' result as text: the value, or the error's kind and message.
    private func outcome<T>(_ body: () throws(MySQLError) -> T) -> String {
        do throws(MySQLError) {
            return "value \(try body())"
        } catch {
            return "error \(error.kind) \(error.message)"
        }
    }

    private func randomBytes(_ count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private func compareInteger<T: _MySQLBinaryInteger>(
        _: T.Type, _ bytes: [UInt8], _ shape: MySQLColumn.Shape
    ) {
        bytes.withUnsafeBytes { raw in
            let fast = outcome { () throws(MySQLError) in
                try T._decode(borrowedBytes: raw, format: .binary, shape: shape)
            }
            let full = outcome { () throws(MySQLError) in
                try T._decodeInFull(borrowedBytes: raw, format: .binary, shape: shape)
            }
            #expect(fast == full, "\(T.self) from \(shape.type) \(bytes)")
        }
    }

    @Test func integers() {
        var generator = SystemRandomNumberGenerator()
        let types: [MySQLType] = [.tiny, .short, .year, .int24, .long, .longlong, .double, .bit, .newdecimal]
        for type in types {
            for unsigned in [false, true] {
                let shape = MySQLColumn.Shape(type: type, flags: unsigned ? [.unsigned] : [])
                for length in 0...9 {
                    var samples = [[UInt8](repeating: 0, count: length), [UInt8](repeating: 0xFF, count: length)]
                    if length > 0 {
                        samples.append([UInt8](repeating: 0, count: length - 1) + [0x80])
                        samples.append([UInt8](repeating: 0xFF, count: length - 1) + [0x7F])
                    }
                    for _ in 0..<20 { samples.append(randomBytes(length, using: &generator)) }
                    for bytes in samples {
                        compareInteger(Int.self, bytes, shape)
                        compareInteger(Int8.self, bytes, shape)
                        compareInteger(Int16.self, bytes, shape)
                        compareInteger(Int32.self, bytes, shape)
                        compareInteger(Int64.self, bytes, shape)
                        compareInteger(UInt.self, bytes, shape)
                        compareInteger(UInt8.self, bytes, shape)
                        compareInteger(UInt16.self, bytes, shape)
                        compareInteger(UInt32.self, bytes, shape)
                        compareInteger(UInt64.self, bytes, shape)
                    }
                }
            }
        }
    }

    @Test func doubles() {
        var generator = SystemRandomNumberGenerator()
        for type in [MySQLType.double, .float, .long, .longlong, .newdecimal] {
            let shape = MySQLColumn.Shape(type: type, decimals: 31)
            var samples: [[UInt8]] = [Double.infinity, -.infinity, .nan, -0.0, .leastNonzeroMagnitude].map {
                withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init)
            }
            for length in 0...9 {
                for _ in 0..<50 { samples.append(randomBytes(length, using: &generator)) }
            }
            for bytes in samples {
                bytes.withUnsafeBytes { raw in
                    let fast = outcome { () throws(MySQLError) in
                        try Double._decode(borrowedBytes: raw, format: .binary, shape: shape)
                    }
                    let full = outcome { () throws(MySQLError) in
                        try Double._decodeInFull(borrowedBytes: raw, format: .binary, shape: shape)
                    }
                    #expect(fast == full, "Double from \(type) \(bytes)")
                }
            }
        }
    }

    @Test func dateTimes() {
        var generator = SystemRandomNumberGenerator()
        for type in [MySQLType.datetime, .timestamp, .date, .time, .varString] {
            for decimals: UInt8 in [0, 3, 6, 31] {
                let shape = MySQLColumn.Shape(type: type, decimals: decimals)
                var samples: [[UInt8]] = []
                for length in [0, 4, 5, 7, 8, 11, 12] {
                    for _ in 0..<30 {
                        // Mostly plausible fields, sometimes any byte (out-of-range fields).
                        var bytes = randomBytes(length, using: &generator)
                        if Bool.random(using: &generator), length >= 7 {
                            bytes[1] = UInt8.random(in: 0...0x27, using: &generator)
                            bytes[2] = UInt8.random(in: 0...12, using: &generator)
                            bytes[3] = UInt8.random(in: 0...31, using: &generator)
                            bytes[4] = UInt8.random(in: 0...23, using: &generator)
                            bytes[5] = UInt8.random(in: 0...59, using: &generator)
                            bytes[6] = UInt8.random(in: 0...59, using: &generator)
                            if length == 11 {
                                let micro = UInt32.random(in: 0...1_000_000, using: &generator)
                                bytes.replaceSubrange(7..<11, with: withUnsafeBytes(of: micro.littleEndian, Array.init))
                            }
                        }
                        samples.append(bytes)
                    }
                }
                for bytes in samples {
                    bytes.withUnsafeBytes { raw in
                        let fast = outcome { () throws(MySQLError) in
                            let value = try MySQLDateTime._decode(borrowedBytes: raw, format: .binary, shape: shape)
                            return "\(value) (\(value.fractionDigits) digits)"
                        }
                        let full = outcome { () throws(MySQLError) in
                            let value = try MySQLDateTime._decodeInFull(
                                borrowedBytes: raw, format: .binary, shape: shape)
                            return "\(value) (\(value.fractionDigits) digits)"
                        }
                        #expect(fast == full, "MySQLDateTime from \(type) \(bytes)")
                    }
                }
            }
        }
    }

    @Test func decimals() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.-+e ".utf8)
        var samples = [
            "0", "-0.00", "1.5", "-12.34", "9999999999999999999", "99999999999999999999", "0.0000000000000000001",
            "-999999999.9999999999", ".5", "5.", "-", "", "1.2.3", "--1", "007.50", "1e5",
        ].map { Array($0.utf8) }
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &generator)
            if Bool.random(using: &generator) {
                // Well-formed: sign, digits, maybe a point.
                var text = Bool.random(using: &generator) ? "-" : ""
                let digits = max(1, length)
                let point = Int.random(in: 0...digits, using: &generator)
                for index in 0..<digits {
                    if index == point && index > 0 { text += "." }
                    text += String(Int.random(in: 0...9, using: &generator))
                }
                samples.append(Array(text.utf8))
            } else {
                samples.append((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            }
        }
        for type in [MySQLType.newdecimal, .decimal, .longlong, .varString] {
            let shape = MySQLColumn.Shape(type: type, decimals: 2)
            for bytes in samples {
                bytes.withUnsafeBytes { raw in
                    let fast = outcome { () throws(MySQLError) in
                        let value = try MySQLDecimal._decode(borrowedBytes: raw, format: .binary, shape: shape)
                        return "\(value) scale \(value.scale) negative \(value.isNegative)"
                    }
                    let full = outcome { () throws(MySQLError) in
                        let value = try MySQLDecimal._decodeInFull(borrowedBytes: raw, format: .binary, shape: shape)
                        return "\(value) scale \(value.scale) negative \(value.isNegative)"
                    }
                    #expect(fast == full, "MySQLDecimal from \(type) \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
    }
}
