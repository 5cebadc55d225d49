import Foundation
import Testing

@testable import MySQLWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The MySQL 8 logins MariaDB cannot serve — caching_sha2_password fast and full
/// authentication, sha256_password, a switch from mysql_native_password to
/// caching_sha2_password; over TLS, with RSA and a retrieved key, with RSA and a pinned key —
/// against `Tests/ReferenceServer/sha2_server.py`, a server written from the protocol
/// documentation (its scrambles, RSA and TLS come from Python's hashlib, `cryptography` and
/// `ssl`, never from this library). Each test starts its own server process, logs in, runs
/// `SELECT 1`, closes, and checks how the server exited.
/// Serialized: dozens of Python servers started at once on a 2-core machine starve the rest
/// of the suite (replay deadlines) and themselves.
@Suite(
    "ReferenceServer", .serialized, .enabled(if: ReferenceServer.isAvailable, ReferenceServer.skipReason),
    .timeLimit(.minutes(3)))
struct ReferenceServerTests {
    static let passwords = [
        "mysqlwire-pass",
        "",
        "pässwörd-✓",
        // 100 characters: longer than the 20-byte nonce, so the RSA XOR wraps around it.
        String(repeating: "0123456789", count: 10),
    ]

    @Test("login and SELECT 1", arguments: ReferenceServer.Flow.allCases, passwords)
    func login(flow: ReferenceServer.Flow, password: String) async throws {
        let material = try ReferenceServer.material.get()
        let run = try await ReferenceServer.run(
            scenario: flow.scenario, password: password, tls: flow.serverTLS, material: material
        ) { configuration in
            flow.configure(&configuration, material)
            let connection = try await MySQLConnection.connect(configuration: configuration)
            #expect(await connection.serverVersion == "8.0.36-reference")
            #expect(await connection.serverInfo?.authPluginName == flow.plugin)
            let tls = await connection.tlsDescription
            #expect((tls != nil) == flow.serverTLS, "TLS: \(tls ?? "none")")
            let rows = try await connection.query("SELECT 1").collect()
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(Int.self, at: 0) == 1)
            #expect(try rows.first?.decode(String.self, at: 0) == "1")
            await connection.close()
        }
        run.expectExit(0, "\(flow) with a \(password.utf8.count)-byte password")
    }

    @Test("a wrong password is ERR 1045 (28000), without the password", arguments: ReferenceServer.Flow.allCases)
    func wrongPassword(flow: ReferenceServer.Flow) async throws {
        let material = try ReferenceServer.material.get()
        let wrong = "not-the-pässword"
        let run = try await ReferenceServer.run(
            scenario: flow.scenario, password: "mysqlwire-pass", tls: flow.serverTLS, material: material
        ) { configuration in
            configuration.password = wrong
            flow.configure(&configuration, material)
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .server(code: 1045, sqlState: "28000"), "\(String(describing: error))")
            #expect(error?.message.contains("Access denied") == true)
            #expect(error?.message.contains(wrong) == false, "a message must never show the password")
        }
        run.expectExit(1, "\(flow), wrong password")
    }

    @Test("caching_sha2_password full auth on plain TCP without a key: a clear error naming the options")
    func csha2FullAuthWithoutKey() async throws {
        let material = try ReferenceServer.material.get()
        let password = "secret-in-no-message"
        let run = try await ReferenceServer.run(scenario: "csha2-full", password: password, material: material) {
            configuration in
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            Self.expectNoKeyError(error, password: password)
        }
        // The client gives up after `01 04`; the server sees EOF instead of the password.
        run.expectExit(1, "csha2-full without a key")
        run.expectLog(contains: "perform full authentication")
    }

    @Test("TLS with an expired server certificate: a clear error under verifyCA, accepted under required")
    func expiredServerCertificate() async throws {
        var material = try ReferenceServer.material.get()
        // A self-signed certificate that expired yesterday, made by Python's cryptography.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mysqlwire-expired-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("expired-cert.pem").path
        let key = directory.appendingPathComponent("expired-key.pem").path
        let script = """
            import datetime, sys
            from cryptography import x509
            from cryptography.x509.oid import NameOID
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expired.test")])
            now = datetime.datetime.now(datetime.timezone.utc)
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=30)).not_valid_after(now - datetime.timedelta(days=1))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
            open(sys.argv[1], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
            open(sys.argv[2], "wb").write(key.private_bytes(serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            """
        let made = ReferenceServer.command(["python3", "-c", script, certificate, key])
        try #require(made.status == 0, "making the expired certificate failed: \(made.output)")
        material.tlsCertificate = certificate
        material.tlsKey = key

        _ = try await ReferenceServer.run(scenario: "csha2-fast", password: "pw", tls: true, material: material) {
            configuration in
            configuration.tls = MySQLTLSConfiguration(mode: .verifyCA, caFile: certificate)
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .tls, "\(String(describing: error))")
            #expect(error?.message.contains("has expired") == true, "\(String(describing: error))")
        }
        // `required` encrypts without verifying, so the same server is accepted.
        let accepted = try await ReferenceServer.run(
            scenario: "csha2-fast", password: "pw", tls: true, material: material
        ) { configuration in
            configuration.tls = .required
            let conn = try await MySQLConnection.connect(configuration: configuration)
            #expect(await conn.tlsDescription != nil)
            await conn.close()
        }
        accepted.expectExit(0, "csha2-fast over TLS with an expired certificate under required")
    }

    @Test("sha256_password on plain TCP without a key: a clear error naming the options")
    func sha256WithoutKey() async throws {
        let material = try ReferenceServer.material.get()
        let password = "secret-in-no-message"
        let run = try await ReferenceServer.run(scenario: "sha256", password: password, material: material) {
            configuration in
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            Self.expectNoKeyError(error, password: password)
        }
        // The client answers natively, the server switches it to sha256_password, the client refuses.
        run.expectExit(1, "sha256 without a key")
        run.expectLog(contains: "switching it to sha256_password")
    }

    /// RSA-OAEP with SHA-1 and a 2048-bit key takes 256 - 2·20 - 2 = 214 bytes: the password
    /// and its NUL. 213 bytes log in; 214 are refused by the client before anything is sent.
    @Test("RSA: a 213-byte password logs in, a 214-byte one is a clear client error")
    func longestPassword() async throws {
        let material = try ReferenceServer.material.get()
        let longest = String(repeating: "p", count: 213)
        let ok = try await ReferenceServer.run(scenario: "csha2-full", password: longest, material: material) {
            configuration in
            configuration.allowPublicKeyRetrieval = true
            let connection = try await MySQLConnection.connect(configuration: configuration)
            #expect(try await connection.query("SELECT 1").collect().first?.decode(Int.self, at: 0) == 1)
            await connection.close()
        }
        ok.expectExit(0, "a 213-byte password")

        let tooLong = longest + "p"
        let refused = try await ReferenceServer.run(scenario: "csha2-full", password: tooLong, material: material) {
            configuration in
            configuration.allowPublicKeyRetrieval = true
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .authentication, "\(String(describing: error))")
            #expect(error?.message.contains("too long") == true, "\(String(describing: error))")
            #expect(error?.message.contains(tooLong) == false)
        }
        refused.expectExit(1, "a 214-byte password")
    }

    @Test("a pinned key that is not the server's: the server cannot decrypt, ERR 1045")
    func wrongPinnedKey() async throws {
        let material = try ReferenceServer.material.get()
        let password = "mysqlwire-pass"
        let run = try await ReferenceServer.run(scenario: "csha2-full", password: password, material: material) {
            configuration in
            configuration.serverPublicKey = material.otherPublicKeyPEM
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .server(code: 1045, sqlState: "28000"), "\(String(describing: error))")
        }
        run.expectExit(1, "csha2-full, wrong pinned key")
    }

    static func expectNoKeyError(
        _ error: MySQLError?, password: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(error?.kind == .authentication, "\(String(describing: error))", sourceLocation: sourceLocation)
        let message = error?.message ?? ""
        #expect(message.contains("serverPublicKey"), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains("allowPublicKeyRetrieval"), "\(message)", sourceLocation: sourceLocation)
        #expect(!message.contains(password), "a message must never show the password", sourceLocation: sourceLocation)
    }
}

/// Replays of the fixtures recorded from the reference server (Docs/Fixtures.md).
@Suite("ReferenceServerReplay", .timeLimit(.minutes(1)))
struct ReferenceServerReplayTests {
    /// Fixtures whose every client packet is deterministic: replayed byte for byte.
    static let exact = ["ref-csha2-fast-auth"]
    /// Fixtures with an RSA-OAEP ciphertext, which is randomized on every run: replayed up to
    /// that packet only (see `replayUntilCiphertext`).
    static let rsa = ["ref-csha2-full-auth-rsa", "ref-sha256-rsa", "ref-switch-native-to-csha2-rsa"]

    @Test("ref-csha2-fast-auth: caching_sha2_password scramble, 01 03, OK, SELECT 1")
    func csha2FastAuth() async throws {
        try await Replay.play("ref-csha2-fast-auth", ReplayScenario.referenceCSHA2FastAuth)
    }

    /// The client's packets up to the encrypted password match the recording byte for byte
    /// (handshake response, key request); then the fake server takes the client's next packet
    /// without comparing it — it is RSA-OAEP output, random — and closes. The client must send
    /// exactly one packet of the recorded ciphertext's length and fail with `.connectionClosed`.
    @Test("RSA fixtures: every client packet before the randomized ciphertext", arguments: rsa)
    func replayUntilCiphertext(name: String) async throws {
        var fixture = try FixtureFile.load(name)
        let index = try #require(
            fixture.packets.indices.first { i in
                i > 0 && fixture.packets[i].direction == .client
                    && fixture.packets[i - 1].payload.starts(with: Array("\u{01}-----BEGIN PUBLIC KEY-----".utf8))
            }, "\(name): no client packet follows the server's public key")
        let ciphertext = fixture.packets[index]
        #expect(ciphertext.payload.count == 256, "a 2048-bit key's ciphertext")
        fixture.packets = Array(fixture.packets[..<index])
        fixture.end = .close
        let server = try FakeServer(fixture: fixture, ioTimeout: Replay.ioTimeout)
        server.start()
        let configuration = Replay.configuration(
            port: server.port, credentials: fixture.credentials, clientOptions: fixture.clientOptions)
        #expect(configuration.allowPublicKeyRetrieval, "\(name) is recorded with allowPublicKeyRetrieval=true")
        try await Replay.bounded(Replay.testTimeLimit) {
            let error = await Replay.expectMySQLError {
                try await MySQLConnection.connect(configuration: configuration)
            }
            #expect(error?.kind == .connectionClosed, "\(String(describing: error))")
        }
        let failures = await server.finish(within: Replay.ioTimeout + .seconds(5))
        for failure in failures { Issue.record("\(name).fixture: \(failure)") }
        // The one packet after the script: header (length 256, the recorded sequence id) + 256 bytes.
        let expectedNote =
            "after the script the client sent \(4 + ciphertext.payload.count) bytes: "
            + FixtureHex.string([0x00, 0x01, 0x00, ciphertext.sequenceID])
        #expect(
            server.notes.contains { $0.hasPrefix(expectedNote) },
            "the client's encrypted password: \(server.notes)")
    }
}

/// Starting and watching `sha2_server.py`.
enum ReferenceServer {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MySQLWireTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("ReferenceServer/sha2_server.py").path

    /// python3 with the `cryptography` package, and the openssl CLI (for the test keys).
    static let isAvailable: Bool =
        command(["python3", "-c", "import cryptography"]).status == 0 && command(["openssl", "version"]).status == 0
    static let skipReason: Comment = "needs python3 with the cryptography package and the openssl CLI"

    /// How long the server may take to listen, and to exit once the client is done.
    static let startTimeout: Duration = .seconds(10)
    static let exitTimeout: Duration = .seconds(10)

    /// The client's side of each login flow and the server scenario it meets.
    enum Flow: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case csha2FastAuth
        case csha2FullAuthTLS
        case csha2FullAuthRetrieval
        case csha2FullAuthPinnedFile
        case csha2FullAuthPinnedText
        case sha256PinnedFile
        case sha256Retrieval
        case sha256TLS
        case switchNativeToCSHA2Retrieval
        case switchNativeToCSHA2PinnedFile

        var testDescription: String { rawValue }

        var scenario: String {
            switch self {
            case .csha2FastAuth: "csha2-fast"
            case .csha2FullAuthTLS, .csha2FullAuthRetrieval, .csha2FullAuthPinnedFile, .csha2FullAuthPinnedText:
                "csha2-full"
            case .sha256PinnedFile, .sha256Retrieval, .sha256TLS: "sha256"
            case .switchNativeToCSHA2Retrieval, .switchNativeToCSHA2PinnedFile: "switch-native-to-csha2"
            }
        }

        /// The plugin the login ends with.
        var plugin: String {
            switch self {
            case .sha256PinnedFile, .sha256Retrieval, .sha256TLS: "sha256_password"
            default: "caching_sha2_password"
            }
        }

        var serverTLS: Bool { self == .csha2FullAuthTLS || self == .sha256TLS }

        func configure(_ configuration: inout MySQLConfiguration, _ material: Material) {
            if serverTLS { configuration.tls = MySQLTLSConfiguration(mode: .required) }
            switch self {
            case .csha2FullAuthRetrieval, .sha256Retrieval, .switchNativeToCSHA2Retrieval:
                configuration.allowPublicKeyRetrieval = true
            case .csha2FullAuthPinnedFile, .sha256PinnedFile, .switchNativeToCSHA2PinnedFile:
                configuration.serverPublicKeyFile = material.rsaPublicKey
            case .csha2FullAuthPinnedText:
                configuration.serverPublicKey = material.rsaPublicKeyPEM
            case .csha2FastAuth, .csha2FullAuthTLS, .sha256TLS:
                break
            }
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Keys made once per test run with the openssl CLI, in a temporary directory.
    struct Material: Sendable {
        var rsaKey: String
        var rsaPublicKey: String
        var rsaPublicKeyPEM: String
        /// The public half of another key: a pin that does not match the server.
        var otherPublicKeyPEM: String
        var tlsCertificate: String
        var tlsKey: String
        /// `tlsKey` encrypted with the passphrase "secret".
        var tlsEncryptedKey: String
    }

    /// Where `material` lives; removed when the test process exits.
    static let materialDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("mysqlwire-refserver-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")

    static let material: Result<Material, SetupError> = {
        let directory = materialDirectory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return .failure(SetupError(description: "cannot create \(directory.path): \(error)"))
        }
        atexit { try? FileManager.default.removeItem(at: ReferenceServer.materialDirectory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let steps: [[String]] = [
            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path("rsa.pem")],
            ["openssl", "pkey", "-in", path("rsa.pem"), "-pubout", "-out", path("rsa-public.pem")],
            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path("other.pem")],
            ["openssl", "pkey", "-in", path("other.pem"), "-pubout", "-out", path("other-public.pem")],
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("tls-key.pem"), "-out",
                path("tls-cert.pem"), "-days", "2", "-subj", "/CN=localhost",
            ],
            [
                "openssl", "pkey", "-in", path("tls-key.pem"), "-aes256", "-passout", "pass:secret", "-out",
                path("tls-key-encrypted.pem"),
            ],
        ]
        for step in steps {
            let result = command(step)
            if result.status != 0 {
                return .failure(SetupError(description: "\(step.joined(separator: " ")) failed: \(result.output)"))
            }
        }
        guard let publicPEM = try? String(contentsOfFile: path("rsa-public.pem"), encoding: .utf8),
            let otherPEM = try? String(contentsOfFile: path("other-public.pem"), encoding: .utf8)
        else {
            return .failure(SetupError(description: "cannot read the public keys in \(directory.path)"))
        }
        return .success(
            Material(
                rsaKey: path("rsa.pem"), rsaPublicKey: path("rsa-public.pem"), rsaPublicKeyPEM: publicPEM,
                otherPublicKeyPEM: otherPEM, tlsCertificate: path("tls-cert.pem"), tlsKey: path("tls-key.pem"),
                tlsEncryptedKey: path("tls-key-encrypted.pem")))
    }()

    /// Runs `/usr/bin/env arguments…` to the end; its exit status and its stdout + stderr.
    static func command(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // A file, not a Pipe: Foundation's pipe reads trap on EINTR (signals from other children).
        let output = OutputFile()
        defer { output.remove() }
        guard let handle = output.handle else { return (-1, "cannot create a temporary file") }
        process.standardOutput = handle
        process.standardError = handle
        do {
            try process.run()
        } catch {
            return (-1, "\(error)")
        }
        process.waitUntilExit()
        return (process.terminationStatus, output.contents)
    }

    /// How a server run ended: its exit status (nil: it did not exit in time and was
    /// terminated) and everything it wrote to stderr.
    struct Outcome {
        var status: Int32?
        var log: String
        var sourceLocation: SourceLocation

        func expectExit(_ expected: Int32, _ what: String) {
            #expect(
                status == expected,
                "\(what): the reference server exited with \(status.map(String.init) ?? "nothing (terminated)"), expected \(expected); its log:\n\(log)",
                sourceLocation: sourceLocation)
        }

        func expectLog(contains text: String) {
            #expect(log.contains(text), "the reference server's log:\n\(log)", sourceLocation: sourceLocation)
        }
    }

    /// Starts `sha2_server.py --scenario scenario` on a free port, waits until it listens, runs
    /// `body` with a configuration for it (plain TCP, user mysqlwire, the password, 10-second
    /// deadlines), then waits for the server to exit. A `body` that throws is recorded with
    /// the server's log.
    static func run(
        scenario: String, password: String, tls: Bool = false, material: Material,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (inout MySQLConfiguration) async throws -> Void
    ) async throws -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            let port = try freePort()
            var arguments = [
                "python3", script, "--listen", "127.0.0.1:\(port)", "--scenario", scenario, "--password", password,
                "--rsa-key", material.rsaKey, "--timeout", "20",
            ]
            if tls { arguments += ["--tls-cert", material.tlsCertificate, "--tls-key", material.tlsKey] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["PYTHONUTF8"] = "1"
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            process.environment = environment
            let stderr = OutputFile()
            defer { stderr.remove() }
            process.standardError = stderr.handle
            process.standardOutput = FileHandle.nullDevice
            try process.run()

            let listening = await waitUntilListening(port: port, process: process)
            if !listening {
                // SIGTERM may be blocked (see ScriptedServer.stop).
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                let log = stderr.contents
                // Another test may have taken the port between freePort() and the bind.
                if log.contains("Address already in use") && attempt < 3 { continue }
                throw SetupError(description: "the reference server did not listen on port \(port); its log:\n\(log)")
            }

            var configuration = MySQLConfiguration(
                host: "127.0.0.1", port: port, username: "mysqlwire", password: password, database: nil)
            configuration.tls = .disabled
            configuration.connectTimeout = .seconds(10)
            configuration.readTimeout = .seconds(10)
            var bodyError: (any Error)?
            do {
                try await body(&configuration)
            } catch {
                bodyError = error
            }
            let status = await waitForExit(process)
            let log = stderr.contents
            if let bodyError {
                Issue.record("\(bodyError)\nthe reference server's log:\n\(log)", sourceLocation: sourceLocation)
            }
            return Outcome(status: status, log: log, sourceLocation: sourceLocation)
        }
    }

    /// Polls the port until it accepts a connection (the server does not count a connection
    /// that closes without sending anything), the process exits, or `startTimeout` passes.
    static func waitUntilListening(port: Int, process: Process) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + startTimeout
        while clock.now < deadline {
            guard process.isRunning else { return false }
            if accepts(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// The exit status, or nil when the process was still running after `exitTimeout` (it is
    /// then terminated).
    static func waitForExit(_ process: Process) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + exitTimeout
        while process.isRunning && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)  // SIGTERM may be blocked (see ScriptedServer.stop)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// A loopback port nobody listens on right now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SetupError(description: "bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:port (connects and closes).
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A temporary file a child process writes its output to (instead of a Pipe, whose reads in
/// Foundation trap on EINTR when other children's signals arrive).
final class OutputFile: Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mysqlwire-ref-\(UUID().uuidString).log")
    let handle: FileHandle?

    init() {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try? FileHandle(forWritingTo: url)
    }

    var contents: String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }

    func remove() {
        try? handle?.close()
        try? FileManager.default.removeItem(at: url)
    }
}
