// Float and Double conformances: from FLOAT, DOUBLE, DECIMAL and integer columns.
// A binary FLOAT widens exactly into Double (0.1f gives 0.10000000149011612), while a text
// FLOAT arrives as its shortest text ("0.1") and parses to the nearest Double (0.1).

/// The few operations the shared decoding body needs from Float and Double.
protocol MySQLBinaryFloatingPoint: BinaryFloatingPoint {
    static func parseMySQLText(_ bytes: some ValueBytes) -> Self?
}

extension Double: MySQLBinaryFloatingPoint {
    static func parseMySQLText(_ bytes: some ValueBytes) -> Double? { FloatingPointText.double(bytes) }
}

extension Float: MySQLBinaryFloatingPoint {
    static func parseMySQLText(_ bytes: some ValueBytes) -> Float? { FloatingPointText.float(bytes) }
}

/// The bytes (4 or 8) as a little-endian integer.
@inline(__always)
func littleEndianBits(_ bytes: some ValueBytes) -> UInt64 {
    var raw: UInt64 = 0
    var shift: UInt64 = 0
    for byte in bytes {
        raw |= UInt64(byte) &<< shift
        shift &+= 8
    }
    return raw
}

@inline(__always)
func decodeMySQLFloatingPoint<T: MySQLBinaryFloatingPoint, Bytes: ValueBytes>(
    _ bytes: Bytes?, format: MySQLValueFormat, column: MySQLColumn.Shape, as _: T.Type
) throws(MySQLError) -> T {
    guard bytes != nil else { throw .decodingNull(into: T.self) }
    let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
    let type = column.type
    if format == .binary {
        switch type {
        case .double:
            guard bytes.count == 8 else {
                throw .decodingLength(column, into: T.self, length: bytes.count, expected: "8")
            }
            return try finite(T(Double(bitPattern: littleEndianBits(bytes))), column: column)
        case .float:
            guard bytes.count == 4 else {
                throw .decodingLength(column, into: T.self, length: bytes.count, expected: "4")
            }
            return T(Float(bitPattern: UInt32(truncatingIfNeeded: littleEndianBits(bytes))))
        case _ where type.isInteger:
            let value = try IntegerColumn.binaryValue(bytes, column: column, into: T.self)
            let magnitude = T(value.magnitude)
            return value.isNegative ? -magnitude : magnitude
        default:
            break
        }
    }
    guard type.isFloatingPoint || type.isDecimal || type.isInteger else {
        throw .decodingUnsupported(column, into: T.self)
    }
    if let value = T.parseMySQLText(bytes) {
        return value
    }
    if FloatingPointText.scan(bytes) != nil {
        throw .decoding(column, into: T.self, "\(String(decoding: bytes, as: UTF8.self)) is out of range")
    }
    throw .decodingMalformed(column, into: T.self, bytes)
}

/// Rejects a DOUBLE that overflowed on its way into Float.
@inline(__always)
private func finite<T: BinaryFloatingPoint>(_ value: T, column: MySQLColumn.Shape) throws(MySQLError) -> T {
    guard value.isFinite else { throw .decoding(column, into: T.self, "value is out of range") }
    return value
}

extension Double: _MySQLBinaryFastDecodable {
    /// A binary DOUBLE decodes inline in the caller.
    @inlinable @inline(__always)
    static func _binaryFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> Double? {
        binaryDoubleFastPath(bytes, shape: shape)
    }

    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> Double {
        try decodeMySQLFloatingPoint(bytes, format: format, column: column, as: Double.self)
    }
}

extension Float: _MySQLBorrowedDecodable {
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> Float {
        try decodeMySQLFloatingPoint(bytes, format: format, column: column, as: Float.self)
    }
}
