// MySQLDate, MySQLDateTime and MySQLTime conformances, and the binary-protocol layouts:
// DATE/DATETIME/TIMESTAMP are 0, 4, 7 or 11 bytes (year(2) month day [hour minute second
// [microsecond(4)]]); TIME is 0, 8 or 12 bytes (negative days(4) hour minute second
// [microsecond(4)]), all little-endian.

enum TemporalBinary {
    /// Fraction digits for a binary value: the column's declared decimals when 0...6.
    @inline(__always)
    static func fractionDigits(_ column: MySQLColumn.Shape, microseconds: Int) -> Int {
        column.decimals <= 6 ? Int(column.decimals) : (microseconds == 0 ? 0 : 6)
    }

    @inline(__always)
    static func uint16(_ bytes: some ValueBytes, _ index: Int) -> Int {
        Int(bytes[index]) | Int(bytes[index + 1]) << 8
    }

    @inline(__always)
    static func uint32(_ bytes: some ValueBytes, _ index: Int) -> Int {
        Int(bytes[index]) | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2]) << 16 | Int(bytes[index + 3]) << 24
    }

    static func dateTime(
        _ bytes: some ValueBytes, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> MySQLDateTime {
        let start = bytes.startIndex
        switch bytes.count {
        case 0:
            return MySQLDateTime(
                date: .zero, hour: 0, minute: 0, second: 0, microsecond: 0,
                fractionDigits: fractionDigits(column, microseconds: 0))
        case 4, 7, 11:
            let year = uint16(bytes, start)
            let month = Int(bytes[start + 2])
            let day = Int(bytes[start + 3])
            var hour = 0
            var minute = 0
            var second = 0
            var microsecond = 0
            if bytes.count >= 7 {
                hour = Int(bytes[start + 4])
                minute = Int(bytes[start + 5])
                second = Int(bytes[start + 6])
            }
            if bytes.count == 11 {
                microsecond = uint32(bytes, start + 7)
            }
            guard year <= 9999, month <= 12, day <= 31, hour <= 23, minute <= 59, second <= 59,
                microsecond <= 999_999
            else {
                throw .decoding(column, into: target, "binary value has fields out of range")
            }
            return MySQLDateTime(
                date: MySQLDate(uncheckedYear: year, month: month, day: day), hour: hour, minute: minute,
                second: second, microsecond: microsecond,
                fractionDigits: fractionDigits(column, microseconds: microsecond))
        default:
            throw .decodingLength(column, into: target, length: bytes.count, expected: "0, 4, 7 or 11")
        }
    }

    static func time(
        _ bytes: some ValueBytes, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> MySQLTime {
        let start = bytes.startIndex
        switch bytes.count {
        case 0:
            return MySQLTime(
                uncheckedNegative: false, hours: 0, minutes: 0, seconds: 0, microseconds: 0,
                fractionDigits: fractionDigits(column, microseconds: 0))
        case 8, 12:
            let negative = bytes[start]
            let days = uint32(bytes, start + 1)
            let hour = Int(bytes[start + 5])
            let minute = Int(bytes[start + 6])
            let second = Int(bytes[start + 7])
            let microsecond = bytes.count == 12 ? uint32(bytes, start + 8) : 0
            let hours = days * 24 + hour
            guard negative <= 1, hour <= 23, hours <= MySQLTime.maximumHours, minute <= 59, second <= 59,
                microsecond <= 999_999
            else {
                throw .decoding(column, into: target, "binary value has fields out of range")
            }
            return MySQLTime(
                uncheckedNegative: negative == 1, hours: hours, minutes: minute, seconds: second,
                microseconds: microsecond, fractionDigits: fractionDigits(column, microseconds: microsecond))
        default:
            throw .decodingLength(column, into: target, length: bytes.count, expected: "0, 8 or 12")
        }
    }
}

extension MySQLDateTime {
    /// A DATE, DATETIME or TIMESTAMP value in either format (DATE gives midnight).
    @inline(__always)
    static func decodeValue(
        _ bytes: some ValueBytes, format: MySQLValueFormat, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> MySQLDateTime {
        let type = column.type
        guard type.isDateOrDateTime else { throw .decodingUnsupported(column, into: target) }
        if format == .binary {
            return try TemporalBinary.dateTime(bytes, column: column, into: target)
        }
        if type.isDateOnly {
            guard let date = TemporalText.parseDate(bytes) else {
                throw .decodingMalformed(column, into: target, bytes)
            }
            return MySQLDateTime(date)
        }
        guard let value = TemporalText.parseDateTime(bytes) else {
            throw .decodingMalformed(column, into: target, bytes)
        }
        return value
    }
}

extension MySQLDate: _MySQLBorrowedDecodable {
    /// From DATE columns.
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> MySQLDate {
        guard bytes != nil else { throw .decodingNull(into: MySQLDate.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        guard column.type.isDateOnly else { throw .decodingUnsupported(column, into: MySQLDate.self) }
        return try MySQLDateTime.decodeValue(bytes, format: format, column: column, into: MySQLDate.self).datePart
    }
}

extension MySQLDateTime: _MySQLBinaryFastDecodable {
    /// From DATETIME, TIMESTAMP and DATE columns; a binary DATETIME or TIMESTAMP with a time
    /// decodes inline in the caller.
    @inlinable @inline(__always)
    static func _binaryFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> MySQLDateTime? {
        binaryDateTimeFastPath(bytes, shape: shape)
    }

    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> MySQLDateTime {
        guard bytes != nil else { throw .decodingNull(into: MySQLDateTime.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        return try decodeValue(bytes, format: format, column: column, into: MySQLDateTime.self)
    }
}

extension MySQLTime: _MySQLBorrowedDecodable {
    /// From TIME columns.
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> MySQLTime {
        guard bytes != nil else { throw .decodingNull(into: MySQLTime.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        guard column.type.isTime else { throw .decodingUnsupported(column, into: MySQLTime.self) }
        if format == .binary {
            return try TemporalBinary.time(bytes, column: column, into: MySQLTime.self)
        }
        guard let value = TemporalText.parseTime(bytes) else {
            throw .decodingMalformed(column, into: MySQLTime.self, bytes)
        }
        return value
    }
}
