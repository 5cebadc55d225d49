extension Optional: MySQLDecodable where Wrapped: MySQLDecodable {
    /// SQL NULL is `nil`; any other value decodes as `Wrapped`.
    public static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> Wrapped? {
        guard let bytes else { return nil }
        return try Wrapped.decode(mysqlValue: bytes, format: format, column: column)
    }

    @inlinable public static var _decodesBorrowedBytes: Bool { Wrapped._decodesBorrowedBytes }

    @inlinable @inline(__always) public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Wrapped? {
        guard let bytes else { return nil }
        return try Wrapped._decode(borrowedBytes: bytes, format: format, shape: shape)
    }
}
