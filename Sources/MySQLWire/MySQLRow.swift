/// One row of a result set: a view over the received bytes, decoded on demand.
public struct MySQLRow: Sendable {
    @usableFromInline let batch: RowBatch
    @usableFromInline private(set) var rowIndex: Int
    public let columns: MySQLColumns

    /// Public only to the benchmark (`scan_offline` drives rows without a connection).
    @_spi(Benchmarks) public init(batch: RowBatch, rowIndex: Int, columns: MySQLColumns) {
        self.batch = batch
        self.rowIndex = rowIndex
        self.columns = columns
    }

    /// Moves this row value to another row of its batch (`MySQLRows.forEach` lends one row
    /// value per batch this way: a new value per row would retain and release the batch and the
    /// columns every time).
    @_spi(Benchmarks) @inlinable public mutating func moveToRow(_ index: Int) {
        rowIndex = index
    }

    @inlinable public var count: Int { columns.definitions.count }

    /// The raw bytes of a value (text or binary form), nil for NULL.
    @inlinable @inline(__always) public func bytes(at index: Int) -> ArraySlice<UInt8>? {
        if index < 0 || index >= columns.definitions.count { indexOutOfRangeTrap(index) }
        return batch.value(row: rowIndex, column: index)
    }

    /// Calls `body` with the raw bytes of a value (text or binary form; nil for NULL), borrowed
    /// from the row's batch: nothing is copied or reference counted. The pointer is valid only
    /// during the call; copy what must outlive it.
    @inlinable @inline(__always)
    public func withUnsafeBytes<R, E: Error>(
        at index: Int, _ body: (UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R {
        if index < 0 || index >= columns.definitions.count { indexOutOfRangeTrap(index) }
        return try batch.withValue(row: rowIndex, column: index, body)
    }

    @inlinable public func isNull(at index: Int) -> Bool {
        withUnsafeBytes(at: index) { $0 == nil }
    }

    /// Decodes the value at `index` (0-based) into `type`.
    @inlinable @inline(__always)
    public func decode<T: MySQLDecodable>(_ type: T.Type, at index: Int) throws(MySQLError) -> T {
        guard index >= 0 && index < columns.definitions.count else { throw indexOutOfRange(index) }
        if T._decodesBorrowedBytes {
            // Built-in types: the value borrowed from the batch, the column's shape only.
            let shape = columns.definitions[index].shape
            let format = batch.format
            do throws(MySQLError) {
                return try batch.withValue(row: rowIndex, column: index) { (bytes) throws(MySQLError) in
                    try T._decode(borrowedBytes: bytes, format: format, shape: shape)
                }
            } catch {
                throw naming(error, column: index)
            }
        }
        do throws(MySQLError) {
            // Borrow the column in place: copying it out of the array would cost reference counts.
            return try columns.definitions.withUnsafeBufferPointer { (definitions) throws(MySQLError) -> T in
                try T.decode(
                    mysqlValue: batch.value(row: rowIndex, column: index), format: batch.format,
                    column: definitions[index])
            }
        } catch {
            throw naming(error, column: index)
        }
    }

    /// Stops the program for a column index that does not exist (out of line: the happy path
    /// stays small).
    @usableFromInline func indexOutOfRangeTrap(_ index: Int) -> Never {
        preconditionFailure("column index \(index) is out of range: the row has \(columns.count) column(s)")
    }

    /// The error for a column index that does not exist (out of line: the happy path stays small).
    @usableFromInline func indexOutOfRange(_ index: Int) -> MySQLError {
        MySQLError(.invalidUsage, "column index \(index) is out of range: the row has \(columns.count) column(s)")
    }

    /// A decoding error with the column's name and index in front.
    @usableFromInline func naming(_ error: MySQLError, column index: Int) -> MySQLError {
        MySQLError(error.kind, "column '\(columns.definitions[index].name)' (index \(index)): \(error.message)")
    }

    /// Decodes the value of the column named `column` (the first one of that name).
    public func decode<T: MySQLDecodable>(_ type: T.Type, column name: String) throws(MySQLError) -> T {
        guard let index = columns.index(of: name) else {
            let known = columns.definitions.map(\.name).joined(separator: ", ")
            throw MySQLError(.invalidUsage, "no column named '\(name)' in this result (columns: \(known))")
        }
        return try decode(type, at: index)
    }

    /// Decodes the first columns into a tuple: `row.decode((Int, String).self)`.
    public func decode<each T: MySQLDecodable>(_ types: (repeat each T).Type) throws(MySQLError) -> (repeat each T) {
        var index = 0
        func next<V: MySQLDecodable>(_ type: V.Type) throws(MySQLError) -> V {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}

extension MySQLRow {
    /// The value at `index` as the text protocol would carry it (nil for NULL): for text rows
    /// the bytes as received; for binary rows numbers and temporal values formatted as the
    /// server formats them, everything else unchanged. What `mysqlwire --format tsv` prints.
    public func textBytes(at index: Int) throws(MySQLError) -> ArraySlice<UInt8>? {
        guard index >= 0 && index < columns.definitions.count else { throw indexOutOfRange(index) }
        guard let value = batch.value(row: rowIndex, column: index) else { return nil }
        do throws(MySQLError) {
            return try MySQLTextForm.bytes(value, format: batch.format, column: columns.definitions[index].shape)
        } catch {
            throw naming(error, column: index)
        }
    }
}
