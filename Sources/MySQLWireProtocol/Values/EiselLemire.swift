/// Decimal to binary64 conversion by the Eisel-Lemire algorithm (Lemire, "Number Parsing at a
/// Gigabyte per Second", 2021; with Mushtak & Lemire 2022, showing one 128-bit product of the
/// normalized mantissa and a truncated power of five always decides the rounding). Correctly
/// rounded for a mantissa of at most 19 digits; returns nil (the caller falls back to strtod)
/// for subnormals, overflow and out-of-table exponents.
enum EiselLemire {
    static let smallestPowerOfTen = -342
    static let largestPowerOfTen = 308

    /// The Double nearest to `w` × 10^`q` (w > 0, exact), or nil when this path does not apply.
    @inline(__always)
    static func double(mantissa w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        guard w != 0, q >= smallestPowerOfTen, q <= largestPowerOfTen else { return nil }
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w << UInt64(leadingZeros)
        let index = 2 * (q - smallestPowerOfTen)
        let table = powersOfFive
        var (high, low) = normalized.multipliedFullWidth(by: table[index])
        // 52 explicit mantissa bits + 3: the low 9 bits of `high` must not all be ones, or the
        // next 64 bits of the power decide.
        let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
        if high & precisionMask == precisionMask {
            let (secondHigh, _) = normalized.multipliedFullWidth(by: table[index + 1])
            let (sum, overflow) = low.addingReportingOverflow(secondHigh)
            low = sum
            if overflow { high &+= 1 }
        }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 64 - 52 - 3)
        var mantissa = high >> shift
        // power(q) = floor(q · log2(10)) + 63, then adjusted by the normalization; bias 1023.
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - leadingZeros + 1023
        if power2 <= 0 { return nil }  // subnormal: leave to strtod
        // Round half to even when the product is exact and lands right between two doubles.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, (mantissa << shift) == high {
            mantissa &= ~UInt64(1)
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 as UInt64) << 52 {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(UInt64(1) << 52)
        if power2 >= 0x7FF { return nil }  // overflow: leave to strtod (and the range check)
        let bits = (negative ? 1 << 63 : 0) | UInt64(power2) << 52 | mantissa
        return Double(bitPattern: bits)
    }
}
