/// One column definition of a result set (Protocol::ColumnDefinition41).
///
/// The names live in one shared immutable box, so copying a column (which every value decode
/// does) costs one reference count, not six.
public struct MySQLColumn: Sendable, Hashable {
    final class Names: Sendable, Hashable {
        let catalog: String
        let schema: String
        let table: String
        let orgTable: String
        let name: String
        let orgName: String

        init(catalog: String, schema: String, table: String, orgTable: String, name: String, orgName: String) {
            self.catalog = catalog
            self.schema = schema
            self.table = table
            self.orgTable = orgTable
            self.name = name
            self.orgName = orgName
        }

        static func == (a: Names, b: Names) -> Bool {
            a === b
                || (a.catalog == b.catalog && a.schema == b.schema && a.table == b.table && a.orgTable == b.orgTable
                    && a.name == b.name && a.orgName == b.orgName)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(table)
            hasher.combine(schema)
        }

        func with(_ change: (inout [String]) -> Void) -> Names {
            var all = [catalog, schema, table, orgTable, name, orgName]
            change(&all)
            return Names(
                catalog: all[0], schema: all[1], table: all[2], orgTable: all[3], name: all[4], orgName: all[5])
        }
    }

    var names: Names
    public var characterSet: UInt16
    public var columnLength: UInt32
    public var type: MySQLType
    public var flags: MySQLColumnFlags
    public var decimals: UInt8

    public var catalog: String {
        get { names.catalog }
        set { names = names.with { $0[0] = newValue } }
    }
    public var schema: String {
        get { names.schema }
        set { names = names.with { $0[1] = newValue } }
    }
    public var table: String {
        get { names.table }
        set { names = names.with { $0[2] = newValue } }
    }
    public var orgTable: String {
        get { names.orgTable }
        set { names = names.with { $0[3] = newValue } }
    }
    public var name: String {
        get { names.name }
        set { names = names.with { $0[4] = newValue } }
    }
    public var orgName: String {
        get { names.orgName }
        set { names = names.with { $0[5] = newValue } }
    }

    public init(
        catalog: String = "def", schema: String = "", table: String = "", orgTable: String = "",
        name: String, orgName: String = "", characterSet: UInt16 = 45, columnLength: UInt32 = 0,
        type: MySQLType, flags: MySQLColumnFlags = [], decimals: UInt8 = 0
    ) {
        self.names = Names(
            catalog: catalog, schema: schema, table: table, orgTable: orgTable, name: name, orgName: orgName)
        self.characterSet = characterSet
        self.columnLength = columnLength
        self.type = type
        self.flags = flags
        self.decimals = decimals
    }

    public var isUnsigned: Bool { flags.contains(.unsigned) }
    /// Bytes rather than text: the binary character set.
    public var isBinary: Bool { characterSet == mysqlBinaryCharacterSet }
}
