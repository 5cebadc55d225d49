import Foundation
import Logging
import MySQLWire
import Testing

/// The server the live tests use: MYSQLWIRE_TEST_* (set by Scripts/test from the sandbox),
/// defaulting to the sandbox's address. Tests are skipped, with the reason printed, when
/// nothing listens there.
enum LiveServer {
    static let env = ProcessInfo.processInfo.environment
    static let host = env["MYSQLWIRE_TEST_HOST"] ?? "127.0.0.1"
    static let port = Int(env["MYSQLWIRE_TEST_PORT"] ?? "") ?? 33070
    static let user = env["MYSQLWIRE_TEST_USER"] ?? "mysqlwire"
    static let password = env["MYSQLWIRE_TEST_PASSWORD"] ?? "mysqlwire-pass"
    static let database = env["MYSQLWIRE_TEST_DATABASE"] ?? "mysqlwire_test"
    static let socket = env["MYSQLWIRE_TEST_SOCKET"] ?? "/tmp/mysqlwire-sandbox/mysqld.sock"

    /// Whether a TCP connect to the server succeeds within a second.
    static let isAvailable: Bool = {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return false }
        defer { freeaddrinfo(result) }
        let fd = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
    }()

    static var skipReason: Comment {
        "no MySQL/MariaDB server at \(host):\(port); run Scripts/test (starts the sandbox) or set MYSQLWIRE_TEST_HOST/PORT/USER/PASSWORD/DATABASE"
    }

    static func configuration(database: String? = LiveServer.database) -> MySQLConfiguration {
        var config = MySQLConfiguration(host: host, port: port, username: user, password: password, database: database)
        config.connectTimeout = .seconds(10)
        config.readTimeout = .seconds(60)
        // MYSQLWIRE_TEST_CACHE_METADATA=0 runs the live suites without MariaDB's metadata caching.
        config.cacheMetadata = env["MYSQLWIRE_TEST_CACHE_METADATA"] != "0"
        return config
    }

    static func connect(_ adjust: (inout MySQLConfiguration) -> Void = { _ in }) async throws -> MySQLConnection {
        var config = configuration()
        adjust(&config)
        return try await MySQLConnection.connect(configuration: config)
    }

    static var isMariaDB: Bool { true }

    /// Open descriptors of this process.
    static func openDescriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// Resident set size in bytes.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

/// Collects every log line, to check what is (and is not) logged.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    // @unchecked Sendable: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var storage: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) \(metadata) \(event.metadata ?? [:])"
        lock.withLock { storage.append(text) }
    }

    var lines: [String] { lock.withLock { storage } }
}
