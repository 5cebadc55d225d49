import Testing

@testable import MySQLWireProtocol

/// A column of `type` for value tests.
func valueColumn(
    _ type: MySQLType, unsigned: Bool = false, binary: Bool = false, decimals: UInt8 = 0
) -> MySQLColumn {
    MySQLColumn(
        name: "c", characterSet: binary ? mysqlBinaryCharacterSet : 45, type: type,
        flags: unsigned ? [.unsigned] : [], decimals: decimals)
}

/// `bytes` as a slice whose indices do not start at 0, as a row's column slices do.
func offsetSlice(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    let padded = [0xEE, 0xEE, 0xEE] + bytes + [0xEE]
    return padded[3..<(3 + bytes.count)]
}

/// Decodes a text-format value (`nil` is SQL NULL).
func decodeText<T: MySQLDecodable>(
    _ type: T.Type, _ text: String?, _ column: MySQLColumn
) throws(MySQLError) -> T {
    try T.decode(mysqlValue: text.map { offsetSlice(Array($0.utf8)) }, format: .text, column: column)
}

/// Decodes a text-format value given as raw bytes.
func decodeTextBytes<T: MySQLDecodable>(
    _ type: T.Type, _ bytes: [UInt8]?, _ column: MySQLColumn
) throws(MySQLError) -> T {
    try T.decode(mysqlValue: bytes.map(offsetSlice), format: .text, column: column)
}

/// Decodes a binary-format value (`nil` is SQL NULL).
func decodeBinary<T: MySQLDecodable>(
    _ type: T.Type, _ bytes: [UInt8]?, _ column: MySQLColumn
) throws(MySQLError) -> T {
    try T.decode(mysqlValue: bytes.map(offsetSlice), format: .binary, column: column)
}

/// The error `body` throws, or `nil`.
func thrownError(_ body: () throws -> Void) -> (any Error)? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// Expects `body` to throw a `.decoding` error whose message contains every fragment.
func expectDecodingError(
    _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    guard let error = thrownError(body) as? MySQLError else {
        Issue.record("expected a MySQLError", sourceLocation: sourceLocation)
        return
    }
    #expect(error.kind == .decoding, sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(
            error.message.contains(fragment), "\(error.message) lacks \(fragment)", sourceLocation: sourceLocation)
    }
}

/// Little-endian bytes of an integer.
func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}
