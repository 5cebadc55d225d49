// The text the server sends in a COM_QUERY row for a FLOAT or DOUBLE value, rebuilt from the
// value a binary row carries, so that both protocols give the same text.
//
// The server formats by the column's decimals (MariaDB `Float::to_string`, `Field_double::
// val_str`, `String::set_real`; MySQL the same functions from the same dtoa.c):
// - decimals < 31 (`FLOAT(7,2)`, `ROUND(x, 3)`): fixed notation with exactly that many
//   decimals (`my_fcvt`): the shortest round-trip digits when they fit, else the value
//   correctly rounded, ties to even: `1.500`, `-294155678976421.9000`.
// - decimals 31 (not fixed): `my_gcvt` with a wide field. A DOUBLE keeps its shortest
//   round-trip digits; a FLOAT is rounded to 6 significant digits (FLT_DIG), ties to even, and
//   trailing zeros dropped (1.2345678 → `1.23457`, 1234565 → `1234560`). Fixed notation when
//   the decimal point falls from 14 zeros after it up to 15 digits before it, or when it falls
//   inside the digits; otherwise one digit, the rest after a point, and a bare exponent:
//   `0.00001`, `0.000000000000001`, `1e-16`, `100000000000000`, `1e15`,
//   `9.007199254740992e15`, `1234567890123456.8`, `1.2345678901234568e17`.
// Checked against MariaDB 10.11 by LiveRoundTripTests (random values of both types through both
// protocols) and pinned by ValuesFloatingPointFormattingTests.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum FloatingPointFormatting {
    /// `decimals` of a column whose values have no fixed number of decimals (NOT_FIXED_DEC).
    static let notFixedDecimals: UInt8 = 31

    /// A DOUBLE's text as the server prints it in a column with these decimals.
    static func text(_ value: Double, decimals: UInt8) -> String {
        guard value.isFinite else { return value.description }
        if decimals < notFixedDecimals { return fixed(value, decimals: Int(decimals)) }
        return general(digits(of: value.description))
    }

    /// A FLOAT's text as the server prints it in a column with these decimals.
    static func text(_ value: Float, decimals: UInt8) -> String {
        guard value.isFinite else { return value.description }
        if decimals < notFixedDecimals { return fixed(Double(value), decimals: Int(decimals)) }
        // C's printf rounds the exact binary value to 6 significant digits, ties to even, as
        // the server's dtoa does (`%.5e`: one digit before the point, five after).
        return general(digits(of: printed(Double(value), format: "%.5e", precision: 0)))
    }

    /// The significant digits of a number and where its decimal point goes.
    struct Digits {
        var isNegative: Bool
        /// ASCII digits without leading or trailing zeros; empty for zero.
        var digits: [UInt8]
        /// Value = 0.digits × 10^pointPosition.
        var pointPosition: Int
    }

    /// Reads `[-]ddd[.ddd][e[+-]dd]` as C or Swift print it; any byte other than a digit,
    /// sign or `e` before the exponent is a decimal separator (printf follows the C locale's).
    static func digits(of printed: String) -> Digits {
        var result = Digits(isNegative: false, digits: [], pointPosition: 0)
        var integerDigits = 0
        var seenSeparator = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in printed.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentSign = -1 } else { result.isNegative = true }
            case UInt8(ascii: "+"):
                break
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    result.digits.append(byte)
                    if !seenSeparator { integerDigits += 1 }
                }
            default:
                seenSeparator = true
            }
        }
        result.pointPosition = integerDigits + exponentSign * exponent
        let leadingZeros = result.digits.prefix { $0 == UInt8(ascii: "0") }.count
        result.digits.removeFirst(leadingZeros)
        result.pointPosition -= leadingZeros
        while result.digits.last == UInt8(ascii: "0") { result.digits.removeLast() }
        return result
    }

    /// `my_gcvt`'s choice between fixed and exponent notation, for a field wide enough for
    /// every digit (the server's is).
    static func general(_ number: Digits) -> String {
        let digits = number.digits
        // Zero prints as `0`; the server sends no negative zero.
        guard !digits.isEmpty else { return "0" }
        let point = number.pointPosition
        // MAX_DECPT_FOR_F_FORMAT (DBL_DIG = 15) bounds fixed notation on both sides; fixed
        // notation is `my_fcvt`'s with exactly the digits after the point.
        if point > -15 && (point <= 15 || digits.count > point) {
            return fixedText(number, decimals: max(0, digits.count - point))
        }
        var text: [UInt8] = number.isNegative ? [UInt8(ascii: "-")] : []
        text.append(digits[0])
        if digits.count > 1 {
            text.append(UInt8(ascii: "."))
            text += digits[1...]
        }
        text.append(UInt8(ascii: "e"))
        text += Array(String(point - 1).utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// `my_fcvt`: fixed notation with exactly `decimals` decimals. The server's dtoa stops at
    /// the shortest round-trip digits when they need no more decimals than that (a DOUBLE(20,4)
    /// holding -294155678976421.875 prints `-294155678976421.9000`); otherwise the value is
    /// correctly rounded to `decimals`, ties to even (as C's printf rounds).
    static func fixed(_ value: Double, decimals: Int) -> String {
        let shortest = digits(of: value.description)
        if shortest.digits.count - shortest.pointPosition <= decimals {
            return fixedText(shortest, decimals: decimals)
        }
        return fixedText(digits(of: printed(value, format: "%.*f", precision: decimals)), decimals: decimals)
    }

    /// Digits in fixed notation with exactly `decimals` decimals (zeros appended); a negative
    /// value that is zero at this precision prints without its sign, as the server's does.
    static func fixedText(_ number: Digits, decimals: Int) -> String {
        let digits = number.digits
        let point = number.pointPosition
        var text: [UInt8] = number.isNegative && !digits.isEmpty ? [UInt8(ascii: "-")] : []
        if point <= 0 || digits.isEmpty {
            text.append(UInt8(ascii: "0"))
        } else {
            text += digits.prefix(point)
            text += repeatElement(UInt8(ascii: "0"), count: max(0, point - digits.count))
        }
        guard decimals > 0 else { return String(decoding: text, as: UTF8.self) }
        text.append(UInt8(ascii: "."))
        var fraction: [UInt8] = []
        if !digits.isEmpty {
            fraction += repeatElement(UInt8(ascii: "0"), count: min(decimals, max(0, -point)))
            fraction += digits.dropFirst(max(0, point)).prefix(decimals - fraction.count)
        }
        text += fraction
        text += repeatElement(UInt8(ascii: "0"), count: decimals - fraction.count)
        return String(decoding: text, as: UTF8.self)
    }

    /// C's `snprintf` of one double, with a precision argument when `format` takes one (`%.*f`).
    private static func printed(_ value: Double, format: String, precision: Int) -> String {
        // 330 bytes hold any double in %.30f (309 integer digits, sign, point, 30 decimals).
        var buffer = [CChar](repeating: 0, count: 352)
        let arguments: [any CVarArg] = format.contains("*") ? [Int32(precision), value] : [value]
        let count = withVaList(arguments) { list in
            // `buffer` outlives the call and vsnprintf writes at most `buffer.count` bytes.
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, list) }
        }
        guard count > 0 else { return "" }
        return buffer.withUnsafeBufferPointer { pointer in
            // vsnprintf wrote a NUL-terminated string into the buffer; `!`: a 352-element
            // array always has a base address.
            String(cString: pointer.baseAddress!)
        }
    }
}
