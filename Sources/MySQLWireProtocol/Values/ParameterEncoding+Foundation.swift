import Foundation

// MySQLEncodable conformances of Data, Decimal and UUID (Date is with the temporal types).

extension Data: MySQLEncodable {
    /// BLOB: the bytes, length-encoded, never converted by the server.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(self, into: &buffer)
        return MySQLParameterType(.blob)
    }
}

extension Decimal: MySQLEncodable {
    /// NEWDECIMAL: the value's plain digits (`description` never uses an exponent: 1e-20 is
    /// `0.00000000000000000001`), length-encoded. NaN throws `.invalidUsage`: DECIMAL has no NaN.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        guard !isNaN else {
            throw MySQLError(.invalidUsage, "cannot send Decimal NaN as a parameter: DECIMAL has no NaN")
        }
        ParameterBytes.appendLengthEncoded(description.utf8, into: &buffer)
        return MySQLParameterType(.newdecimal)
    }
}

extension UUID: MySQLEncodable {
    /// BLOB of the 16 bytes in RFC 4122 order, as BINARY(16) columns and `UUID_TO_BIN(text)`
    /// (without the swap flag) hold them.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.reserve(17, in: &buffer)
        buffer.append(16)
        // `uuid` is a tuple of 16 UInt8, laid out as 16 bytes without padding; it is read only
        // while the closure lends it.
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
        return MySQLParameterType(.blob)
    }
}
