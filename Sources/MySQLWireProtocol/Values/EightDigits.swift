/// Eight ASCII digits read and converted at once (SWAR: one 64-bit load, a validity test and
/// three multiply-and-shift steps instead of eight loop iterations).
struct EightDigits {
    /// The digits' value, 0...99_999_999.
    var value: UInt64
    /// How many of the eight characters are leading "0"s.
    var leadingZeros: Int

    /// The eight bytes at `pointer` as a number, or nil unless all eight are "0"..."9".
    /// `pointer` must have eight readable bytes.
    @inline(__always)
    static func parse(_ pointer: UnsafeRawPointer) -> EightDigits? {
        // loadUnaligned: safe because the caller guarantees eight readable bytes at `pointer`.
        let raw = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        // Each byte is a digit when its high nibble is 3 and adding 6 does not carry out of it.
        let highNibbles = raw & 0xF0F0_F0F0_F0F0_F0F0
        let carried = (raw &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0
        guard highNibbles | (carried >> 4) == 0x3333_3333_3333_3333 else { return nil }
        let digits = raw &- 0x3030_3030_3030_3030
        // The first character is the lowest byte (little-endian load).
        let leadingZeros = digits == 0 ? 8 : digits.trailingZeroBitCount / 8
        // Pairs: byte k holds 10 × d[k] + d[k+1] for even k.
        let pairs = (digits &* 10) &+ (digits >> 8)
        // Quads from pairs, then the whole: the 32-bit halves hold partial sums.
        let lowPairs = pairs & 0x0000_00FF_0000_00FF
        let highPairs = (pairs >> 16) & 0x0000_00FF_0000_00FF
        let value = ((lowPairs &* (100 &+ (1_000_000 << 32))) &+ (highPairs &* (1 &+ (10_000 << 32)))) >> 32
        return EightDigits(value: value & 0xFFFF_FFFF, leadingZeros: leadingZeros)
    }
}
