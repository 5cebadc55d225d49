/// Rows received in one read, stored back to back. Each row is validated once on arrival and
/// its values' positions recorded, so a value is found in O(1) and nothing is allocated per
/// column or per row (the arrays grow per batch). Immutable once built: every property is a
/// `let`, so reading needs no exclusivity checks.
public final class RowBatch: Sendable {
    public let format: MySQLValueFormat
    public let columnCount: Int
    /// Concatenated row payloads.
    public let bytes: [UInt8]
    /// Per row, per column: start offset into `bytes` and length (-1 = NULL).
    @usableFromInline let fields: [Int32]
    public let count: Int

    init(_ builder: RowBatchBuilder) {
        format = builder.format
        columnCount = builder.columnCount
        bytes = builder.bytes
        fields = builder.fields
        count = builder.count
    }

    public var byteCount: Int { bytes.count }

    /// The value at `row`, `column`; nil for NULL.
    @inlinable @inline(__always)
    public func value(row: Int, column: Int) -> ArraySlice<UInt8>? {
        let slot = (row &* columnCount &+ column) &* 2
        let length = Int(fields[slot &+ 1])
        if length < 0 { return nil }
        let start = Int(fields[slot])
        return bytes[start..<(start &+ length)]
    }
}

/// Accumulates validated rows for a `RowBatch`. A value type, so appending needs no locks
/// and no dynamic exclusivity checks.
public struct RowBatchBuilder {
    public let format: MySQLValueFormat
    public let columnCount: Int
    var bytes: [UInt8] = []
    var fields: [Int32] = []
    public private(set) var count = 0

    /// Starts small: a point query's single row should not pay for a large buffer; a scan's
    /// batch grows by doubling.
    public init(format: MySQLValueFormat, columnCount: Int, capacity: Int = 256) {
        self.format = format
        self.columnCount = columnCount
        bytes.reserveCapacity(capacity)
        fields.reserveCapacity(columnCount * 2)
    }

    public var byteCount: Int { bytes.count }
    public var isEmpty: Bool { count == 0 }

    public func build() -> RowBatch { RowBatch(self) }

    /// Appends a text-protocol row (every value a length-encoded string or 0xFB for NULL).
    public mutating func appendTextRow(_ payload: ArraySlice<UInt8>) throws(MySQLError) {
        let base = bytes.count - payload.startIndex
        let fieldsBase = fields.count
        var index = payload.startIndex
        let end = payload.endIndex
        var column = 0
        while column < columnCount {
            guard index < end else {
                fields.removeSubrange(fieldsBase...)
                throw .violation("text row has \(column) value(s), expected \(columnCount)")
            }
            let first = payload[index]
            index &+= 1
            var length: Int
            if first < 0xFB {
                length = Int(first)
            } else if first == 0xFB {
                fields.append(-1)
                fields.append(-1)
                column &+= 1
                continue
            } else if first == 0xFF {
                fields.removeSubrange(fieldsBase...)
                throw .violation("text row value \(column) starts with 0xFF, which is not a length")
            } else {
                let width = first == 0xFC ? 2 : (first == 0xFD ? 3 : 8)
                guard end &- index >= width else {
                    fields.removeSubrange(fieldsBase...)
                    throw .violation("text row value \(column): length prefix is truncated")
                }
                var value: UInt64 = 0
                for i in 0..<width { value |= UInt64(payload[index &+ i]) << (8 &* i) }
                index &+= width
                guard value <= UInt64(end &- index) else {
                    fields.removeSubrange(fieldsBase...)
                    throw .violation(
                        "text row value \(column): length \(value) runs past the end of the row (\(end - index) bytes left)"
                    )
                }
                length = Int(value)
            }
            guard length <= end &- index else {
                fields.removeSubrange(fieldsBase...)
                throw .violation(
                    "text row value \(column): length \(length) runs past the end of the row (\(end - index) bytes left)"
                )
            }
            fields.append(Int32(truncatingIfNeeded: base &+ index))
            fields.append(Int32(truncatingIfNeeded: length))
            index &+= length
            column &+= 1
        }
        guard index == end else {
            fields.removeSubrange(fieldsBase...)
            throw .violation("text row has \(end - index) byte(s) after its \(columnCount) value(s)")
        }
        bytes.append(contentsOf: payload)
        count &+= 1
    }
}
