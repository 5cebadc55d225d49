/// Column and parameter types as the protocol numbers them (`enum_field_types`).
public struct MySQLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let decimal = MySQLType(rawValue: 0)
    public static let tiny = MySQLType(rawValue: 1)
    public static let short = MySQLType(rawValue: 2)
    public static let long = MySQLType(rawValue: 3)
    public static let float = MySQLType(rawValue: 4)
    public static let double = MySQLType(rawValue: 5)
    public static let null = MySQLType(rawValue: 6)
    public static let timestamp = MySQLType(rawValue: 7)
    public static let longlong = MySQLType(rawValue: 8)
    public static let int24 = MySQLType(rawValue: 9)
    public static let date = MySQLType(rawValue: 10)
    public static let time = MySQLType(rawValue: 11)
    public static let datetime = MySQLType(rawValue: 12)
    public static let year = MySQLType(rawValue: 13)
    public static let newdate = MySQLType(rawValue: 14)
    public static let varchar = MySQLType(rawValue: 15)
    public static let bit = MySQLType(rawValue: 16)
    public static let timestamp2 = MySQLType(rawValue: 17)
    public static let datetime2 = MySQLType(rawValue: 18)
    public static let time2 = MySQLType(rawValue: 19)
    public static let json = MySQLType(rawValue: 245)
    public static let newdecimal = MySQLType(rawValue: 246)
    public static let enumType = MySQLType(rawValue: 247)
    public static let set = MySQLType(rawValue: 248)
    public static let tinyBlob = MySQLType(rawValue: 249)
    public static let mediumBlob = MySQLType(rawValue: 250)
    public static let longBlob = MySQLType(rawValue: 251)
    public static let blob = MySQLType(rawValue: 252)
    public static let varString = MySQLType(rawValue: 253)
    public static let string = MySQLType(rawValue: 254)
    public static let geometry = MySQLType(rawValue: 255)

    public var description: String {
        switch rawValue {
        case 0: return "DECIMAL"
        case 1: return "TINY"
        case 2: return "SHORT"
        case 3: return "LONG"
        case 4: return "FLOAT"
        case 5: return "DOUBLE"
        case 6: return "NULL"
        case 7: return "TIMESTAMP"
        case 8: return "LONGLONG"
        case 9: return "INT24"
        case 10: return "DATE"
        case 11: return "TIME"
        case 12: return "DATETIME"
        case 13: return "YEAR"
        case 14: return "NEWDATE"
        case 15: return "VARCHAR"
        case 16: return "BIT"
        case 17: return "TIMESTAMP2"
        case 18: return "DATETIME2"
        case 19: return "TIME2"
        case 245: return "JSON"
        case 246: return "NEWDECIMAL"
        case 247: return "ENUM"
        case 248: return "SET"
        case 249: return "TINY_BLOB"
        case 250: return "MEDIUM_BLOB"
        case 251: return "LONG_BLOB"
        case 252: return "BLOB"
        case 253: return "VAR_STRING"
        case 254: return "STRING"
        case 255: return "GEOMETRY"
        default: return "TYPE_\(rawValue)"
        }
    }
}

/// Column definition flags (`ColumnDefinitionFlags`).
public struct MySQLColumnFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let notNull = MySQLColumnFlags(rawValue: 1)
    public static let primaryKey = MySQLColumnFlags(rawValue: 2)
    public static let uniqueKey = MySQLColumnFlags(rawValue: 4)
    public static let multipleKey = MySQLColumnFlags(rawValue: 8)
    public static let blob = MySQLColumnFlags(rawValue: 16)
    public static let unsigned = MySQLColumnFlags(rawValue: 32)
    public static let zeroFill = MySQLColumnFlags(rawValue: 64)
    public static let binary = MySQLColumnFlags(rawValue: 128)
    public static let enumFlag = MySQLColumnFlags(rawValue: 256)
    public static let autoIncrement = MySQLColumnFlags(rawValue: 512)
    public static let timestamp = MySQLColumnFlags(rawValue: 1024)
    public static let set = MySQLColumnFlags(rawValue: 2048)
    public static let noDefaultValue = MySQLColumnFlags(rawValue: 4096)
    public static let onUpdateNow = MySQLColumnFlags(rawValue: 8192)
    public static let num = MySQLColumnFlags(rawValue: 32768)
}

/// Character set number 63: the column holds bytes, not text.
public let mysqlBinaryCharacterSet: UInt16 = 63
