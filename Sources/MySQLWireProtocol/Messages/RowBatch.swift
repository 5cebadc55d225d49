/// Rows received in one read, stored back to back. Each row is validated once on arrival and
/// its values' positions recorded, so a value is found in O(1) and nothing is allocated per
/// column or per row (the arrays grow per batch).
public final class RowBatch: @unchecked Sendable {
    // @unchecked Sendable: filled on the connection's loop, then handed to one consumer and
    // never mutated again.
    public let format: MySQLValueFormat
    public let columnCount: Int
    /// Concatenated row payloads.
    public private(set) var bytes: [UInt8] = []
    /// Per row, per column: start offset into `bytes` and length (-1 = NULL).
    @usableFromInline var fields: [Int32] = []
    public private(set) var count = 0

    public init(format: MySQLValueFormat, columnCount: Int, capacity: Int = 16 * 1024) {
        self.format = format
        self.columnCount = columnCount
        bytes.reserveCapacity(capacity)
    }

    public var byteCount: Int { bytes.count }

    /// Appends a text-protocol row (every value a length-encoded string or 0xFB for NULL).
    public func appendTextRow(_ payload: ArraySlice<UInt8>) throws(MySQLError) {
        let base = bytes.count
        let fieldsBase = fields.count
        var index = payload.startIndex
        let end = payload.endIndex
        for column in 0..<columnCount {
            guard index < end else {
                fields.removeSubrange(fieldsBase...)
                throw .violation("text row has \(column) value(s), expected \(columnCount)")
            }
            let first = payload[index]
            index += 1
            var length: Int
            switch first {
            case 0xFB:
                fields.append(-1)
                fields.append(-1)
                continue
            case 0..<0xFB:
                length = Int(first)
            case 0xFC, 0xFD, 0xFE:
                let width = first == 0xFC ? 2 : (first == 0xFD ? 3 : 8)
                guard end - index >= width else {
                    fields.removeSubrange(fieldsBase...)
                    throw .violation("text row value \(column): length prefix is truncated")
                }
                var value: UInt64 = 0
                for i in 0..<width { value |= UInt64(payload[index + i]) << (8 * i) }
                index += width
                guard value <= UInt64(end - index) else {
                    fields.removeSubrange(fieldsBase...)
                    throw .violation("text row value \(column): length \(value) runs past the end of the row (\(end - index) bytes left)")
                }
                length = Int(value)
            default:
                fields.removeSubrange(fieldsBase...)
                throw .violation("text row value \(column) starts with 0xFF, which is not a length")
            }
            guard length <= end - index else {
                fields.removeSubrange(fieldsBase...)
                throw .violation("text row value \(column): length \(length) runs past the end of the row (\(end - index) bytes left)")
            }
            fields.append(Int32(truncatingIfNeeded: base + (index - payload.startIndex)))
            fields.append(Int32(truncatingIfNeeded: length))
            index += length
        }
        guard index == end else {
            fields.removeSubrange(fieldsBase...)
            throw .violation("text row has \(end - index) byte(s) after its \(columnCount) value(s)")
        }
        bytes.append(contentsOf: payload)
        count += 1
    }

    /// The value at `row`, `column`; nil for NULL.
    @inlinable
    public func value(row: Int, column: Int) -> ArraySlice<UInt8>? {
        let slot = (row &* columnCount &+ column) &* 2
        let length = Int(fields[slot + 1])
        if length < 0 { return nil }
        let start = Int(fields[slot])
        return bytes[start..<(start + length)]
    }
}
