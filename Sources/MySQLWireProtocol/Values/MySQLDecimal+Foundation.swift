import Foundation

extension MySQLDecimal {
    /// The value as a Foundation `Decimal`: exact when its significant digits (without
    /// trailing zeros) fit in `Decimal`'s 38, otherwise rounded half away from zero to 38.
    public var decimalValue: Decimal {
        foundationDecimal(allowRounding: true)!
    }

    /// The value as a Foundation `Decimal`, or a `.decoding` error when `Decimal`'s 38 digits
    /// cannot hold it exactly.
    public func exactDecimal() throws(MySQLError) -> Decimal {
        guard let value = foundationDecimal(allowRounding: false) else {
            throw MySQLError(
                .decoding,
                "\(self) has more than 38 significant digits and does not fit in Decimal exactly; use MySQLDecimal"
            )
        }
        return value
    }

    /// A Foundation `Decimal`'s value; `nil` for NaN or values of more than 65 digits.
    public init?(_ decimal: Decimal) {
        guard decimal.isFinite else { return nil }
        self.init(string: decimal.description)
    }

    /// `nil` when rounding would be needed and is not allowed.
    @inline(__always)
    func foundationDecimal(allowRounding: Bool) -> Decimal? {
        let sign: FloatingPointSign = isNegative && !isZero ? .minus : .plus
        if limb1 | limb2 | limb3 == 0 {
            // Common case: ≤ 19 digits. Decimal(UInt64) plus the sign/exponent initializer
            // was measured the fastest public way (about 10 ns) and is exact.
            return Decimal(sign: sign, exponent: -Int(storedScale), significand: Decimal(limb0))
        }
        // Collect the significant digits, least significant first, skipping trailing zeros.
        var digits = digitsFromLeast
        let count = significantDigitCount
        var exponent = -Int(storedScale)
        var used = 0
        while used < count {
            var peek = digits
            guard peek.next() == 0 else { break }
            digits = peek
            used += 1
            exponent += 1
        }
        var remaining = count - used
        var roundUp = false
        if remaining > 38 {
            guard allowRounding else { return nil }
            for _ in 0..<(remaining - 39) {
                _ = digits.next()
            }
            roundUp = digits.next() >= 5
            exponent += remaining - 38
            remaining = 38
        }
        // low: the last (up to) 19 kept digits; high: the ones before.
        var low: UInt64 = 0
        var high: UInt64 = 0
        var scale: UInt64 = 1
        for index in 0..<remaining {
            if index == 19 { scale = 1 }
            let digit = UInt64(digits.next())
            if index < 19 { low += digit * scale } else { high += digit * scale }
            scale = scale &* 10
        }
        if roundUp {
            low += 1
            if low == MySQLDecimal.limbBase {
                low = 0
                high += 1
                if high == MySQLDecimal.limbBase {
                    return Decimal(sign: sign, exponent: exponent + 38, significand: 1)
                }
            }
        }
        // Both parts carry the sign (zero never does: a negative zero Decimal is NaN).
        let lowPart = Decimal(sign: low == 0 ? .plus : sign, exponent: exponent, significand: Decimal(low))
        guard high != 0 else { return lowPart }
        let highPart = Decimal(sign: sign, exponent: exponent + 19, significand: Decimal(high))
        return low == 0 ? highPart : highPart + lowPart
    }
}

extension Decimal {
    /// The `MySQLDecimal`'s value, rounded to 38 significant digits when it has more.
    public init(_ value: MySQLDecimal) {
        self = value.decimalValue
    }
}
