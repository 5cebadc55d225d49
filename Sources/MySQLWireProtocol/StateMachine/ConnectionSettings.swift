/// What the protocol layer needs to know about the user's configuration. No sockets, no clocks.
public struct ConnectionSettings: Sendable, CustomStringConvertible {
    public var username: String
    /// Never printed: `description` redacts it.
    public var password: String
    public var database: String?
    /// Collation id sent in the handshake; 45 = utf8mb4_general_ci (known to MySQL and MariaDB).
    public var characterSet: UInt8 = 45
    public var multiStatements = false
    /// LOAD DATA LOCAL INFILE. Off: a file request from the server is refused without reading anything.
    public var allowLoadDataLocalInfile = false
    public var connectionAttributes: [(key: String, value: String)] = []
    public var maxPacketSize = 64 * 1024 * 1024
    /// The transport is encrypted or local (TLS, unix socket): a password may be sent as is there.
    /// Set for TLS by the state machine itself once `tlsEstablished()` is called.
    public var transportIsSecure = false

    /// Whether to switch to TLS after the greeting (the verification itself is the IO layer's).
    public enum TLSPolicy: Sendable {
        /// Never (no SSLRequest).
        case disabled
        /// When the server offers it; plain otherwise.
        case preferred
        /// Always: a server without TLS is an error, never a fall-back to plain text.
        case required
    }

    public var tls = TLSPolicy.disabled
    /// Allow answering a switch to mysql_clear_password (only on a secure transport unless
    /// `allowInsecureClearPassword` is also set).
    public var allowClearPassword = false
    public var allowInsecureClearPassword = false
    /// The server's RSA public key (PEM) for caching_sha2_password / sha256_password over an
    /// unencrypted connection; pinned by the user.
    public var serverPublicKeyPEM: [UInt8]?
    /// Ask the server for its RSA public key when none is pinned. Off by default: an attacker
    /// in the middle could hand over its own key and read the password.
    public var allowPublicKeyRetrieval = false
    /// Rows are handed to the consumer once this many bytes have accumulated, even mid-read.
    public var rowBatchBytes = 256 * 1024
    /// Ask a MariaDB server for MARIADB_CLIENT_CACHE_METADATA (10.6+): a prepared statement's
    /// column definitions are then sent again only when they change.
    public var cacheMetadata = false

    public init(username: String, password: String, database: String? = nil) {
        self.username = username
        self.password = password
        self.database = database
    }

    public var description: String {
        "ConnectionSettings(username: \(username), password: <redacted>, database: \(database ?? "nil"))"
    }
}

/// What the server told us during the handshake.
public struct ServerInfo: Sendable {
    public var connectionID: UInt32
    public var serverVersion: String
    public var flavor: ServerFlavor
    public var capabilities: MySQLCapabilities
    /// The capabilities both sides agreed on.
    public var negotiatedCapabilities: MySQLCapabilities
    public var mariaDBCapabilities: MariaDBCapabilities
    public var status: MySQLServerStatus
    public var authPluginName: String
}
