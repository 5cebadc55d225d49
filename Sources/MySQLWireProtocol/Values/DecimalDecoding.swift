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

extension MySQLDecimal: _MySQLBorrowedDecodable {
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> MySQLDecimal {
        guard bytes != nil else { throw .decodingNull(into: MySQLDecimal.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        return try decodeValue(bytes, format: format, column: column, into: MySQLDecimal.self)
    }
}
