import Foundation

// Data, Decimal and Date conformances.

extension Data: MySQLDecodable {
    /// Any column's raw bytes.
    public static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> Data {
        guard bytes != nil else { throw .decodingNull(into: Data.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        return Data(bytes)
    }
}

extension Decimal: _MySQLBorrowedDecodable {
    /// DECIMAL and integer columns. Throws when the value has more than 38 significant
    /// digits (decode as `MySQLDecimal` to keep them all).
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> Decimal {
        guard bytes != nil else { throw .decodingNull(into: Decimal.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        let value = try MySQLDecimal.decodeValue(bytes, format: format, column: column, into: Decimal.self)
        guard let decimal = value.foundationDecimal(allowRounding: false) else {
            throw .decoding(
                column, into: Decimal.self,
                "\(value) has more than 38 significant digits; decode as MySQLDecimal")
        }
        return decimal
    }
}

extension Date: _MySQLBorrowedDecodable {
    /// DATE, DATETIME and TIMESTAMP columns, read as UTC wall-clock time. Zero and impossible
    /// dates throw; decode those as `MySQLDateTime` (and convert with `date(in:)`).
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> Date {
        guard bytes != nil else { throw .decodingNull(into: Date.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        let value = try MySQLDateTime.decodeValue(bytes, format: format, column: column, into: Date.self)
        guard let seconds = value.secondsSince1970AsUTC else {
            throw .decoding(column, into: Date.self, "\(value) is not a valid date; decode as MySQLDateTime")
        }
        return MySQLDateTime.date(secondsSince1970: seconds, microsecond: value.microsecond)
    }
}
