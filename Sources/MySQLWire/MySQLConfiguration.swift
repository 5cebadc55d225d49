import Foundation
import MySQLWireIO

/// How to reach and log in to a server, with safe defaults. A value type: copy and adjust.
/// `description` never shows the password.
public struct MySQLConfiguration: Sendable, CustomStringConvertible {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String
    /// The default database (schema) selected at login; nil for none.
    public var database: String?

    /// Deadline for the whole connection set-up: TCP connect, TLS and authentication.
    public var connectTimeout: Duration = .seconds(10)
    /// Deadline for each wait on the server: from a command's start until its first response,
    /// and from each request for more rows until they arrive. It is not reset by partial
    /// data: a server that trickles bytes is cut off all the same. nil waits forever.
    /// A timed-out connection is closed, since its place in the stream is unknown.
    public var readTimeout: Duration? = nil
    /// Longest a query may run, from when it is sent until its last row arrives: then it is
    /// stopped with `KILL QUERY` (sent on a short-lived second connection) and fails with
    /// `.timeout`; the connection stays usable. nil: no limit. Cancelling the task that waits
    /// for a query stops it the same way (`.cancelled`).
    public var queryTimeout: Duration? = nil
    /// Longest the connection waits for the server to accept more of a request it is
    /// writing (the socket's buffers are full and no byte moved for this long): then the
    /// connection is closed with `.timeout`, since a request is half sent. nil waits forever.
    public var writeTimeout: Duration? = nil

    /// Allow several statements separated by `;` in one query (CLIENT_MULTI_STATEMENTS).
    /// Off by default: it widens the damage an SQL injection can do.
    public var multiStatements = false
    /// Ask MariaDB (10.6+) not to resend a prepared statement's column definitions with every
    /// execution unless they changed (MARIADB_CLIENT_CACHE_METADATA, which MariaDB
    /// Connector/C asks for too): less work for the server and the client per
    /// COM_STMT_EXECUTE. MySQL servers do not offer it; then nothing changes.
    public var cacheMetadata = true
    /// LOAD DATA LOCAL INFILE. Must stay false for now: a server's request for a local file is
    /// always refused, and `connect` rejects `true` until sending files is implemented.
    public var allowLoadDataLocalInfile = false
    /// TLS: `preferred` by default (encrypt when the server offers it, unverified); set
    /// `verifyIdentity` with a CA to be safe against an active attacker. See MySQLTLSConfiguration.
    /// Over a unix socket `preferred` does not use TLS (the socket is local already).
    public var tls = MySQLTLSConfiguration.preferred
    /// The server's RSA public key as PEM text (`-----BEGIN PUBLIC KEY-----`, the server's
    /// `public_key.pem`), for caching_sha2_password and sha256_password logins over an
    /// unencrypted TCP connection. Pinning it is safe; see `allowPublicKeyRetrieval`.
    public var serverPublicKey: String?
    /// The same, read from this file when connecting.
    public var serverPublicKeyFile: String?
    /// Let the client ask the server for its RSA public key when none is pinned. Off by
    /// default: on an unverified connection an attacker could send its own key and decrypt the
    /// password. Not needed over TLS or a unix socket.
    public var allowPublicKeyRetrieval = false
    /// Answer a server's switch to mysql_clear_password (only over TLS or a unix socket).
    public var allowClearTextPassword = false
    /// With `allowClearTextPassword`, also send it on an unencrypted TCP connection. Anyone on
    /// the path reads the password; only for test set-ups on a trusted network.
    public var allowClearTextPasswordWithoutTLS = false
    /// Collation id announced at login: 45 (utf8mb4_general_ci) exists on MySQL and MariaDB.
    public var characterSet: UInt8 = 45
    /// The largest packet (row, result) accepted from the server, at most 1 GiB.
    public var maxPacketSize = 64 * 1024 * 1024
    /// Connection attributes sent at login (visible in performance_schema.session_connect_attrs).
    public var connectionAttributes: [(key: String, value: String)] = MySQLConfiguration.defaultConnectionAttributes
    /// Rows buffered for a slow consumer before the socket stops being read (backpressure).
    public var rowBufferHighWaterBytes = 4 * 1024 * 1024
    /// Prepared statements kept per connection for queries with bound parameters (LRU; an
    /// evicted statement is closed on the server). 0 prepares, executes and closes every time.
    public var statementCacheSize = 64
    /// A string or bytes parameter longer than this is sent ahead of COM_STMT_EXECUTE in 1 MiB
    /// parts (COM_STMT_SEND_LONG_DATA), so a value larger than one packet can be bound.
    public var longDataThreshold = 1 << 20
    /// The event loop that runs the connection; nil picks one from `EventLoopGroup.shared`.
    public var eventLoop: EventLoop? = nil

    public init(host: String, port: Int = 3306, username: String, password: String = "", database: String? = nil) {
        self.endpoint = .tcp(host: host, port: port)
        self.username = username
        self.password = password
        self.database = database
    }

    public init(unixSocketPath: String, username: String, password: String = "", database: String? = nil) {
        self.endpoint = .unixSocket(path: unixSocketPath)
        self.username = username
        self.password = password
        self.database = database
    }

    public static let defaultConnectionAttributes: [(key: String, value: String)] = [
        ("_client_name", "MySQLWire"),
        ("_client_version", MySQLWireVersion.string),
        ("_os", "Linux"),
        ("_platform", platformName),
    ]

    private static var platformName: String {
        #if arch(x86_64)
            return "x86_64"
        #elseif arch(arm64)
            return "aarch64"
        #else
            return "unknown"
        #endif
    }

    public var description: String {
        let place: String
        switch endpoint {
        case .tcp(let host, let port): place = "\(host):\(port)"
        case .unixSocket(let path): place = path
        }
        return "MySQLConfiguration(\(username)@\(place), database: \(database ?? "none"), password: <redacted>)"
    }

    /// Checks the values a user could get wrong, with a message naming the fix.
    func validate() throws(MySQLError) {
        if case .tcp(let host, let port) = endpoint {
            guard !host.isEmpty else {
                throw MySQLError(
                    .invalidUsage, "MySQLConfiguration: host is empty; give a host name or address, e.g. 127.0.0.1")
            }
            guard (1...65535).contains(port) else {
                throw MySQLError(.invalidUsage, "MySQLConfiguration: port \(port) is not in 1...65535")
            }
        }
        guard !username.isEmpty else { throw MySQLError(.invalidUsage, "MySQLConfiguration: username is empty") }
        guard maxPacketSize >= 1024 && maxPacketSize <= 1 << 30 else {
            throw MySQLError(
                .invalidUsage, "MySQLConfiguration: maxPacketSize \(maxPacketSize) must be between 1 KiB and 1 GiB")
        }
        guard connectTimeout > .zero else {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: connectTimeout must be positive")
        }
        if let readTimeout, readTimeout <= .zero {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: readTimeout must be positive or nil")
        }
        if let queryTimeout, queryTimeout <= .zero {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: queryTimeout must be positive or nil")
        }
        if let writeTimeout, writeTimeout <= .zero {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: writeTimeout must be positive or nil")
        }
        guard !allowLoadDataLocalInfile else {
            throw MySQLError(
                .invalidUsage,
                "MySQLConfiguration: allowLoadDataLocalInfile is not supported yet (LOAD DATA LOCAL INFILE is always refused); leave it false"
            )
        }
        if tls.mode == .verifyIdentity {
            var host: String?
            if case .tcp(let name, _) = endpoint { host = name }
            // OpenSSL treats an empty expected name as "check no name": identity unchecked.
            guard let name = tls.serverName ?? host, !name.isEmpty else {
                throw MySQLError(
                    .invalidUsage,
                    "MySQLConfiguration: tls verifyIdentity needs a name to check the certificate against; set tls.serverName (a unix socket has no host name)"
                )
            }
        }
        if tls.keyFile != nil && tls.certificateFile == nil {
            throw MySQLError(
                .invalidUsage, "MySQLConfiguration: tls.keyFile is set without tls.certificateFile; set both or neither"
            )
        }
        if tls.mode == .verifyIdentity, case .unixSocket = endpoint, tls.serverName == nil {
            throw MySQLError(
                .invalidUsage,
                "MySQLConfiguration: tls.mode verifyIdentity over a unix socket needs tls.serverName (the name in the server's certificate)"
            )
        }
        if serverPublicKey != nil && serverPublicKeyFile != nil {
            throw MySQLError(
                .invalidUsage, "MySQLConfiguration: set serverPublicKey or serverPublicKeyFile, not both")
        }
        guard rowBufferHighWaterBytes > 0 else {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: rowBufferHighWaterBytes must be positive")
        }
        guard statementCacheSize >= 0 else {
            throw MySQLError(
                .invalidUsage, "MySQLConfiguration: statementCacheSize must be 0 (no cache) or more")
        }
        guard longDataThreshold >= 0 else {
            throw MySQLError(.invalidUsage, "MySQLConfiguration: longDataThreshold must not be negative")
        }
    }

    /// `settings` with the pinned public key read from `serverPublicKeyFile`, if any.
    func resolvedSettings() throws(MySQLError) -> ConnectionSettings {
        var s = settings
        if let serverPublicKeyFile {
            guard let contents = FileManager.default.contents(atPath: serverPublicKeyFile) else {
                throw MySQLError(
                    .invalidUsage, "MySQLConfiguration: cannot read serverPublicKeyFile \(serverPublicKeyFile)")
            }
            s.serverPublicKeyPEM = Array(contents)
        }
        return s
    }

    var settings: ConnectionSettings {
        var s = ConnectionSettings(username: username, password: password, database: database)
        s.characterSet = characterSet
        s.multiStatements = multiStatements
        s.cacheMetadata = cacheMetadata
        s.allowLoadDataLocalInfile = allowLoadDataLocalInfile
        s.connectionAttributes = connectionAttributes
        s.maxPacketSize = maxPacketSize
        s.allowClearPassword = allowClearTextPassword
        s.allowInsecureClearPassword = allowClearTextPassword && allowClearTextPasswordWithoutTLS
        s.serverPublicKeyPEM = serverPublicKey.map { Array($0.utf8) }
        s.allowPublicKeyRetrieval = allowPublicKeyRetrieval
        switch (tls.mode, endpoint) {
        case (.disabled, _), (.preferred, .unixSocket): s.tls = .disabled
        case (.preferred, .tcp): s.tls = .preferred
        case (.required, _), (.verifyCA, _), (.verifyIdentity, _): s.tls = .required
        }
        if case .unixSocket = endpoint { s.transportIsSecure = true }
        return s
    }
}

public enum MySQLWireVersion {
    public static let string = "0.1.0"
}
