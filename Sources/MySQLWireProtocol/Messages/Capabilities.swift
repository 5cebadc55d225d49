/// Capability flags (`CLIENT_*`) of the greeting and the handshake response.
public struct MySQLCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// MySQL: CLIENT_LONG_PASSWORD. MariaDB clears this bit (it calls it CLIENT_MYSQL) to say
    /// that its extended capabilities follow in the greeting's reserved bytes.
    public static let longPassword = MySQLCapabilities(rawValue: 1)
    public static let foundRows = MySQLCapabilities(rawValue: 1 << 1)
    public static let longFlag = MySQLCapabilities(rawValue: 1 << 2)
    public static let connectWithDB = MySQLCapabilities(rawValue: 1 << 3)
    public static let noSchema = MySQLCapabilities(rawValue: 1 << 4)
    public static let compress = MySQLCapabilities(rawValue: 1 << 5)
    public static let odbc = MySQLCapabilities(rawValue: 1 << 6)
    public static let localFiles = MySQLCapabilities(rawValue: 1 << 7)
    public static let ignoreSpace = MySQLCapabilities(rawValue: 1 << 8)
    public static let protocol41 = MySQLCapabilities(rawValue: 1 << 9)
    public static let interactive = MySQLCapabilities(rawValue: 1 << 10)
    public static let ssl = MySQLCapabilities(rawValue: 1 << 11)
    public static let ignoreSigpipe = MySQLCapabilities(rawValue: 1 << 12)
    public static let transactions = MySQLCapabilities(rawValue: 1 << 13)
    public static let reserved = MySQLCapabilities(rawValue: 1 << 14)
    public static let secureConnection = MySQLCapabilities(rawValue: 1 << 15)
    public static let multiStatements = MySQLCapabilities(rawValue: 1 << 16)
    public static let multiResults = MySQLCapabilities(rawValue: 1 << 17)
    public static let psMultiResults = MySQLCapabilities(rawValue: 1 << 18)
    public static let pluginAuth = MySQLCapabilities(rawValue: 1 << 19)
    public static let connectAttributes = MySQLCapabilities(rawValue: 1 << 20)
    public static let pluginAuthLengthEncodedClientData = MySQLCapabilities(rawValue: 1 << 21)
    public static let canHandleExpiredPasswords = MySQLCapabilities(rawValue: 1 << 22)
    public static let sessionTrack = MySQLCapabilities(rawValue: 1 << 23)
    public static let deprecateEOF = MySQLCapabilities(rawValue: 1 << 24)
    public static let optionalResultsetMetadata = MySQLCapabilities(rawValue: 1 << 25)
    public static let zstdCompression = MySQLCapabilities(rawValue: 1 << 26)
    public static let queryAttributes = MySQLCapabilities(rawValue: 1 << 27)
    public static let sslVerifyServerCert = MySQLCapabilities(rawValue: 1 << 30)
}

/// MariaDB's extended capabilities (the greeting's and response's last 4 reserved bytes).
public struct MariaDBCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let progress = MariaDBCapabilities(rawValue: 1)
    public static let comMulti = MariaDBCapabilities(rawValue: 1 << 1)
    public static let stmtBulkOperations = MariaDBCapabilities(rawValue: 1 << 2)
    public static let extendedTypeInfo = MariaDBCapabilities(rawValue: 1 << 3)
    public static let cacheMetadata = MariaDBCapabilities(rawValue: 1 << 4)
}

/// Server status flags (`SERVER_STATUS_*`) of OK and EOF packets.
public struct MySQLServerStatus: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let inTransaction = MySQLServerStatus(rawValue: 1)
    public static let autocommit = MySQLServerStatus(rawValue: 2)
    public static let moreResultsExist = MySQLServerStatus(rawValue: 8)
    public static let noGoodIndexUsed = MySQLServerStatus(rawValue: 0x10)
    public static let noIndexUsed = MySQLServerStatus(rawValue: 0x20)
    public static let cursorExists = MySQLServerStatus(rawValue: 0x40)
    public static let lastRowSent = MySQLServerStatus(rawValue: 0x80)
    public static let databaseDropped = MySQLServerStatus(rawValue: 0x100)
    public static let noBackslashEscapes = MySQLServerStatus(rawValue: 0x200)
    public static let metadataChanged = MySQLServerStatus(rawValue: 0x400)
    public static let queryWasSlow = MySQLServerStatus(rawValue: 0x800)
    public static let psOutParams = MySQLServerStatus(rawValue: 0x1000)
    public static let inTransactionReadOnly = MySQLServerStatus(rawValue: 0x2000)
    public static let sessionStateChanged = MySQLServerStatus(rawValue: 0x4000)
}
