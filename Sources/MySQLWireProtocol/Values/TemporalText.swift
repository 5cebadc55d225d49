/// Allocation-free reading and writing of the text forms of DATE, DATETIME and TIME.
enum TemporalText {
    /// `count` ASCII digits at `start` as a number, or -1 when one is not a digit.
    @inline(__always)
    static func number(_ bytes: some ValueBytes, _ start: Int, _ count: Int) -> Int {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return -1 }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    /// `YYYY-MM-DD` at `start` (10 bytes, caller checked they exist).
    @inline(__always)
    static func date(_ bytes: some ValueBytes, at start: Int) -> MySQLDate? {
        guard bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-") else { return nil }
        let year = number(bytes, start, 4)
        let month = number(bytes, start + 5, 2)
        let day = number(bytes, start + 8, 2)
        guard year >= 0, (0...12).contains(month), (0...31).contains(day) else { return nil }
        return MySQLDate(uncheckedYear: year, month: month, day: day)
    }

    /// `HH:MM:SS` at `start` (8 bytes, caller checked they exist), hour 0...23.
    @inline(__always)
    static func clock(_ bytes: some ValueBytes, at start: Int) -> (hour: Int, minute: Int, second: Int)? {
        guard bytes[start + 2] == UInt8(ascii: ":"), bytes[start + 5] == UInt8(ascii: ":") else { return nil }
        let hour = number(bytes, start, 2)
        let minute = number(bytes, start + 3, 2)
        let second = number(bytes, start + 6, 2)
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return (hour, minute, second)
    }

    /// Nothing, or `.` and 1 to 6 digits, from `start` to the end: (microseconds, digit count).
    @inline(__always)
    static func fraction(_ bytes: some ValueBytes, from start: Int) -> (microseconds: Int, digits: Int)? {
        let end = bytes.endIndex
        if start == end { return (0, 0) }
        let digits = end - start - 1
        guard bytes[start] == UInt8(ascii: "."), (1...6).contains(digits) else { return nil }
        let value = number(bytes, start + 1, digits)
        guard value >= 0 else { return nil }
        var microseconds = value
        for _ in digits..<6 { microseconds &*= 10 }
        return (microseconds, digits)
    }

    /// DATE text: exactly `YYYY-MM-DD`.
    static func parseDate(_ bytes: some ValueBytes) -> MySQLDate? {
        guard bytes.count == 10 else { return nil }
        return date(bytes, at: bytes.startIndex)
    }

    /// DATETIME/TIMESTAMP text: `YYYY-MM-DD HH:MM:SS` and an optional `.` with 1-6 digits.
    static func parseDateTime(_ bytes: some ValueBytes) -> MySQLDateTime? {
        let start = bytes.startIndex
        guard bytes.count >= 19, bytes[start + 10] == UInt8(ascii: " "),
            let date = date(bytes, at: start),
            let clock = clock(bytes, at: start + 11),
            let fraction = fraction(bytes, from: start + 19)
        else { return nil }
        return MySQLDateTime(
            date: date, hour: clock.hour, minute: clock.minute, second: clock.second,
            microsecond: fraction.microseconds, fractionDigits: fraction.digits)
    }

    /// TIME text: `-?H{1,3}:MM:SS` (hours 0...838) and an optional `.` with 1-6 digits.
    static func parseTime(_ bytes: some ValueBytes) -> MySQLTime? {
        var index = bytes.startIndex
        let end = bytes.endIndex
        guard index < end else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var hours = 0
        let hoursStart = index
        while index < end, index - hoursStart < 3 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            hours = hours * 10 + Int(digit)
            index += 1
        }
        guard index > hoursStart, hours <= MySQLTime.maximumHours, end - index >= 6,
            bytes[index] == UInt8(ascii: ":"), bytes[index + 3] == UInt8(ascii: ":")
        else { return nil }
        let minutes = number(bytes, index + 1, 2)
        let seconds = number(bytes, index + 4, 2)
        guard (0...59).contains(minutes), (0...59).contains(seconds),
            let fraction = fraction(bytes, from: index + 6)
        else { return nil }
        return MySQLTime(
            uncheckedNegative: negative, hours: hours, minutes: minutes, seconds: seconds,
            microseconds: fraction.microseconds, fractionDigits: fraction.digits)
    }

    /// Writes `value` (≥ 0) right-aligned in `width` digits ending before `end`.
    @inline(__always)
    static func write(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, end: Int) {
        var rest = value
        var position = end
        for _ in 0..<width {
            position -= 1
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Digits needed for `value` (≥ 0), at least `minimum`.
    static func digitCount(_ value: Int, minimum: Int) -> Int {
        var count = 1
        var rest = value / 10
        while rest != 0 {
            count += 1
            rest /= 10
        }
        return max(count, minimum)
    }

    /// Writes `.` and the first `digits` of the 6-digit `microseconds` ending before `end`.
    @inline(__always)
    static func writeFraction(
        _ microseconds: Int, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, end: Int
    ) {
        guard digits > 0 else { return }
        var shown = microseconds
        for _ in digits..<6 { shown /= 10 }
        write(shown, width: digits, into: buffer, end: end)
        buffer[end - digits - 1] = UInt8(ascii: ".")
    }
}
