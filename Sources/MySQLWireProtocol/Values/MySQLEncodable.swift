/// The type a parameter announces in COM_STMT_EXECUTE: a column type and the unsigned flag
/// (0x8000 in the two-byte type field).
public struct MySQLParameterType: Hashable, Sendable, CustomStringConvertible {
    public var type: MySQLType
    public var isUnsigned: Bool

    public init(_ type: MySQLType, unsigned: Bool = false) {
        self.type = type
        self.isUnsigned = unsigned
    }

    /// SQL NULL: type NULL, no value bytes (the NULL bitmap carries it).
    public static let null = MySQLParameterType(.null)

    public var description: String { isUnsigned ? "\(type) UNSIGNED" : "\(type)" }
}

/// A Swift type that can be sent as a prepared-statement parameter (binary protocol).
///
/// `encodeMySQLParameter(into:)` appends the value exactly as COM_STMT_EXECUTE carries it —
/// fixed-size little-endian bytes for numbers, a length byte and the fields for temporal
/// types, a length-encoded string for text, bytes and DECIMAL — and returns the type to
/// announce. SQL NULL appends nothing and returns `.null`.
///
/// A user type usually conforms by encoding one of the built-in types:
///
/// ```swift
/// extension CustomerID: MySQLEncodable {
///     func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
///         try rawValue.encodeMySQLParameter(into: &buffer)
///     }
/// }
/// ```
public protocol MySQLEncodable: Sendable {
    func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType
}
