// MySQLDecimal conformance: DECIMAL columns (text in both formats) and integer columns.

extension MySQLDecimal {
    /// The exact value of a DECIMAL or integer column value.
    @inline(__always)
    static func decodeValue(
        _ bytes: some ValueBytes, format: MySQLValueFormat, column: MySQLColumn.Shape, into target: Any.Type
    ) throws(MySQLError) -> MySQLDecimal {
        let type = column.type
        if type.isDecimal || (type.isInteger && format == .text) {
            guard let value = MySQLDecimal.parse(bytes) else {
                throw .decoding(
                    column, into: target,
                    "\(MySQLError.quotedForError(bytes)) is not a decimal number of at most 65 digits")
            }
            return value
        }
        guard type.isInteger || type == .bit else { throw .decodingUnsupported(column, into: target) }
        let value = try IntegerColumn.value(bytes, format: format, column: column, into: target)
        var decimal = MySQLDecimal(value.magnitude)
        decimal.isNegative = value.isNegative
        return decimal
    }
}

extension MySQLDecimal: _MySQLBinaryFastDecodable {
    /// A DECIMAL of at most 19 digits decodes inline in the caller (DECIMAL travels as text in
    /// both protocols; the fast path serves binary rows, text rows keep the full decoder).
    @inlinable @inline(__always)
    static func _binaryFastPath(_ bytes: UnsafeRawBufferPointer, shape: MySQLColumn.Shape) -> MySQLDecimal? {
        let type = shape.type.rawValue
        guard type == 246 || type == 0 else { return nil }  // NEWDECIMAL, DECIMAL
        return parseAtMost19Digits(bytes)
    }

    @usableFromInline static func _decodeInFull(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> MySQLDecimal {
        guard bytes != nil else { throw .decodingNull(into: MySQLDecimal.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        return try decodeValue(bytes, format: format, column: column, into: MySQLDecimal.self)
    }
}
