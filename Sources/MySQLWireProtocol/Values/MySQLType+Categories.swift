// Groups of column types that decode alike.

extension MySQLType {
    /// TINY, SHORT, LONG, INT24, LONGLONG, YEAR: integer column types.
    var isInteger: Bool {
        switch self {
        case .tiny, .short, .long, .int24, .longlong, .year: return true
        default: return false
        }
    }

    /// DECIMAL and NEWDECIMAL: exact numbers sent as text in both formats.
    var isDecimal: Bool { self == .decimal || self == .newdecimal }

    /// FLOAT and DOUBLE.
    var isFloatingPoint: Bool { self == .float || self == .double }

    /// DATE, NEWDATE, DATETIME(2), TIMESTAMP(2).
    var isDateOrDateTime: Bool {
        switch self {
        case .date, .newdate, .datetime, .datetime2, .timestamp, .timestamp2: return true
        default: return false
        }
    }

    /// DATE and NEWDATE: no time part.
    var isDateOnly: Bool { self == .date || self == .newdate }

    /// TIME and TIME2.
    var isTime: Bool { self == .time || self == .time2 }
}
