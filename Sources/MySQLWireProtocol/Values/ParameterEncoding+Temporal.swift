import Foundation

// MySQLEncodable conformances of MySQLDate, MySQLDateTime, MySQLTime and Date. The layouts are
// those TemporalDecoding.swift reads, preceded by their length byte: DATE and DATETIME are 0,
// 4, 7 or 11 bytes (year(2) month day [hour minute second [microsecond(4)]]); TIME is 0, 8 or
// 12 bytes (negative days(4) hour minute second [microsecond(4)]). The server reads every
// layout; each value is sent in the shortest that holds its nonzero fields.

extension MySQLError {
    /// A date whose year the two-byte year field, or the type the date is sent as, cannot hold.
    static func parameterYearOutOfRange(
        _ value: some CustomStringConvertible, allowed: ClosedRange<Int>
    ) -> MySQLError {
        MySQLError(
            .invalidUsage,
            "cannot send \(value) as a parameter: its year is outside \(allowed.lowerBound)...\(allowed.upperBound)")
    }
}

extension MySQLDate: MySQLEncodable {
    /// DATE: year, month and day (zero parts as they are); the zero date as an empty value.
    /// Years outside 0...9999 (possible only from `init(_:timeZone:)`) throw `.invalidUsage`.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        guard (0...9999).contains(year) else { throw .parameterYearOutOfRange(self, allowed: 0...9999) }
        try MySQLDateTime(self).appendParameterValue(into: &buffer)
        return MySQLParameterType(.date)
    }
}

extension MySQLDateTime: MySQLEncodable {
    /// DATETIME, the fields as they are (zero dates included: permissive SQL modes accept
    /// them). Years outside 0...9999 (possible only from `init(_:timeZone:)`) throw
    /// `.invalidUsage`.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        try appendParameterValue(into: &buffer)
        return MySQLParameterType(.datetime)
    }

    /// The length byte and the shortest layout: 0 bytes for the zero value, 4 for midnight,
    /// 7 without microseconds, else 11.
    func appendParameterValue(into buffer: inout [UInt8]) throws(MySQLError) {
        guard (0...9999).contains(year) else { throw .parameterYearOutOfRange(self, allowed: 0...9999) }
        let length: UInt8
        if isZero {
            length = 0
        } else if storedMicrosecond != 0 {
            length = 11
        } else if storedHour | storedMinute | storedSecond != 0 {
            length = 7
        } else {
            length = 4
        }
        ParameterBytes.reserve(1 + Int(length), in: &buffer)
        buffer.append(length)
        guard length >= 4 else { return }
        ParameterBytes.appendLittleEndian(UInt16(truncatingIfNeeded: year), into: &buffer)
        buffer.append(storedDate.storedMonth)
        buffer.append(storedDate.storedDay)
        guard length >= 7 else { return }
        buffer.append(storedHour)
        buffer.append(storedMinute)
        buffer.append(storedSecond)
        guard length == 11 else { return }
        ParameterBytes.appendLittleEndian(storedMicrosecond, into: &buffer)
    }
}

extension MySQLTime: MySQLEncodable {
    /// TIME: sign, whole days, hour of the day, minute, second and microseconds. Zero (of
    /// either sign) is an empty value.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        let length: UInt8 = totalMicroseconds == 0 ? 0 : storedMicroseconds == 0 ? 8 : 12
        ParameterBytes.reserve(1 + Int(length), in: &buffer)
        buffer.append(length)
        if length >= 8 {
            buffer.append(isNegative ? 1 : 0)
            ParameterBytes.appendLittleEndian(UInt32(storedHours / 24), into: &buffer)
            buffer.append(UInt8(truncatingIfNeeded: storedHours % 24))
            buffer.append(storedMinutes)
            buffer.append(storedSeconds)
        }
        if length == 12 {
            ParameterBytes.appendLittleEndian(storedMicroseconds, into: &buffer)
        }
        return MySQLParameterType(.time)
    }
}

extension Date: MySQLEncodable {
    /// DATETIME: the UTC wall-clock time, rounded to the nearest microsecond — the value that
    /// decoding the column as `Date` reads back. Instants outside the years 1...9999 throw
    /// `.invalidUsage`.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        // NaN would trap in the conversion's integer arithmetic; infinities are clamped there
        // and fail the year check.
        guard !timeIntervalSinceReferenceDate.isNaN else {
            throw MySQLError(.invalidUsage, "cannot send a Date whose time interval is NaN as a parameter")
        }
        let value = MySQLDateTime(self, timeZone: .gmt)
        // Year 0 is a real date here, not MySQL's zero date, and DATETIME does not hold it.
        guard (1...9999).contains(value.year) else { throw .parameterYearOutOfRange(value, allowed: 1...9999) }
        try value.appendParameterValue(into: &buffer)
        return MySQLParameterType(.datetime)
    }
}
