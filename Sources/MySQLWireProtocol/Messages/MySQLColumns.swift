/// The column definitions of one result set, with a name index built once per result set.
///
/// Immutable, so one instance can serve every result set of the same shape: a connection that
/// runs the same query again reuses it (see `ColumnDefinitionCache`).
public final class MySQLColumns: RandomAccessCollection, Sendable {
    public let definitions: [MySQLColumn]
    /// Built only for wide results; a linear scan is faster for a handful of columns.
    let indexByName: [String: Int]?

    public init(_ definitions: [MySQLColumn]) {
        self.definitions = definitions
        if definitions.count > 16 {
            var index: [String: Int] = [:]
            for (i, column) in definitions.enumerated() where index[column.name] == nil {
                index[column.name] = i
            }
            self.indexByName = index
        } else {
            self.indexByName = nil
        }
    }

    /// No columns: a result without rows.
    public static let empty = MySQLColumns([])

    public var startIndex: Int { 0 }
    public var endIndex: Int { definitions.count }
    public var count: Int { definitions.count }
    public subscript(position: Int) -> MySQLColumn { definitions[position] }

    /// The index of the first column named `name`.
    public func index(of name: String) -> Int? {
        if let indexByName { return indexByName[name] }
        return definitions.firstIndex { $0.name == name }
    }
}
