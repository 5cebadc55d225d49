/// A DATE value as MySQL stores it: proleptic Gregorian year, month and day, where zero
/// parts are allowed (`0000-00-00`, `2024-00-00`) as permissive SQL modes allow them.
public struct MySQLDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    @usableFromInline var storedYear: Int32
    @usableFromInline var storedMonth: UInt8
    @usableFromInline var storedDay: UInt8

    @inlinable public var year: Int { Int(storedYear) }
    /// 1...12, or 0 in a zero or partial date.
    @inlinable public var month: Int { Int(storedMonth) }
    /// 1...31, or 0 in a zero or partial date.
    @inlinable public var day: Int { Int(storedDay) }

    /// The zero date `0000-00-00`.
    public static let zero = MySQLDate(uncheckedYear: 0, month: 0, day: 0)

    /// `nil` unless year is 0...9999, month 0...12 and day 0...31. Days beyond the month's
    /// length (`2024-02-30`, as `ALLOW_INVALID_DATES` permits) are accepted.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (0...12).contains(month), (0...31).contains(day) else { return nil }
        self.init(uncheckedYear: year, month: month, day: day)
    }

    /// Caller guarantees month 0...12, day 0...31 and a year that fits in Int32.
    @inlinable init(uncheckedYear year: Int, month: Int, day: Int) {
        storedYear = Int32(truncatingIfNeeded: year)
        storedMonth = UInt8(truncatingIfNeeded: month)
        storedDay = UInt8(truncatingIfNeeded: day)
    }

    /// `0000-00-00`.
    public var isZero: Bool { storedYear == 0 && storedMonth == 0 && storedDay == 0 }

    /// Whether the date exists on the calendar (no zero part, no February 30).
    public var isValid: Bool { CivilCalendar.isValid(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let year = self.year
        let yearDigits = TemporalText.digitCount(abs(year), minimum: 4)
        let length = (year < 0 ? 1 : 0) + yearDigits + 6
        return String(unsafeUninitializedCapacity: length) { buffer in
            if year < 0 { buffer[0] = UInt8(ascii: "-") }
            TemporalText.write(abs(year), width: yearDigits, into: buffer, end: length - 6)
            buffer[length - 6] = UInt8(ascii: "-")
            TemporalText.write(month, width: 2, into: buffer, end: length - 3)
            buffer[length - 3] = UInt8(ascii: "-")
            TemporalText.write(day, width: 2, into: buffer, end: length)
            return length
        }
    }

    /// Calendar order; zero parts sort first.
    public static func < (lhs: MySQLDate, rhs: MySQLDate) -> Bool {
        (lhs.storedYear, lhs.storedMonth, lhs.storedDay) < (rhs.storedYear, rhs.storedMonth, rhs.storedDay)
    }
}
