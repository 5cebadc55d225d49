/// A TIME value: a signed duration from -838:59:59 to 838:59:59 (MySQL's range), or a time
/// of day, with microseconds.
///
/// `fractionDigits` (0...6) is how many fraction digits the text form shows; a value decoded
/// from a column prints as the server prints that column. Equality and hashing compare the
/// signed duration (so `-00:00:00 == 00:00:00`) and ignore `fractionDigits`.
public struct MySQLTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The largest hours value MySQL's TIME holds.
    public static let maximumHours = 838
    /// 838:59:59 in microseconds.
    static let maximumMicroseconds: Int64 = (838 * 3600 + 59 * 60 + 59) * 1_000_000

    /// Whether the text form has a minus sign (set only by the text or binary value).
    public let isNegative: Bool
    var storedHours: UInt16
    var storedMinutes: UInt8
    var storedSeconds: UInt8
    var storedFractionDigits: UInt8
    var storedMicroseconds: UInt32

    /// 0...838.
    public var hours: Int { Int(storedHours) }
    public var minutes: Int { Int(storedMinutes) }
    public var seconds: Int { Int(storedSeconds) }
    public var microseconds: Int { Int(storedMicroseconds) }
    /// Fraction digits in `description` (0...6).
    public var fractionDigits: Int { Int(storedFractionDigits) }

    /// `nil` unless hours is 0...838, minutes and seconds 0...59, microseconds 0...999999,
    /// fractionDigits 0...6 and the magnitude at most 838:59:59. `fractionDigits` defaults
    /// to 6 when `microseconds` is nonzero, else 0.
    public init?(
        isNegative: Bool = false, hours: Int, minutes: Int, seconds: Int, microseconds: Int = 0,
        fractionDigits: Int? = nil
    ) {
        guard (0...MySQLTime.maximumHours).contains(hours), (0...59).contains(minutes),
            (0...59).contains(seconds), (0...999_999).contains(microseconds)
        else { return nil }
        let digits = fractionDigits ?? (microseconds == 0 ? 0 : 6)
        guard (0...6).contains(digits) else { return nil }
        self.init(
            uncheckedNegative: isNegative, hours: hours, minutes: minutes, seconds: seconds,
            microseconds: microseconds, fractionDigits: digits)
        guard totalMicroseconds.magnitude <= MySQLTime.maximumMicroseconds else { return nil }
    }

    /// A duration rounded to whole microseconds; `nil` beyond ±838:59:59.
    public init?(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        let fraction = (Double(attoseconds) / 1e12).rounded()
        let total = whole + Int64(fraction)
        guard total.magnitude <= MySQLTime.maximumMicroseconds else { return nil }
        self.init(totalMicroseconds: total)
    }

    /// Caller guarantees magnitude ≤ 838:59:59.
    init(totalMicroseconds total: Int64) {
        let magnitude = Int(total.magnitude)
        let seconds = magnitude / 1_000_000
        self.init(
            uncheckedNegative: total < 0, hours: seconds / 3600, minutes: seconds / 60 % 60,
            seconds: seconds % 60, microseconds: magnitude % 1_000_000,
            fractionDigits: magnitude % 1_000_000 == 0 ? 0 : 6)
    }

    /// Caller guarantees the ranges.
    init(uncheckedNegative: Bool, hours: Int, minutes: Int, seconds: Int, microseconds: Int, fractionDigits: Int) {
        isNegative = uncheckedNegative
        storedHours = UInt16(truncatingIfNeeded: hours)
        storedMinutes = UInt8(truncatingIfNeeded: minutes)
        storedSeconds = UInt8(truncatingIfNeeded: seconds)
        storedFractionDigits = UInt8(truncatingIfNeeded: fractionDigits)
        storedMicroseconds = UInt32(truncatingIfNeeded: microseconds)
    }

    /// The signed duration in microseconds.
    public var totalMicroseconds: Int64 {
        let magnitude =
            ((Int64(storedHours) * 60 + Int64(storedMinutes)) * 60 + Int64(storedSeconds)) * 1_000_000
            + Int64(storedMicroseconds)
        return isNegative ? -magnitude : magnitude
    }

    /// The signed duration.
    public var duration: Duration { .microseconds(totalMicroseconds) }

    /// `[-]HH:MM:SS` (more hour digits when needed) and, when `fractionDigits` > 0, `.` and
    /// that many digits.
    public var description: String {
        let hourDigits = TemporalText.digitCount(hours, minimum: 2)
        let sign = isNegative ? 1 : 0
        let clockEnd = sign + hourDigits + 6
        let length = clockEnd + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            if isNegative { buffer[0] = UInt8(ascii: "-") }
            TemporalText.write(hours, width: hourDigits, into: buffer, end: sign + hourDigits)
            buffer[clockEnd - 6] = UInt8(ascii: ":")
            TemporalText.write(minutes, width: 2, into: buffer, end: clockEnd - 3)
            buffer[clockEnd - 3] = UInt8(ascii: ":")
            TemporalText.write(seconds, width: 2, into: buffer, end: clockEnd)
            TemporalText.writeFraction(microseconds, digits: fractionDigits, into: buffer, end: length)
            return length
        }
    }

    public static func == (lhs: MySQLTime, rhs: MySQLTime) -> Bool {
        lhs.totalMicroseconds == rhs.totalMicroseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(totalMicroseconds)
    }

    /// Order of the signed durations.
    public static func < (lhs: MySQLTime, rhs: MySQLTime) -> Bool {
        lhs.totalMicroseconds < rhs.totalMicroseconds
    }
}
