/// The wire format a value arrived in.
public enum MySQLValueFormat: Sendable {
    /// COM_QUERY result rows: every value is its text form.
    case text
    /// Prepared-statement result rows: values in their binary encoding by column type.
    case binary
}

/// A Swift type that can be made from one column value of a result row.
///
/// `bytes` is the value's payload (for text rows: the content of the length-encoded string;
/// for binary rows: the value's bytes without any length prefix for fixed-size types, the
/// content for length-encoded types), or `nil` for SQL NULL. Implementations throw
/// `MySQLError` of kind `.decoding`; the row adds the column's name to the message.
///
/// Conformers implement `decode(mysqlValue:format:column:)` only. The two underscored
/// requirements are an implementation detail of the built-in conformances (integers, Bool,
/// Float, Double, MySQLDecimal, Decimal, the temporal types, Date and their optionals): `MySQLRow`
/// hands those a borrowed view of the value and only the column's `shape`, so decoding a value
/// costs no reference counting. Their defaults route to `decode(mysqlValue:format:column:)`.
public protocol MySQLDecodable {
    static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> Self

    /// Implementation detail: whether `_decode(borrowedBytes:format:shape:)` is this type's own
    /// decoder. Do not implement it.
    static var _decodesBorrowedBytes: Bool { get }

    /// Implementation detail: decodes from bytes that are valid only during the call. Do not
    /// implement it.
    static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Self
}

extension MySQLDecodable {
    @inlinable public static var _decodesBorrowedBytes: Bool { false }

    /// Copies the bytes and calls the public requirement (with a column that has no names).
    /// `MySQLRow` never takes this path: it calls `decode(mysqlValue:format:column:)` itself for
    /// types whose `_decodesBorrowedBytes` is false.
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape: MySQLColumn.Shape
    ) throws(MySQLError) -> Self {
        try decode(
            mysqlValue: bytes.map { Array($0)[...] }, format: format, column: MySQLColumn(name: "", shape: shape))
    }
}

/// Implementation detail of the built-in conformances: a type that implements
/// `_decode(borrowedBytes:format:shape:)` gets the public `decode(mysqlValue:format:column:)`
/// from it, running the same code on the slice's storage. Not for user types.
public protocol _MySQLBorrowedDecodable: MySQLDecodable {}

extension _MySQLBorrowedDecodable {
    @inlinable public static var _decodesBorrowedBytes: Bool { true }

    public static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> Self {
        try withBorrowedBytes(bytes) { (bytes) throws(MySQLError) in
            try _decode(borrowedBytes: bytes, format: format, shape: column.shape)
        }
    }
}
