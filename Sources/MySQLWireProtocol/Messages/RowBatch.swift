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

    /// Calls `body` with the value at `row`, `column` as bytes borrowed from the batch (valid only
    /// during the call; nil for NULL): no reference counting, unlike `value(row:column:)`.
    @inlinable @inline(__always)
    public func withValue<R, E: Error>(
        row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R {
        let (start, length) = location(row: row, column: column)
        if length < 0 { return try body(nil) }
        // withUnsafeBufferPointer (unlike withUnsafeBytes) passes a typed error through, so no
        // Result box is built and unwrapped per value.
        return try bytes.withUnsafeBufferPointer { (all) throws(E) -> R in
            // Safe: start..<start+length lies inside `bytes` (validated when the row was added).
            try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[start..<(start &+ length)])))
        }
    }

    /// The value at `row`, `column`; nil for NULL.
    @inlinable @inline(__always)
    public func value(row: Int, column: Int) -> ArraySlice<UInt8>? {
        let (start, length) = location(row: row, column: column)
        if length < 0 { return nil }
        return bytes[start..<(start &+ length)]
    }

    /// Where the value at `row`, `column` lies in `bytes`; length -1 for NULL.
    @inlinable @inline(__always)
    func location(row: Int, column: Int) -> (start: Int, length: Int) {
        let slot = (row &* columnCount &+ column) &* 2
        return (Int(fields[slot]), Int(fields[slot &+ 1]))
    }
}

/// Accumulates validated rows for a `RowBatch`. A value type, so appending needs no locks
/// and no dynamic exclusivity checks.
public struct RowBatchBuilder {
    public let format: MySQLValueFormat
    public let columnCount: Int
    var bytes: [UInt8] = []
    var fields: [Int32] = []
    public internal(set) var count = 0

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

    /// Makes room for the positions of `rows` more rows.
    mutating func reserveRows(_ rows: Int) {
        fields.reserveCapacity(fields.count + rows * columnCount * 2)
    }

    public func build() -> RowBatch { RowBatch(self) }

    /// The length a 0xFC, 0xFD or 0xFE prefix encodes (2, 3 or 8 little-endian bytes from
    /// `index`, which moves past them), checked against the `end` of the row; text and binary
    /// rows share it. `row` names the row kind in the error.
    @inline(__always)
    static func wideLength(
        _ payload: UnsafeRawBufferPointer, first: UInt8, at index: inout Int, end: Int, row: StaticString, column: Int
    ) -> (length: Int, error: MySQLError?) {
        let width = first == 0xFC ? 2 : (first == 0xFD ? 3 : 8)
        guard end &- index >= width else {
            return (0, .violation("\(row) value \(column): length prefix is truncated"))
        }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(payload[index &+ i]) << (8 &* i) }
        index &+= width
        guard value <= UInt64(end &- index) else {
            return (
                0,
                .violation(
                    "\(row) value \(column): length \(value) runs past the end of the row (\(end - index) bytes left)")
            )
        }
        return (Int(value), nil)
    }

    /// Appends a text-protocol row (every value a length-encoded string or 0xFB for NULL).
    public mutating func appendTextRow(_ payload: ArraySlice<UInt8>) throws(MySQLError) {
        let failure: MySQLError? = payload.withUnsafeBytes { raw in
            do throws(MySQLError) {
                try appendTextRow(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// The same from the receive buffer. The row is validated first, then its positions and
    /// bytes are appended in one go: a malformed row leaves the batch unchanged.
    public mutating func appendTextRow(_ payload: UnsafeRawBufferPointer) throws(MySQLError) {
        let base = bytes.count
        let end = payload.count
        let fieldsBase = fields.count
        // One growth check per row, not two per value.
        fields.append(contentsOf: repeatElement(0, count: columnCount &* 2))
        let valid = fields.withUnsafeMutableBufferPointer { (out) -> MySQLError? in
            // Safe: `out` has 2 × columnCount slots from `fieldsBase` (appended above), and every
            // payload read is at an index < end (checked before it).
            var index = 0
            var slot = fieldsBase
            var column = 0
            while column < columnCount {
                guard index < end else {
                    return .violation("text row has \(column) value(s), expected \(columnCount)")
                }
                let first = payload[index]
                index &+= 1
                var length: Int
                if first < 0xFB {
                    length = Int(first)
                } else if first == 0xFB {
                    out[slot] = -1
                    out[slot &+ 1] = -1
                    slot &+= 2
                    column &+= 1
                    continue
                } else if first == 0xFF {
                    return .violation("text row value \(column) starts with 0xFF, which is not a length")
                } else {
                    let wide = Self.wideLength(
                        payload, first: first, at: &index, end: end, row: "text row", column: column)
                    if let error = wide.error { return error }
                    length = wide.length
                }
                guard length <= end &- index else {
                    return .violation(
                        "text row value \(column): length \(length) runs past the end of the row (\(end - index) bytes left)"
                    )
                }
                out[slot] = Int32(truncatingIfNeeded: base &+ index)
                out[slot &+ 1] = Int32(truncatingIfNeeded: length)
                slot &+= 2
                index &+= length
                column &+= 1
            }
            guard index == end else {
                return .violation("text row has \(end - index) byte(s) after its \(columnCount) value(s)")
            }
            return nil
        }
        if let error = valid {
            fields.removeSubrange(fieldsBase...)
            throw error
        }
        // As typed bytes: a raw buffer has no contiguous-storage fast path, so appending it is
        // a byte-by-byte copy in unoptimised builds (seconds for a 16 MiB value). Array storage
        // is bound to UInt8, which makes assumingMemoryBound valid.
        bytes.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
        count &+= 1
    }
}
