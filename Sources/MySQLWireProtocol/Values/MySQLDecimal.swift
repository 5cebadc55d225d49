/// An exact DECIMAL value of up to 65 digits, kept exactly as the server sent it.
///
/// The sign, the digits and the scale survive a round trip: `"-0.50"` has scale 2 and prints
/// as `-0.50`; a ZEROFILL value such as `"007.50"` keeps its leading zeros. Equality and
/// hashing compare the numeric value (`1.50 == 1.5`, `-0.00 == 0`).
public struct MySQLDecimal: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The most significant digits a DECIMAL column holds.
    public static let maximumDigits = 65

    // Magnitude as an integer in base 10^19, least significant limb first:
    // magnitude = limb0 + limb1·10^19 + limb2·10^38 + limb3·10^57 (each limb < 10^19).
    @usableFromInline var limb0: UInt64
    @usableFromInline var limb1: UInt64
    @usableFromInline var limb2: UInt64
    @usableFromInline var limb3: UInt64
    @usableFromInline var storedScale: UInt8
    /// Digits before the point as the text had them (at least 1; more with ZEROFILL).
    @usableFromInline var storedIntegerDigits: UInt8
    @usableFromInline var storedIsNegative: Bool
    /// Whether the text had a minus sign; `-0.00` keeps it.
    @inlinable public internal(set) var isNegative: Bool {
        get { storedIsNegative }
        set { storedIsNegative = newValue }
    }

    /// Digits after the decimal point.
    public var scale: Int { Int(storedScale) }

    /// Whether the value is zero (of either sign and any scale).
    public var isZero: Bool { limb0 | limb1 | limb2 | limb3 == 0 }

    /// Parses `-?[0-9]+(\.[0-9]+)?` with at most 65 significant digits and a scale of at
    /// most 65; `nil` for anything else (no `+`, exponent, spaces or bare point).
    public init?(string: String) {
        guard let value = MySQLDecimal.parse(ArraySlice(string.utf8)) else { return nil }
        self = value
    }

    /// Same as `init?(string:)`.
    public init?(_ description: String) {
        self.init(string: description)
    }

    /// An integer value, scale 0. Traps for integers of more than 65 digits.
    public init<T: BinaryInteger>(_ value: T) {
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let magnitude = value.magnitude
        if let small = UInt64(exactly: magnitude) {
            limbs.0 = small % MySQLDecimal.limbBase
            limbs.1 = small / MySQLDecimal.limbBase
        } else {
            var rest = magnitude
            let base = T.Magnitude(MySQLDecimal.limbBase)
            var index = 0
            while rest != 0 {
                let limb = UInt64(rest % base)
                rest /= base
                switch index {
                case 0: limbs.0 = limb
                case 1: limbs.1 = limb
                case 2: limbs.2 = limb
                case 3: limbs.3 = limb
                default: preconditionFailure("MySQLDecimal holds at most 65 digits")
                }
                index += 1
            }
        }
        self.init(limbs: limbs, scale: 0, integerDigits: 1, isNegative: value < 0)
        let digits = significantDigitCount
        precondition(digits <= MySQLDecimal.maximumDigits, "MySQLDecimal holds at most 65 digits")
        storedIntegerDigits = UInt8(max(1, digits))
    }

    @inlinable
    init(limbs: (UInt64, UInt64, UInt64, UInt64), scale: UInt8, integerDigits: UInt8, isNegative: Bool) {
        (limb0, limb1, limb2, limb3) = limbs
        storedScale = scale
        storedIntegerDigits = integerDigits
        storedIsNegative = isNegative
    }

    static let limbBase: UInt64 = 10_000_000_000_000_000_000

    /// The strict parser behind every initializer from text.
    @inline(__always)
    static func parse(_ bytes: some ValueBytes) -> MySQLDecimal? {
        bytes.withRawBytes { raw in
            guard let scan = scan(raw) else { return nil }
            if scan.digits <= 19 { return scan.oneLimb }
            guard scan.integerDigits <= maximumDigits, scan.scale <= maximumDigits else { return nil }
            let digitsStart = scan.isNegative ? 1 : 0
            return parseLong(
                raw[digitsStart...], integerDigits: scan.integerDigits, scale: scan.scale, negative: scan.isNegative)
        }
    }

    /// `-?[0-9]+(\.[0-9]+)?` of at most 19 digits in all (any DECIMAL(19,s) value), which fit
    /// one limb; nil for anything else (longer or malformed: `parse` decides). Inlinable: a
    /// binary row's DECIMAL decodes in the caller's code.
    @inlinable @inline(__always)
    static func parseAtMost19Digits(_ bytes: UnsafeRawBufferPointer) -> MySQLDecimal? {
        guard bytes.count <= 21, let scan = scan(bytes), scan.digits <= 19 else { return nil }
        return scan.oneLimb
    }

    /// What one pass over `-?[0-9]+(\.[0-9]+)?` finds.
    @usableFromInline struct Scan {
        @usableFromInline var isNegative: Bool
        @usableFromInline var digits: Int
        @usableFromInline var integerDigits: Int
        @usableFromInline var scale: Int
        /// The digits as one integer (wrapped around when there are more than 19).
        @usableFromInline var magnitude: UInt64

        @inlinable init(isNegative: Bool, digits: Int, integerDigits: Int, scale: Int, magnitude: UInt64) {
            (self.isNegative, self.digits, self.integerDigits, self.scale) = (isNegative, digits, integerDigits, scale)
            self.magnitude = magnitude
        }

        /// The value, for at most 19 digits.
        @inlinable var oneLimb: MySQLDecimal {
            MySQLDecimal(
                limbs: (magnitude, 0, 0, 0), scale: UInt8(truncatingIfNeeded: scale),
                integerDigits: UInt8(truncatingIfNeeded: integerDigits), isNegative: isNegative)
        }
    }

    /// Checks the syntax and counts the digits; nil for anything but `-?[0-9]+(\.[0-9]+)?`.
    @inlinable @inline(__always)
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan? {
        let count = bytes.count
        guard count > 0 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        var magnitude: UInt64 = 0
        var digits = 0
        var point = -1
        while i < count {
            let byte = bytes[i]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                magnitude = magnitude &* 10 &+ UInt64(digit)
                digits &+= 1
            } else if byte == UInt8(ascii: "."), point < 0 {
                point = digits
            } else {
                return nil
            }
            i &+= 1
        }
        let integerDigits = point < 0 ? digits : point
        let scale = point < 0 ? 0 : digits &- point
        guard integerDigits >= 1, point < 0 || scale >= 1 else { return nil }
        return Scan(
            isNegative: negative, digits: digits, integerDigits: integerDigits, scale: scale, magnitude: magnitude)
    }

    /// More than 19 digits, already validated as `[0-9]+(\.[0-9]+)?`: Horner's rule in chunks
    /// of 19 digits, where a full chunk shifts the limbs up by one.
    static func parseLong(_ bytes: some ValueBytes, integerDigits: Int, scale: Int, negative: Bool) -> MySQLDecimal? {
        var l0: UInt64 = 0
        var l1: UInt64 = 0
        var l2: UInt64 = 0
        var l3: UInt64 = 0
        var chunk: UInt64 = 0
        var chunkDigits = 0
        var significant = 0
        for byte in bytes where byte != UInt8(ascii: ".") {
            let digit = byte &- UInt8(ascii: "0")
            if digit == 0 && significant == 0 { continue }
            significant += 1
            guard significant <= maximumDigits else { return nil }
            chunk = chunk &* 10 &+ UInt64(digit)
            chunkDigits += 1
            if chunkDigits == 19 {
                (l3, l2, l1, l0) = (l2, l1, l0, chunk)
                chunk = 0
                chunkDigits = 0
            }
        }
        if chunkDigits > 0 {
            // Multiply by 10^k and add the last partial chunk (no overflow: ≤ 65 digits).
            let up = powerOfTen(chunkDigits)
            let down = powerOfTen(19 - chunkDigits)
            l3 = (l3 % down) &* up &+ l2 / down
            l2 = (l2 % down) &* up &+ l1 / down
            l1 = (l1 % down) &* up &+ l0 / down
            l0 = (l0 % down) &* up &+ chunk
        }
        return MySQLDecimal(
            limbs: (l0, l1, l2, l3), scale: UInt8(scale), integerDigits: UInt8(integerDigits),
            isNegative: negative)
    }

    /// 10^exponent for exponent 0...19.
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// Digits of the magnitude without leading zeros (0 for zero).
    var significantDigitCount: Int {
        let (top, index): (UInt64, Int) =
            limb3 != 0 ? (limb3, 3) : limb2 != 0 ? (limb2, 2) : limb1 != 0 ? (limb1, 1) : (limb0, 0)
        guard top != 0 else { return 0 }
        var digits = 0
        var rest = top
        while rest != 0 {
            rest /= 10
            digits += 1
        }
        return index * 19 + digits
    }

    /// The magnitude's digits, least significant first.
    struct DigitsFromLeast {
        var limbs: (UInt64, UInt64, UInt64, UInt64)
        var position = 0

        mutating func next() -> UInt8 {
            let digit: UInt64
            switch position / 19 {
            case 0: (limbs.0, digit) = limbs.0.quotientAndRemainder(dividingBy: 10)
            case 1: (limbs.1, digit) = limbs.1.quotientAndRemainder(dividingBy: 10)
            case 2: (limbs.2, digit) = limbs.2.quotientAndRemainder(dividingBy: 10)
            case 3: (limbs.3, digit) = limbs.3.quotientAndRemainder(dividingBy: 10)
            default: digit = 0
            }
            position += 1
            return UInt8(truncatingIfNeeded: digit)
        }
    }

    var digitsFromLeast: DigitsFromLeast { DigitsFromLeast(limbs: (limb0, limb1, limb2, limb3)) }

    /// The text form, exactly as it was parsed.
    public var description: String {
        let scale = Int(storedScale)
        let integerDigits = max(Int(storedIntegerDigits), significantDigitCount - scale, 1)
        let length = (isNegative ? 1 : 0) + integerDigits + (scale > 0 ? scale + 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var digits = digitsFromLeast
            var position = length
            for _ in 0..<scale {
                position -= 1
                buffer[position] = UInt8(ascii: "0") &+ digits.next()
            }
            if scale > 0 {
                position -= 1
                buffer[position] = UInt8(ascii: ".")
            }
            for _ in 0..<integerDigits {
                position -= 1
                buffer[position] = UInt8(ascii: "0") &+ digits.next()
            }
            if isNegative {
                buffer[0] = UInt8(ascii: "-")
            }
            return length
        }
    }

    /// The value with fractional trailing zeros removed and zero made positive, for
    /// equality and hashing.
    var normalized: (isNegative: Bool, limbs: (UInt64, UInt64, UInt64, UInt64), scale: UInt8) {
        guard !isZero else { return (false, (0, 0, 0, 0), 0) }
        var (l0, l1, l2, l3) = (limb0, limb1, limb2, limb3)
        var scale = storedScale
        let tenth = MySQLDecimal.limbBase / 10
        while scale > 0 && l0 % 10 == 0 {
            l0 = l0 / 10 + (l1 % 10) * tenth
            l1 = l1 / 10 + (l2 % 10) * tenth
            l2 = l2 / 10 + (l3 % 10) * tenth
            l3 = l3 / 10
            scale -= 1
        }
        return (isNegative, (l0, l1, l2, l3), scale)
    }

    public static func == (lhs: MySQLDecimal, rhs: MySQLDecimal) -> Bool {
        let a = lhs.normalized
        let b = rhs.normalized
        return a.isNegative == b.isNegative && a.scale == b.scale && a.limbs.0 == b.limbs.0
            && a.limbs.1 == b.limbs.1 && a.limbs.2 == b.limbs.2 && a.limbs.3 == b.limbs.3
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.isNegative)
        hasher.combine(value.scale)
        hasher.combine(value.limbs.0)
        hasher.combine(value.limbs.1)
        hasher.combine(value.limbs.2)
        hasher.combine(value.limbs.3)
    }

    /// The nearest Double.
    public var doubleValue: Double {
        if limb1 | limb2 | limb3 == 0 && limb0 <= 1 << 53 && storedScale <= 22 {
            let magnitude = Double(limb0) / FloatingPointText.doublePowerOfTen(Int(storedScale))
            return isNegative ? -magnitude : magnitude
        }
        let text = description.utf8
        return FloatingPointText.double(ArraySlice(text)) ?? .nan
    }
}
