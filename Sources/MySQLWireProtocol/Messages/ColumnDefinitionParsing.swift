extension MySQLColumn {
    /// Protocol::ColumnDefinition41.
    public static func parse(_ payload: ArraySlice<UInt8>) throws(MySQLError) -> MySQLColumn {
        var r = ByteReader(payload, context: "column definition")
        let catalog = try r.readLengthEncodedString()
        let schema = try r.readLengthEncodedString()
        let table = try r.readLengthEncodedString()
        let orgTable = try r.readLengthEncodedString()
        let name = try r.readLengthEncodedString()
        let orgName = try r.readLengthEncodedString()
        let fixedLength = try r.readLengthEncodedInteger()
        guard fixedLength >= 0x0A, fixedLength <= UInt64(r.remaining) else {
            throw .violation(
                "column definition of \(name): fixed-length fields are \(fixedLength) bytes, expected 12 within the \(r.remaining) left"
            )
        }
        let fixedStart = r.index
        let characterSet = try r.readUInt16()
        let columnLength = try r.readUInt32()
        let type = MySQLType(rawValue: try r.readUInt8())
        let flags = MySQLColumnFlags(rawValue: try r.readUInt16())
        let decimals = try r.readUInt8()
        // Skip the filler (and COM_FIELD_LIST default values, if any follow).
        try r.skip(max(0, Int(fixedLength) - (r.index - fixedStart)))
        return MySQLColumn(
            catalog: catalog, schema: schema, table: table, orgTable: orgTable, name: name, orgName: orgName,
            characterSet: characterSet, columnLength: columnLength, type: type, flags: flags, decimals: decimals)
    }
}
