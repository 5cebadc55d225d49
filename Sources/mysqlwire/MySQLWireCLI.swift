import ArgumentParser
import MySQLWire

#if canImport(Glibc)
    import Glibc
#endif

/// `mysqlwire`: run SQL against a server and print the results like the mariadb client.
@main
struct MySQLWireCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mysqlwire",
        abstract: "Run SQL against a MySQL or MariaDB server and print the results.",
        subcommands: [Run.self, Demo.self],
        defaultSubcommand: Run.self
    )
}

/// Connection options shared by every subcommand, named as the mysql/mariadb clients name them.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server host name or address.")
    var host = "127.0.0.1"

    @Option(help: "Server TCP port.")
    var port = 3306

    @Option(help: "Unix socket path (instead of host/port).")
    var socket: String?

    @Option(help: "User name.")
    var user = "root"

    @Option(help: "Password (prefer the MYSQL_PWD environment variable: argv is visible to other users).")
    var password: String?

    @Option(help: "Default database.")
    var database: String?

    @Option(name: .customLong("connect-timeout"), help: "Seconds allowed for connect, TLS and login.")
    var connectTimeout: Double = 10

    @Option(name: .customLong("read-timeout"), help: "Seconds to wait for each server response (default: no limit).")
    var readTimeout: Double?

    @Option(
        name: .customLong("query-timeout"),
        help: "Seconds a statement may run before it is stopped with KILL QUERY (default: no limit).")
    var queryTimeout: Double?

    @Option(
        name: .customLong("write-timeout"),
        help: "Seconds a request may wait for the server to accept it (default: no limit).")
    var writeTimeout: Double?

    @Option(
        name: .customLong("ssl-mode"),
        help: "TLS: DISABLED, PREFERRED (default), REQUIRED, VERIFY_CA or VERIFY_IDENTITY, as the mysql client.")
    var sslMode: MySQLTLSConfiguration.Mode = .preferred

    @Option(name: .customLong("ssl-ca"), help: "PEM file of CA certificates to trust (VERIFY_CA, VERIFY_IDENTITY).")
    var sslCA: String?

    @Option(name: .customLong("ssl-capath"), help: "Directory of hashed CA certificates to trust.")
    var sslCAPath: String?

    @Option(name: .customLong("ssl-cert"), help: "Client certificate (PEM) to present.")
    var sslCert: String?

    @Option(name: .customLong("ssl-key"), help: "Private key (PEM) of the client certificate.")
    var sslKey: String?

    @Option(
        name: .customLong("server-public-key-path"),
        help: "The server's RSA public key (PEM), for caching_sha2_password / sha256_password without TLS.")
    var serverPublicKeyPath: String?

    @Flag(
        name: .customLong("get-server-public-key"),
        help: "Ask the server for its RSA public key when none is given (exposes the password to a man in the middle).")
    var getServerPublicKey = false

    func makeConfiguration() throws -> MySQLConfiguration {
        let pw = password ?? getenv("MYSQL_PWD").map { String(cString: $0) } ?? ""
        var config: MySQLConfiguration
        if let socket {
            config = MySQLConfiguration(unixSocketPath: socket, username: user, password: pw, database: database)
        } else {
            config = MySQLConfiguration(host: host, port: port, username: user, password: pw, database: database)
        }
        guard connectTimeout > 0, connectTimeout <= 86_400 else {
            throw ValidationError("--connect-timeout must be between 0 and 86400 seconds")
        }
        config.connectTimeout = .milliseconds(Int64(connectTimeout * 1000))
        for (name, seconds, apply) in [
            ("--read-timeout", readTimeout, { (c: inout MySQLConfiguration, d: Duration) in c.readTimeout = d }),
            ("--query-timeout", queryTimeout, { (c: inout MySQLConfiguration, d: Duration) in c.queryTimeout = d }),
            ("--write-timeout", writeTimeout, { (c: inout MySQLConfiguration, d: Duration) in c.writeTimeout = d }),
        ] {
            guard let seconds else { continue }
            guard seconds > 0, seconds <= 86_400 else {
                throw ValidationError("\(name) must be between 0 and 86400 seconds")
            }
            apply(&config, .milliseconds(Int64(seconds * 1000)))
        }
        config.serverPublicKeyFile = serverPublicKeyPath
        config.allowPublicKeyRetrieval = getServerPublicKey
        config.tls = MySQLTLSConfiguration(
            mode: sslMode, caFile: sslCA, caDirectory: sslCAPath, certificateFile: sslCert, keyFile: sslKey)
        return config
    }
}

extension OutputFormat: ExpressibleByArgument {}

extension MySQLTLSConfiguration.Mode: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

/// Prints an error the way the mariadb client does and exits non-zero.
func exitWithError(_ error: any Error) -> Never {
    let text: String
    if let error = error as? MySQLError {
        switch error.kind {
        case .server(let code, let sqlState):
            text = "ERROR \(code) (\(sqlState.isEmpty ? "HY000" : sqlState)): \(error.message)"
        default:
            text = "ERROR: \(error.description)"
        }
    } else {
        text = "ERROR: \(error)"
    }
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(1)
}
