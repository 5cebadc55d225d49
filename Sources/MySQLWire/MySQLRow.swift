/// One row of a result set: a view over the received bytes, decoded on demand.
public struct MySQLRow: Sendable {
    @usableFromInline let batch: RowBatch
    @usableFromInline let rowIndex: Int
    public let columns: MySQLColumns

    init(batch: RowBatch, rowIndex: Int, columns: MySQLColumns) {
        self.batch = batch
        self.rowIndex = rowIndex
        self.columns = columns
    }

    public var count: Int { columns.count }

    /// The raw bytes of a value (text or binary form), nil for NULL.
    public func bytes(at index: Int) -> ArraySlice<UInt8>? {
        batch.value(row: rowIndex, column: index)
    }

    public func isNull(at index: Int) -> Bool { bytes(at: index) == nil }

    /// Decodes the value at `index` (0-based) into `type`.
    @inlinable
    public func decode<T: MySQLDecodable>(_ type: T.Type, at index: Int) throws(MySQLError) -> T {
        guard index >= 0 && index < columns.count else {
            throw MySQLError(
                .invalidUsage, "column index \(index) is out of range: the row has \(columns.count) column(s)")
        }
        let value = batch.value(row: rowIndex, column: index)
        let format = batch.format
        // Borrow the column in place: copying it out of the array would cost reference counts.
        let result: Result<T, MySQLError> = columns.definitions.withUnsafeBufferPointer { definitions in
            do throws(MySQLError) {
                return .success(try T.decode(mysqlValue: value, format: format, column: definitions[index]))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let decoded):
            return decoded
        case .failure(let error):
            throw MySQLError(
                error.kind, "column '\(columns.definitions[index].name)' (index \(index)): \(error.message)")
        }
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
