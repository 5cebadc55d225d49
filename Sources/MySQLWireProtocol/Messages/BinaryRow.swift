/// How each value of a binary result row (Protocol::BinaryResultsetRow) is laid out, by
/// column type: a fixed number of bytes, a length byte (temporal types) or a length-encoded
/// string (everything else). Computed once per result set from its column definitions.
public struct BinaryRowLayout: Sendable, Equatable {
    /// Per column: 0, 1, 2, 4 or 8 fixed bytes; or one of the codes below.
    let widths: [Int8]

    static let lengthEncoded: Int8 = -1
    /// DATE, DATETIME, TIMESTAMP: a length byte of 0, 4, 7 or 11, then that many bytes.
    static let dateTime: Int8 = -2
    /// TIME: a length byte of 0, 8 or 12, then that many bytes.
    static let time: Int8 = -3

    public init(_ columns: MySQLColumns) {
        widths = columns.definitions.map { Self.width(of: $0.type) }
    }

    public var columnCount: Int { widths.count }

    /// The size of the NULL bitmap: one bit per column after an offset of 2 bits.
    var nullBitmapBytes: Int { (widths.count &+ 9) / 8 }

    static func width(of type: MySQLType) -> Int8 {
        switch type {
        case .tiny: return 1
        case .short, .year: return 2
        case .int24, .long, .float: return 4
        case .longlong, .double: return 8
        case .null: return 0
        case .date, .newdate, .datetime, .datetime2, .timestamp, .timestamp2: return dateTime
        case .time, .time2: return time
        default: return lengthEncoded
        }
    }
}

extension RowBatchBuilder {
    /// Appends a binary-protocol row: header 0x00, the NULL bitmap (offset 2), then each
    /// non-NULL value by its column type. The row is validated first, then its positions and
    /// bytes are appended in one go: a malformed row leaves the batch unchanged. A value's
    /// recorded bytes exclude its length prefix (for temporal types, the length byte).
    public mutating func appendBinaryRow(_ payload: ArraySlice<UInt8>, layout: BinaryRowLayout) throws(MySQLError) {
        let failure: MySQLError? = payload.withUnsafeBytes { raw in
            do throws(MySQLError) {
                try appendBinaryRow(raw, layout: layout)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    public mutating func appendBinaryRow(_ payload: UnsafeRawBufferPointer, layout: BinaryRowLayout) throws(MySQLError)
    {
        precondition(layout.columnCount == columnCount, "binary row layout does not match the batch")
        let base = bytes.count
        let end = payload.count
        let bitmapBytes = layout.nullBitmapBytes
        guard end >= 1 &+ bitmapBytes, payload[0] == 0x00 else {
            if end == 0 || payload[0] != 0x00 {
                throw .violation(
                    "binary row starts with \(end == 0 ? "nothing (an empty packet)" : hexByte(payload[0])), expected 0x00"
                )
            }
            throw .violation(
                "binary row of \(end) bytes is too short for its NULL bitmap (\(bitmapBytes) bytes for \(columnCount) columns)"
            )
        }
        let fieldsBase = fields.count
        fields.append(contentsOf: repeatElement(0, count: columnCount &* 2))
        let valid = fields.withUnsafeMutableBufferPointer { (out) -> MySQLError? in
            layout.widths.withUnsafeBufferPointer { widths -> MySQLError? in
                // Safe: `out` has 2 × columnCount slots from `fieldsBase` (appended above), `widths`
                // has columnCount entries, and every payload read is at an index < end (checked first).
                var index = 1 &+ bitmapBytes
                var slot = fieldsBase
                for column in 0..<columnCount {
                    let bit = column &+ 2
                    if payload[1 &+ (bit >> 3)] & (1 << UInt8(bit & 7)) != 0 {
                        out[slot] = -1
                        out[slot &+ 1] = -1
                        slot &+= 2
                        continue
                    }
                    let width = widths[column]
                    var length: Int
                    if width >= 0 {
                        length = Int(width)
                    } else if width == BinaryRowLayout.lengthEncoded {
                        guard index < end else {
                            return .violation("binary row value \(column): the row ends before its length")
                        }
                        let first = payload[index]
                        index &+= 1
                        if first < 0xFB {
                            length = Int(first)
                        } else if first == 0xFB || first == 0xFF {
                            return .violation(
                                "binary row value \(column) starts with \(hexByte(first)), which is not a length"
                            )
                        } else {
                            let wide = Self.wideLength(
                                payload, first: first, at: &index, end: end, row: "binary row", column: column)
                            if let error = wide.error { return error }
                            length = wide.length
                        }
                    } else {
                        guard index < end else {
                            return .violation("binary row value \(column): the row ends before its length byte")
                        }
                        length = Int(payload[index])
                        index &+= 1
                        let allowed =
                            width == BinaryRowLayout.dateTime
                            ? (length == 0 || length == 4 || length == 7 || length == 11)
                            : (length == 0 || length == 8 || length == 12)
                        guard allowed else {
                            let what = width == BinaryRowLayout.dateTime ? "date/datetime" : "time"
                            return .violation(
                                "binary row value \(column): a \(what) value cannot be \(length) bytes long")
                        }
                    }
                    guard length <= end &- index else {
                        return .violation(
                            "binary row value \(column): \(length) bytes run past the end of the row (\(end - index) bytes left)"
                        )
                    }
                    out[slot] = Int32(truncatingIfNeeded: base &+ index)
                    out[slot &+ 1] = Int32(truncatingIfNeeded: length)
                    slot &+= 2
                    index &+= length
                }
                guard index == end else {
                    return .violation("binary row has \(end - index) byte(s) after its \(columnCount) value(s)")
                }
                return nil
            }
        }
        if let error = valid {
            fields.removeSubrange(fieldsBase...)
            throw error
        }
        // Typed bytes for the same reason as in appendTextRow.
        bytes.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
        count &+= 1
    }
}

/// `0x05`, `0xfe`: a byte as it appears in a hex dump.
func hexByte(_ byte: UInt8) -> String {
    byte < 16 ? "0x0" + String(byte, radix: 16) : "0x" + String(byte, radix: 16)
}
