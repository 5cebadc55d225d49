// String and [UInt8] conformances.

extension String: MySQLDecodable {
    /// Any column's text form, validated as UTF-8. Binary-format numbers and temporal values
    /// are formatted as the server formats them in text rows.
    public static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> String {
        guard bytes != nil else { throw .decodingNull(into: String.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        if format == .binary, let text = try binaryText(bytes, column: column.shape) {
            return text
        }
        guard let text = validatedUTF8(bytes) else {
            let what = column.isBinary ? "binary data that is not valid UTF-8" : "invalid UTF-8"
            throw .decoding(column.shape, into: String.self, "the value is \(what); decode as [UInt8] or Data")
        }
        return text
    }

    /// The bytes as a String, or `nil` when they are not valid UTF-8.
    ///
    /// `String(decoding:)` replaces invalid sequences with U+FFFD and is several times faster
    /// than `String(validating:)`; a valid input, and only a valid one, comes back byte for byte.
    @inline(__always)
    static func validatedUTF8(_ bytes: some ValueBytes) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return nil }
        // Both buffers are only read, within their counts (equal, checked above), and only
        // inside the closures that lend them.
        let same = text.withUTF8 { decoded in
            bytes.withRawBytes { original in sameBytes(UnsafeRawBufferPointer(decoded), original) }
        }
        return same ? text : nil
    }

    /// Whether two buffers of equal length hold the same bytes, compared 8 at a time.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        var offset = 0
        while offset + 8 <= count {
            guard
                a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        while offset < count {
            guard a[offset] == b[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// The text form of a binary-format value whose bytes are not already text; `nil` for
    /// types sent as their content (strings, blobs, DECIMAL, JSON, ENUM, SET, BIT, ...).
    static func binaryText(_ bytes: some ValueBytes, column: MySQLColumn.Shape) throws(MySQLError) -> String? {
        let type = column.type
        if type.isInteger {
            return try IntegerColumn.binaryValue(bytes, column: column, into: String.self).text
        }
        switch type {
        case .double:
            let value = try decodeMySQLFloatingPoint(bytes, format: .binary, column: column, as: Double.self)
            return FloatingPointFormatting.text(value, decimals: column.decimals)
        case .float:
            let value = try decodeMySQLFloatingPoint(bytes, format: .binary, column: column, as: Float.self)
            return FloatingPointFormatting.text(value, decimals: column.decimals)
        case .time, .time2:
            return try TemporalBinary.time(bytes, column: column, into: String.self).description
        case _ where type.isDateOnly:
            return try TemporalBinary.dateTime(bytes, column: column, into: String.self).datePart.description
        case _ where type.isDateOrDateTime:
            return try TemporalBinary.dateTime(bytes, column: column, into: String.self).description
        default:
            return nil
        }
    }
}

extension Array: MySQLDecodable where Element == UInt8 {
    /// Any column's raw bytes (for binary-format numbers and temporal values: their binary
    /// encoding).
    public static func decode(
        mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
    ) throws(MySQLError) -> [UInt8] {
        guard bytes != nil else { throw .decodingNull(into: [UInt8].self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        return Array(bytes)
    }
}
