import Testing

@testable import MySQLWireProtocol

/// A column of `type` for value tests.
func valueColumn(
    _ type: MySQLType, unsigned: Bool = false, binary: Bool = false, decimals: UInt8? = nil
) -> MySQLColumn {
    // Servers send 31 (not fixed) for FLOAT and DOUBLE columns declared without decimals.
    let defaultDecimals: UInt8 = type == .float || type == .double ? 31 : 0
    return MySQLColumn(
        name: "c", characterSet: binary ? mysqlBinaryCharacterSet : 45, type: type,
        flags: unsigned ? [.unsigned] : [], decimals: decimals ?? defaultDecimals)
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
    try decodeBothWays(T.self, text.map { Array($0.utf8) }, .text, column)
}

/// Decodes a text-format value given as raw bytes.
func decodeTextBytes<T: MySQLDecodable>(
    _ type: T.Type, _ bytes: [UInt8]?, _ column: MySQLColumn
) throws(MySQLError) -> T {
    try decodeBothWays(T.self, bytes, .text, column)
}

/// Decodes a binary-format value (`nil` is SQL NULL).
func decodeBinary<T: MySQLDecodable>(
    _ type: T.Type, _ bytes: [UInt8]?, _ column: MySQLColumn
) throws(MySQLError) -> T {
    try decodeBothWays(T.self, bytes, .binary, column)
}

/// Decodes through the public entry point (an array slice and the whole column) and through
/// the one `MySQLRow` uses (borrowed bytes and the column's shape), and records an issue unless
/// both give the same value or the same error. Every value test thus covers both paths.
func decodeBothWays<T: MySQLDecodable>(
    _ type: T.Type, _ bytes: [UInt8]?, _ format: MySQLValueFormat, _ column: MySQLColumn
) throws(MySQLError) -> T {
    let viaSlice = Result { () throws(MySQLError) -> T in
        try T.decode(mysqlValue: bytes.map(offsetSlice), format: format, column: column)
    }
    // A fresh exact-size buffer: a read past the value's end would show up under ASan.
    let viaBorrowed = Result { () throws(MySQLError) -> T in
        guard let bytes else { return try T._decode(borrowedBytes: nil, format: format, shape: column.shape) }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        return try T._decode(borrowedBytes: UnsafeRawBufferPointer(copy), format: format, shape: column.shape)
    }
    switch (viaSlice, viaBorrowed) {
    case (.success(let a), .success(let b)):
        #expect(String(reflecting: a) == String(reflecting: b), "\(T.self): borrowed-bytes decoding differs")
    case (.failure(let a), .failure(let b)):
        #expect(a == b, "\(T.self): borrowed-bytes decoding fails differently")
    default:
        Issue.record("\(T.self): one entry point failed, the other did not: \(viaSlice) vs \(viaBorrowed)")
    }
    return try viaSlice.get()
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
