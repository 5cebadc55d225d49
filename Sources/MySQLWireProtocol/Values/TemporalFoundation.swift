import Foundation

// Conversions between the MySQL temporal values and Foundation's Date, TimeZone and
// TimeInterval. Calendar arithmetic is proleptic Gregorian (as MySQL's), not Foundation's
// Gregorian calendar with its Julian switch in 1582.

/// Seconds from 1970-01-01 to 2001-01-01 (Date's reference date).
private let secondsFrom1970To2001: Int64 = 978_307_200

extension MySQLDateTime {
    /// Seconds since 1970-01-01 00:00:00 reading the fields as UTC; `nil` for zero or
    /// impossible dates.
    var secondsSince1970AsUTC: Int64? {
        guard storedDate.isValid else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant this wall-clock time names in `timeZone`. A time skipped by a DST change
    /// moves forward by the change (02:30 becomes 03:30); a repeated one gives the earlier
    /// instant. Throws `.decoding` for zero or impossible dates (`0000-00-00`, `2024-02-30`).
    public func date(in timeZone: TimeZone) throws(MySQLError) -> Date {
        guard let local = secondsSince1970AsUTC else {
            throw MySQLError(.decoding, "\(self) is not a valid date; read it as MySQLDateTime")
        }
        let utc = timeZone.utcSeconds(forLocalSeconds: local)
        return MySQLDateTime.date(secondsSince1970: utc, microsecond: microsecond)
    }

    /// The wall-clock time of `date` in `timeZone`, rounded to microseconds. `fractionDigits`
    /// is 6 when there is a fraction, else 0.
    public init(_ date: Date, timeZone: TimeZone) {
        // Clamped to about ±30 million years so the integer arithmetic cannot overflow; NaN
        // (which the clamp lets through) becomes the reference date rather than a trap.
        let raw = date.timeIntervalSinceReferenceDate
        let interval = raw.isNaN ? 0 : min(max(raw, -1e15), 1e15)
        let whole = interval.rounded(.down)
        var microsecond = Int(((interval - whole) * 1e6).rounded())
        var seconds = Int64(whole) + secondsFrom1970To2001
        if microsecond == 1_000_000 {
            microsecond = 0
            seconds += 1
        }
        seconds += Int64(timeZone.secondsFromGMT(for: date))
        let (days, secondOfDay) = MySQLDateTime.floorDivision(seconds, 86_400)
        let civil = CivilCalendar.date(daysSinceEpoch: Int(days))
        let time = Int(secondOfDay)
        self.init(
            date: MySQLDate(uncheckedYear: civil.year, month: civil.month, day: civil.day),
            hour: time / 3600, minute: time / 60 % 60, second: time % 60, microsecond: microsecond,
            fractionDigits: microsecond == 0 ? 0 : 6)
    }

    /// The Date nearest to the instant: one rounding, so a Date that is the nearest Double to
    /// a whole microsecond (what `init(_:timeZone:)` writes) reads back as itself.
    static func date(secondsSince1970 seconds: Int64, microsecond: Int) -> Date {
        let microseconds = (seconds - secondsFrom1970To2001) * 1_000_000 + Int64(microsecond)
        return Date(timeIntervalSinceReferenceDate: secondsRoundedOnce(microseconds: microseconds))
    }

    /// `microseconds / 1e6` correctly rounded to a Double for any |microseconds| < 2^63.
    ///
    /// `Double(s) + Double(µs) / 1e6` rounds twice (wrong by an ulp near 2001-01-01) and so does
    /// `Double(µs) / 1e6` above 2^53 µs (285 years from 2001). 1e6 = 15625 × 2^6: the
    /// magnitude is shifted left so that its quotient by 15625 has 56 to 57 bits, the remainder
    /// becomes a sticky bit below the rounding bit, and the conversion to Double rounds once;
    /// the shift and the 2^6 come off exactly as a power of two.
    static func secondsRoundedOnce(microseconds: Int64) -> Double {
        guard microseconds != 0 else { return 0 }
        let magnitude = microseconds.magnitude
        let shift = 70 - (64 - magnitude.leadingZeroBitCount)  // magnitude << shift < 2^70
        let high = shift >= 64 ? magnitude << (shift - 64) : magnitude >> (64 - shift)
        let low = shift >= 64 ? 0 : magnitude << shift
        // high < 2^6 < 15625, so the quotient fits in 64 bits (and is at least 2^55).
        let (quotient, remainder) = UInt64(15_625).dividingFullWidth((high: high, low: low))
        let rounded = Double(quotient | (remainder == 0 ? 0 : 1))
        let seconds = Double(sign: .plus, exponent: -shift - 6, significand: rounded)
        return microseconds < 0 ? -seconds : seconds
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

extension MySQLDate {
    /// The instant midnight of this date begins in `timeZone` (see `MySQLDateTime.date(in:)`
    /// for DST gaps). Throws `.decoding` for zero or impossible dates.
    public func date(in timeZone: TimeZone) throws(MySQLError) -> Date {
        try MySQLDateTime(self).date(in: timeZone)
    }

    /// The calendar date of `date` in `timeZone`.
    public init(_ date: Date, timeZone: TimeZone) {
        self = MySQLDateTime(date, timeZone: timeZone).datePart
    }
}

extension MySQLTime {
    /// The signed duration in seconds.
    public var timeInterval: TimeInterval { Double(totalMicroseconds) / 1e6 }
}

extension TimeZone {
    /// The UTC instant (seconds since 1970) of a wall-clock time (seconds since 1970 read as
    /// if UTC) in this zone. Offsets a day either side bound the answer (zone transitions
    /// are far more than two days apart).
    func utcSeconds(forLocalSeconds local: Int64) -> Int64 {
        func offset(_ utc: Int64) -> Int64 {
            Int64(secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc))))
        }
        let before = offset(local - 86_400)
        let after = offset(local + 86_400)
        if before == after {
            return local - before
        }
        let withOffsetBefore = local - before
        let withOffsetAfter = local - after
        let beforeFits = withOffsetBefore + offset(withOffsetBefore) == local
        let afterFits = withOffsetAfter + offset(withOffsetAfter) == local
        switch (beforeFits, afterFits) {
        case (true, true): return min(withOffsetBefore, withOffsetAfter)  // repeated: the earlier
        case (true, false): return withOffsetBefore
        case (false, true): return withOffsetAfter
        case (false, false): return withOffsetBefore  // skipped: moves forward by the gap
        }
    }
}
