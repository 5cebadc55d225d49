// Inlinable fast paths for the binary values a scan decodes most: an integer, a DOUBLE and a
// DATETIME whose column type and length are the common ones. `MySQLRow.decode` is inlined into
// the caller, and with these the whole decode of such a value is a few loads and compares in
// the caller's code instead of a call into this module per value. Anything else (other types,
// other lengths, out-of-range or non-finite values, text rows) returns nil and takes the full
// decoder, which also produces the errors; the fast paths accept nothing it would reject and
// give the same value (ValuesFastPathTests compares them on every type and length).

/// A built-in type with an inlinable binary fast path: `_decode` tries it, then the full
/// decoder (out of line).
@usableFromInline protocol _MySQLBinaryFastDecodable: _MySQLBorrowedDecodable {
    /// The value when the column type and length are the common ones; nil for the full decoder.
    static func _binaryFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> Self?

    /// The full decoder: every format, type and length, and every error.
    static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Self
}

extension _MySQLBinaryFastDecodable {
    @inlinable @inline(__always) public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Self {
        if format == .binary, let bytes, let value = _binaryFastPath(bytes, shape: shape) { return value }
        return try _decodeInFull(borrowedBytes: bytes, format: format, shape: shape)
    }
}

/// An integer column's binary value widened to Int64: TINY (1 byte), SHORT and YEAR (2), LONG
/// and INT24 (4), LONGLONG (8, nil above Int64.max when unsigned); nil for anything else.
@inlinable @inline(__always)
func binaryIntegerFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> Int64? {
    let unsigned = shape.flags.rawValue & 0x20 != 0  // UNSIGNED_FLAG (`.unsigned` is a global)
    // Type codes as literals: `MySQLType.longlong` and friends are globals behind an accessor.
    switch shape.type.rawValue {
    case 8:  // LONGLONG
        guard bytes.count == 8 else { return nil }
        let raw = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        if unsigned && raw > UInt64(Int64.max) { return nil }
        return Int64(bitPattern: raw)
    case 3, 9:  // LONG, INT24
        guard bytes.count == 4 else { return nil }
        let raw = UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))
        return unsigned ? Int64(raw) : Int64(Int32(bitPattern: raw))
    case 2, 13:  // SHORT, YEAR
        guard bytes.count == 2 else { return nil }
        let raw = UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self))
        return unsigned ? Int64(raw) : Int64(Int16(bitPattern: raw))
    case 1:  // TINY
        guard bytes.count == 1 else { return nil }
        let raw = bytes[0]
        return unsigned ? Int64(raw) : Int64(Int8(bitPattern: raw))
    default:
        return nil
    }
}

/// A DOUBLE column's 8 bytes when finite; nil for anything else.
@inlinable @inline(__always)
func binaryDoubleFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> Double? {
    guard shape.type.rawValue == 5, bytes.count == 8 else { return nil }  // DOUBLE
    let value = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
    return value.isFinite ? value : nil
}

/// A DATETIME or TIMESTAMP column's 7- or 11-byte value with fields in range; nil for anything
/// else (0 and 4 bytes, DATE columns, out-of-range fields).
@inlinable @inline(__always)
func binaryDateTimeFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> MySQLDateTime? {
    let type = shape.type.rawValue
    guard type == 12 || type == 7, bytes.count == 7 || bytes.count == 11 else { return nil }  // DATETIME, TIMESTAMP
    let year = Int(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self)))
    let month = Int(bytes[2])
    let day = Int(bytes[3])
    let hour = Int(bytes[4])
    let minute = Int(bytes[5])
    let second = Int(bytes[6])
    let microsecond =
        bytes.count == 11 ? Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 7, as: UInt32.self))) : 0
    guard year <= 9999, month <= 12, day <= 31, hour <= 23, minute <= 59, second <= 59, microsecond <= 999_999 else {
        return nil
    }
    let decimals = Int(shape.decimals)
    return MySQLDateTime(
        date: MySQLDate(uncheckedYear: year, month: month, day: day), hour: hour, minute: minute, second: second,
        microsecond: microsecond, fractionDigits: decimals <= 6 ? decimals : (microsecond == 0 ? 0 : 6))
}
