// Integer and Bool conformances. Integer columns (text or little-endian binary), BIT
// (big-endian bytes in both formats) and integral DECIMAL values decode into any Swift
// integer type that can hold the value.

enum IntegerColumn {
    /// The integer a non-NULL column value holds; `target` only names the Swift type in errors.
    @inline(__always)
    static func value(
        _ bytes: some ValueBytes, format: MySQLValueFormat, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> IntegerValue {
        let type = column.type
        if type == .bit {
            return try bitValue(bytes, column: column, into: target)
        }
        if format == .binary && type.isInteger {
            return try binaryValue(bytes, column: column, into: target)
        }
        guard type.isInteger || type.isDecimal else {
            throw .decodingUnsupported(column, into: target)
        }
        switch ASCIIInteger.parse(bytes, allowFraction: type.isDecimal) {
        case .value(let value):
            return value
        case .malformed:
            throw .decodingMalformed(column, into: target, bytes)
        case .overflow:
            throw .decoding(column, into: target, "\(String(decoding: bytes, as: UTF8.self)) is out of range")
        case .fractional:
            throw .decoding(
                column, into: target,
                "\(String(decoding: bytes, as: UTF8.self)) has a fractional part; decode as Decimal or MySQLDecimal"
            )
        }
    }

    /// A binary-protocol integer: 1, 2, 4 or 8 little-endian bytes by column type.
    @inline(__always)
    static func binaryValue(
        _ bytes: some ValueBytes, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> IntegerValue {
        let width: Int
        switch column.type {
        case .tiny: width = 1
        case .short, .year: width = 2
        case .long, .int24: width = 4
        default: width = 8
        }
        guard bytes.count == width else {
            throw .decodingLength(column, into: target, length: bytes.count, expected: "\(width)")
        }
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            raw |= UInt64(byte) &<< shift
            shift &+= 8
        }
        if column.isUnsigned {
            return IntegerValue(raw)
        }
        let unusedBits = UInt64(64 - width * 8)
        return IntegerValue(Int64(bitPattern: raw &<< unusedBits) &>> unusedBits)
    }

    /// BIT(n): 1 to 8 big-endian bytes, an unsigned value.
    @inline(__always)
    static func bitValue(
        _ bytes: some ValueBytes, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> IntegerValue {
        guard (1...8).contains(bytes.count) else {
            throw .decoding(column, into: target, "BIT value has \(bytes.count) bytes; expected 1 to 8")
        }
        var raw: UInt64 = 0
        for byte in bytes {
            raw = raw &<< 8 | UInt64(byte)
        }
        return IntegerValue(raw)
    }
}

/// Shared body of the integer conformances.
@inline(__always)
func decodeMySQLInteger<T: FixedWidthInteger, Bytes: ValueBytes>(
    _ bytes: Bytes?, format: MySQLValueFormat, column: MySQLColumn.Shape, as _: T.Type
) throws(MySQLError) -> T {
    guard bytes != nil else { throw .decodingNull(into: T.self) }
    let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
    let value = try IntegerColumn.value(bytes, format: format, column: column, into: T.self)
    guard let result = value.exactly(T.self) else {
        throw .decoding(column, into: T.self, "\(value.text) is out of range (\(T.min)...\(T.max))")
    }
    return result
}

/// The Swift integer types: a binary integer value of the common widths decodes inline in the
/// caller (`binaryIntegerFastPath`), everything else through `decodeMySQLInteger`.
@usableFromInline protocol _MySQLBinaryInteger: FixedWidthInteger, _MySQLBinaryFastDecodable {}

extension _MySQLBinaryInteger {
    @inlinable @inline(__always)
    static func _binaryFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> Self? {
        guard let value = binaryIntegerFastPath(bytes, shape: shape) else { return nil }
        return Self(exactly: value)
    }
}

extension Int: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Int {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: Int.self)
    }
}

extension Int8: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Int8 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: Int8.self)
    }
}

extension Int16: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Int16 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: Int16.self)
    }
}

extension Int32: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Int32 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: Int32.self)
    }
}

extension Int64: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Int64 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: Int64.self)
    }
}

extension UInt: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> UInt {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: UInt.self)
    }
}

extension UInt8: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> UInt8 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: UInt8.self)
    }
}

extension UInt16: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> UInt16 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: UInt16.self)
    }
}

extension UInt32: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> UInt32 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: UInt32.self)
    }
}

extension UInt64: _MySQLBinaryInteger {
    // Concrete, so that text rows get the specialized decoder (a default implementation in the
    // protocol extension would run generically through the witness table).
    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> UInt64 {
        try decodeMySQLInteger(bytes, format: format, column: shape, as: UInt64.self)
    }
}

extension Bool: _MySQLBorrowedDecodable {
    /// Integer columns holding 0 or 1 (e.g. `BOOLEAN`, a `TINYINT(1)`) and BIT values 0 or 1.
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> Bool {
        guard bytes != nil else { throw .decodingNull(into: Bool.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        guard !column.type.isDecimal else { throw .decodingUnsupported(column, into: Bool.self) }
        let value = try IntegerColumn.value(bytes, format: format, column: column, into: Bool.self)
        guard !value.isNegative, value.magnitude <= 1 else {
            throw .decoding(column, into: Bool.self, "\(value.text) is neither 0 nor 1")
        }
        return value.magnitude == 1
    }
}
