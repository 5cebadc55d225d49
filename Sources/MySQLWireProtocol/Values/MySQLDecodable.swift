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
public protocol MySQLDecodable {
    static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> Self
}
