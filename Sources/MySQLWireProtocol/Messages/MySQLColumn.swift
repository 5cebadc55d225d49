/// One column definition of a result set (Protocol::ColumnDefinition41).
public struct MySQLColumn: Sendable, Hashable {
    public var catalog: String
    public var schema: String
    public var table: String
    public var orgTable: String
    public var name: String
    public var orgName: String
    public var characterSet: UInt16
    public var columnLength: UInt32
    public var type: MySQLType
    public var flags: MySQLColumnFlags
    public var decimals: UInt8

    public init(
        catalog: String = "def", schema: String = "", table: String = "", orgTable: String = "",
        name: String, orgName: String = "", characterSet: UInt16 = 45, columnLength: UInt32 = 0,
        type: MySQLType, flags: MySQLColumnFlags = [], decimals: UInt8 = 0
    ) {
        self.catalog = catalog
        self.schema = schema
        self.table = table
        self.orgTable = orgTable
        self.name = name
        self.orgName = orgName
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
