// Parsing of the text form MySQL uses for FLOAT, DOUBLE, DECIMAL and integer values:
// `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`. Nothing else (no `inf`, `nan`, hex, spaces).
//
// Common values take an exact fast path (Clinger: a mantissa and a power of ten that are
// both exactly representable give a correctly rounded result with one multiply or divide).
// The rest go to C's correctly rounded strtod/strtof on a stack copy; if the process locale
// has a decimal separator other than "." (strtod then stops early), to the standard
// library's locale-independent parser.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum FloatingPointText {
    /// The decimal components of a well-formed number.
    struct Scan {
        var isNegative: Bool
        /// The first (at most) 19 significant digits.
        var mantissa: UInt64
        /// Significant digits seen, including those beyond the 19 kept in `mantissa`.
        var significantDigits: Int
        /// Value = mantissa × 10^exponent (exact when `significantDigits <= 19`).
        var exponent: Int

        /// Appends eight digits; the caller checked that at most 19 significant digits result.
        /// Leading zeros of a number are not significant digits.
        @inline(__always)
        mutating func add(_ chunk: EightDigits) {
            if significantDigits == 0 {
                significantDigits = chunk.value == 0 ? 0 : 8 - chunk.leadingZeros
            } else {
                significantDigits += 8
            }
            mantissa = mantissa &* 100_000_000 &+ chunk.value
        }
    }

    /// Splits `bytes` into sign, mantissa and exponent; `nil` when not well formed.
    @inline(__always)
    static func scan(_ bytes: some ValueBytes) -> Scan? {
        bytes.withRawBytes { scan($0) }
    }

    /// The same over raw bytes. Runs of eight digits are taken eight at a time (`EightDigits`),
    /// which halves the cost of the 15–17-digit values DOUBLE columns usually hold.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan? {
        var i = 0
        let end = bytes.count
        guard i < end else { return nil }
        var result = Scan(isNegative: false, mantissa: 0, significantDigits: 0, exponent: 0)
        if bytes[i] == UInt8(ascii: "-") {
            result.isNegative = true
            i += 1
        }
        let integerStart = i
        while i < end {
            if end &- i >= 8, result.significantDigits <= 11,
                let chunk = EightDigits.parse(bytes.baseAddress! + i)  // safe: 8 bytes remain
            {
                result.add(chunk)
                i &+= 8
                continue
            }
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            if digit != 0 || result.significantDigits != 0 {
                result.significantDigits += 1
                if result.significantDigits <= 19 {
                    result.mantissa = result.mantissa &* 10 &+ UInt64(digit)
                } else {
                    result.exponent += 1
                }
            }
            i += 1
        }
        guard i > integerStart else { return nil }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < end {
                if end &- i >= 8, result.significantDigits <= 11,
                    let chunk = EightDigits.parse(bytes.baseAddress! + i)  // safe: 8 bytes remain
                {
                    result.add(chunk)
                    result.exponent -= 8
                    i &+= 8
                    continue
                }
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if digit != 0 || result.significantDigits != 0 {
                    result.significantDigits += 1
                    if result.significantDigits <= 19 {
                        result.mantissa = result.mantissa &* 10 &+ UInt64(digit)
                        result.exponent -= 1
                    }
                } else {
                    result.exponent -= 1
                }
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var negativeExponent = false
            if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let exponentStart = i
            var exponent = 0
            while i < end {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                exponent = min(exponent * 10 + Int(digit), 1_000_000)
                i += 1
            }
            guard i > exponentStart else { return nil }
            result.exponent += negativeExponent ? -exponent : exponent
        }
        guard i == end else { return nil }
        return result
    }

    /// 10^exponent for 0...22 (exactly representable as Double). A switch, not a global
    /// array: no lazy-initialization check and no retain on the hot path.
    @inline(__always)
    static func doublePowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// 10^exponent for 0...10 (exactly representable as Float).
    @inline(__always)
    static func floatPowerOfTen(_ exponent: Int) -> Float {
        Float(doublePowerOfTen(exponent))
    }

    /// The correctly rounded Double for a well-formed number; `nil` when malformed or beyond
    /// Double's range.
    static func double(_ bytes: some ValueBytes) -> Double? {
        guard let scan = scan(bytes) else { return nil }
        if scan.mantissa == 0 {
            return scan.isNegative ? -0.0 : 0.0
        }
        if scan.significantDigits <= 19 && scan.mantissa <= 1 << 53 && abs(scan.exponent) <= 22 {
            let mantissa = Double(scan.mantissa)
            let power = doublePowerOfTen(abs(scan.exponent))
            let magnitude = scan.exponent < 0 ? mantissa / power : mantissa * power
            return scan.isNegative ? -magnitude : magnitude
        }
        if scan.significantDigits <= 19,
            let value = EiselLemire.double(mantissa: scan.mantissa, exponent: scan.exponent, negative: scan.isNegative)
        {
            return value
        }
        guard let value = parseWithC(bytes, strtod) ?? Double(String(decoding: bytes, as: UTF8.self)),
            value.isFinite
        else { return nil }
        return value
    }

    /// The correctly rounded Float; `nil` when malformed or beyond Float's range.
    static func float(_ bytes: some ValueBytes) -> Float? {
        guard let scan = scan(bytes) else { return nil }
        if scan.mantissa == 0 {
            return scan.isNegative ? -0.0 : 0.0
        }
        if scan.significantDigits <= 19 && scan.mantissa <= 1 << 24 && abs(scan.exponent) <= 10 {
            let mantissa = Float(scan.mantissa)
            let power = floatPowerOfTen(abs(scan.exponent))
            let magnitude = scan.exponent < 0 ? mantissa / power : mantissa * power
            return scan.isNegative ? -magnitude : magnitude
        }
        guard let value = parseWithC(bytes, strtof) ?? Float(String(decoding: bytes, as: UTF8.self)),
            value.isFinite
        else { return nil }
        return value
    }

    /// Runs a C parser over a NUL-terminated stack copy of already validated text; `nil`
    /// unless it consumed every byte (it stops early at "." under a "," locale).
    @inline(__always)
    static func parseWithC<T>(
        _ bytes: some ValueBytes,
        _ parser: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> T
    ) -> T? {
        let count = bytes.count
        guard count < 512 else { return nil }
        // The copy lives on the stack for the closure only; it is count + 1 bytes, NUL-terminated,
        // and the parser reads no further than the NUL.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> T? in
            guard let base = buffer.baseAddress else { return nil }
            bytes.withRawBytes { source in
                UnsafeMutableRawPointer(base).copyMemory(from: source.baseAddress!, byteCount: count)
            }
            base[count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = parser(base, &end)
            return end == base + count ? value : nil
        }
    }
}
