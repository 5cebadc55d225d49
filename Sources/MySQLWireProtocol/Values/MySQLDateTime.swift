/// A DATETIME or TIMESTAMP value: a date (zero parts allowed, as in `MySQLDate`) and a time
/// of day with microseconds.
///
/// `fractionDigits` (0...6) is how many fraction digits the text form shows; a value decoded
/// from a column prints as the server prints that column. Equality and hashing ignore it.
public struct MySQLDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    @usableFromInline var storedDate: MySQLDate
    @usableFromInline var storedHour: UInt8
    @usableFromInline var storedMinute: UInt8
    @usableFromInline var storedSecond: UInt8
    @usableFromInline var storedFractionDigits: UInt8
    @usableFromInline var storedMicrosecond: UInt32

    @inlinable public var year: Int { storedDate.year }
    @inlinable public var month: Int { storedDate.month }
    @inlinable public var day: Int { storedDate.day }
    @inlinable public var hour: Int { Int(storedHour) }
    @inlinable public var minute: Int { Int(storedMinute) }
    @inlinable public var second: Int { Int(storedSecond) }
    @inlinable public var microsecond: Int { Int(storedMicrosecond) }
    /// Fraction digits in `description` (0...6).
    @inlinable public var fractionDigits: Int { Int(storedFractionDigits) }
    /// The date without the time of day.
    @inlinable public var datePart: MySQLDate { storedDate }

    /// The zero datetime `0000-00-00 00:00:00`.
    public static let zero = MySQLDateTime(
        date: .zero, hour: 0, minute: 0, second: 0, microsecond: 0, fractionDigits: 0)

    /// `nil` unless the date parts are valid for `MySQLDate`, hour 0...23, minute and second
    /// 0...59, microsecond 0...999999 and fractionDigits 0...6. `fractionDigits` defaults to
    /// 6 when `microsecond` is nonzero, else 0.
    public init?(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        microsecond: Int = 0, fractionDigits: Int? = nil
    ) {
        guard let date = MySQLDate(year: year, month: month, day: day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            (0...999_999).contains(microsecond)
        else { return nil }
        let digits = fractionDigits ?? (microsecond == 0 ? 0 : 6)
        guard (0...6).contains(digits) else { return nil }
        self.init(
            date: date, hour: hour, minute: minute, second: second, microsecond: microsecond,
            fractionDigits: digits)
    }

    /// Midnight of `date`.
    public init(_ date: MySQLDate) {
        self.init(date: date, hour: 0, minute: 0, second: 0, microsecond: 0, fractionDigits: 0)
    }

    /// Caller guarantees the ranges.
    @inlinable init(date: MySQLDate, hour: Int, minute: Int, second: Int, microsecond: Int, fractionDigits: Int) {
        storedDate = date
        storedHour = UInt8(truncatingIfNeeded: hour)
        storedMinute = UInt8(truncatingIfNeeded: minute)
        storedSecond = UInt8(truncatingIfNeeded: second)
        storedFractionDigits = UInt8(truncatingIfNeeded: fractionDigits)
        storedMicrosecond = UInt32(truncatingIfNeeded: microsecond)
    }

    /// `0000-00-00 00:00:00` (with any fraction digits).
    public var isZero: Bool {
        storedDate.isZero && storedHour == 0 && storedMinute == 0 && storedSecond == 0 && storedMicrosecond == 0
    }

    /// `YYYY-MM-DD HH:MM:SS` and, when `fractionDigits` > 0, `.` and that many digits.
    public var description: String {
        let year = self.year
        let yearDigits = TemporalText.digitCount(abs(year), minimum: 4)
        let fraction = fractionDigits > 0 ? fractionDigits + 1 : 0
        let dateEnd = (year < 0 ? 1 : 0) + yearDigits + 6
        let length = dateEnd + 9 + fraction
        return String(unsafeUninitializedCapacity: length) { buffer in
            if year < 0 { buffer[0] = UInt8(ascii: "-") }
            TemporalText.write(abs(year), width: yearDigits, into: buffer, end: dateEnd - 6)
            buffer[dateEnd - 6] = UInt8(ascii: "-")
            TemporalText.write(month, width: 2, into: buffer, end: dateEnd - 3)
            buffer[dateEnd - 3] = UInt8(ascii: "-")
            TemporalText.write(day, width: 2, into: buffer, end: dateEnd)
            buffer[dateEnd] = UInt8(ascii: " ")
            TemporalText.write(hour, width: 2, into: buffer, end: dateEnd + 3)
            buffer[dateEnd + 3] = UInt8(ascii: ":")
            TemporalText.write(minute, width: 2, into: buffer, end: dateEnd + 6)
            buffer[dateEnd + 6] = UInt8(ascii: ":")
            TemporalText.write(second, width: 2, into: buffer, end: dateEnd + 9)
            TemporalText.writeFraction(microsecond, digits: fractionDigits, into: buffer, end: length)
            return length
        }
    }

    public static func == (lhs: MySQLDateTime, rhs: MySQLDateTime) -> Bool {
        lhs.storedDate == rhs.storedDate && lhs.storedHour == rhs.storedHour
            && lhs.storedMinute == rhs.storedMinute && lhs.storedSecond == rhs.storedSecond
            && lhs.storedMicrosecond == rhs.storedMicrosecond
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedDate)
        hasher.combine(storedHour)
        hasher.combine(storedMinute)
        hasher.combine(storedSecond)
        hasher.combine(storedMicrosecond)
    }

    /// Chronological order of the wall-clock values; zero parts sort first.
    public static func < (lhs: MySQLDateTime, rhs: MySQLDateTime) -> Bool {
        if lhs.storedDate != rhs.storedDate { return lhs.storedDate < rhs.storedDate }
        return (lhs.storedHour, lhs.storedMinute, lhs.storedSecond, lhs.storedMicrosecond)
            < (rhs.storedHour, rhs.storedMinute, rhs.storedSecond, rhs.storedMicrosecond)
    }
}
