/// COM_STMT_PREPARE_OK: the first packet of a successful prepare. Parameter definitions
/// (`parameterCount`) and then column definitions (`columnCount`) follow, each group closed by
/// an EOF packet unless CLIENT_DEPRECATE_EOF was negotiated.
public struct PrepareOKPacket: Sendable, Equatable {
    public var statementID: UInt32
    public var columnCount: Int
    public var parameterCount: Int
    public var warnings: UInt16

    public init(statementID: UInt32, columnCount: Int, parameterCount: Int, warnings: UInt16 = 0) {
        self.statementID = statementID
        self.columnCount = columnCount
        self.parameterCount = parameterCount
        self.warnings = warnings
    }

    /// `0x00, statement_id<4>, num_columns<2>, num_params<2>, reserved<1>[, warning_count<2>]`;
    /// MySQL 8 may add a metadata-follows byte (only with CLIENT_OPTIONAL_RESULTSET_METADATA,
    /// which this client does not ask for), so bytes past the warning count are ignored.
    public static func parse(_ payload: ArraySlice<UInt8>) throws(MySQLError) -> PrepareOKPacket {
        var r = ByteReader(payload, context: "COM_STMT_PREPARE response")
        guard try r.readUInt8() == 0x00 else { throw .violation("COM_STMT_PREPARE response does not start with 0x00") }
        let id = try r.readUInt32()
        let columns = try r.readUInt16()
        let parameters = try r.readUInt16()
        _ = try r.readUInt8()
        let warnings = r.remaining >= 2 ? try r.readUInt16() : 0
        return PrepareOKPacket(
            statementID: id, columnCount: Int(columns), parameterCount: Int(parameters), warnings: warnings)
    }
}
