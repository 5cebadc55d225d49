/// An integer read from a column, before it is narrowed to the requested Swift type.
///
/// Covers every value any integer column can hold: `Int64.min` through `UInt64.max`
/// (text values may go down to `-UInt64.max`; those fail every conversion).
struct IntegerValue: Sendable {
    /// Never `true` for zero.
    var isNegative: Bool
    var magnitude: UInt64

    init(isNegative: Bool, magnitude: UInt64) {
        self.isNegative = isNegative && magnitude != 0
        self.magnitude = magnitude
    }

    init(_ value: Int64) {
        self.isNegative = value < 0
        self.magnitude = value.magnitude
    }

    init(_ value: UInt64) {
        self.isNegative = false
        self.magnitude = value
    }

    /// The value as `T`, or `nil` when `T` cannot hold it. `T` is at most 64 bits wide.
    @inline(__always)
    func exactly<T: FixedWidthInteger>(_: T.Type) -> T? {
        if !isNegative {
            return magnitude <= UInt64(T.max) ? T(truncatingIfNeeded: magnitude) : nil
        }
        guard T.isSigned else { return nil }
        // |T.min| == T.max + 1 for two's-complement types.
        return magnitude <= UInt64(T.max) &+ 1 ? T(truncatingIfNeeded: 0 &- magnitude) : nil
    }

    /// The value in decimal, for error messages.
    var text: String { isNegative ? "-\(magnitude)" : "\(magnitude)" }
}

/// Outcome of reading an integer's text form.
enum IntegerTextParse {
    case value(IntegerValue)
    case malformed
    /// Well-formed, but beyond ±`UInt64.max`.
    case overflow
    /// Well-formed decimal number with a nonzero fractional part.
    case fractional
}

enum ASCIIInteger {
    /// Parses `-?[0-9]+` exactly; with `allowZeroFraction`, also `-?[0-9]+\.0+` and
    /// `-?[0-9]+\.[0-9]+` (reporting `.fractional` when a fraction digit is nonzero).
    /// No `+`, no spaces, no exponent.
    @inline(__always)
    static func parse(_ bytes: some ValueBytes, allowFraction: Bool = false) -> IntegerTextParse {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard i < end else { return .malformed }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let digitsStart = i
        var magnitude: UInt64 = 0
        // Common case: at most 19 characters left, all digits. 19 digits cannot overflow
        // UInt64 (max 20 digits), so no overflow checks are needed per digit.
        if end &- i <= 19 {
            let digitCount = end &- i
            let fast: UInt64? = bytes.withRawBytes { raw in
                // Safe: every read is at an offset < raw.count (8-byte runs only while 8 remain).
                var j = raw.count &- digitCount
                var value: UInt64 = 0
                while raw.count &- j >= 8, let chunk = EightDigits.parse(raw.baseAddress! + j) {
                    value = value &* 100_000_000 &+ chunk.value
                    j &+= 8
                }
                while j < raw.count {
                    let digit = raw[j] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value &* 10 &+ UInt64(digit)
                    j &+= 1
                }
                return value
            }
            if let fast, digitCount > 0 {
                return .value(IntegerValue(isNegative: negative, magnitude: fast))
            }
        }
        var overflow = false
        while i < end {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            if !overflow {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
                magnitude = sum
                overflow = o1 || o2
            }
            i += 1
        }
        guard i > digitsStart else { return .malformed }
        var fractional = false
        if i < end {
            guard allowFraction, bytes[i] == UInt8(ascii: "."), i + 1 < end else { return .malformed }
            i += 1
            while i < end {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return .malformed }
                if digit != 0 { fractional = true }
                i += 1
            }
        }
        if overflow { return .overflow }
        if fractional { return .fractional }
        return .value(IntegerValue(isNegative: negative, magnitude: magnitude))
    }
}
