/// One column definition of a result set (Protocol::ColumnDefinition41).
///
/// The names live in one shared immutable box, so copying a column costs one reference count,
/// not six; decoders get only its `shape`, which costs none.
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

    /// What decoding a value needs to know of its column: everything but the names, and
    /// nothing reference-counted, so it is passed to a decoder for free.
    @frozen
    public struct Shape: Sendable, Hashable {
        public var characterSet: UInt16
        public var columnLength: UInt32
        public var type: MySQLType
        public var flags: MySQLColumnFlags
        public var decimals: UInt8

        public init(
            characterSet: UInt16 = 45, columnLength: UInt32 = 0, type: MySQLType, flags: MySQLColumnFlags = [],
            decimals: UInt8 = 0
        ) {
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

    var names: Names
    public var shape: Shape

    public var characterSet: UInt16 {
        get { shape.characterSet }
        set { shape.characterSet = newValue }
    }
    public var columnLength: UInt32 {
        get { shape.columnLength }
        set { shape.columnLength = newValue }
    }
    public var type: MySQLType {
        get { shape.type }
        set { shape.type = newValue }
    }
    public var flags: MySQLColumnFlags {
        get { shape.flags }
        set { shape.flags = newValue }
    }
    public var decimals: UInt8 {
        get { shape.decimals }
        set { shape.decimals = newValue }
    }

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
        self.shape = Shape(
            characterSet: characterSet, columnLength: columnLength, type: type, flags: flags, decimals: decimals)
    }

    /// A column with only a name and a shape (for decoders called with a shape alone).
    init(name: String, shape: Shape) {
        self.names = Names(catalog: "def", schema: "", table: "", orgTable: "", name: name, orgName: "")
        self.shape = shape
    }

    public var isUnsigned: Bool { shape.isUnsigned }
    /// Bytes rather than text: the binary character set.
    public var isBinary: Bool { shape.isBinary }
}
