import Foundation
import MySQLWire
import Testing

/// A loopback listener whose accepted connections get bytes from `behaviour`, on a thread.
final class SilentOrTricklingServer: @unchecked Sendable {
    // @unchecked Sendable: `fd` and `port` are set in init and only read afterwards; the
    // accept thread owns the accepted descriptors.
    let fd: Int32
    let port: Int
    private let flag = StopFlag()

    final class StopFlag: @unchecked Sendable {
        // @unchecked Sendable: `stopped` is guarded by `lock`.
        private let lock = NSLock()
        private var stopped = false
        var isSet: Bool { lock.withLock { stopped } }
        func set() { lock.withLock { stopped = true } }
    }

    enum Behaviour {
        case silent
        case trickle(every: TimeInterval)
        /// Sends `greeting` (a framed packet), reads `readCount` bytes from the client, sends
        /// `reply`, then keeps the socket open until shut down.
        case greeting([UInt8], thenRead: Int, reply: [UInt8])
    }

    init(_ behaviour: Behaviour) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listen(fd, 8)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        let listener = fd
        let flag = self.flag
        Thread.detachNewThread {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            switch behaviour {
            case .silent:
                while !flag.isSet { usleep(20_000) }
            case .greeting(let greeting, let readCount, let reply):
                var timeout = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                guard send(client, greeting, greeting.count, Int32(MSG_NOSIGNAL)) == greeting.count else { return }
                var buffer = [UInt8](repeating: 0, count: max(readCount, 1))
                var received = 0
                while received < readCount {
                    let n = buffer.withUnsafeMutableBytes {
                        recv(client, $0.baseAddress! + received, readCount - received, 0)
                    }
                    if n <= 0 { return }
                    received += n
                }
                _ = send(client, reply, reply.count, Int32(MSG_NOSIGNAL))
                while !flag.isSet { usleep(20_000) }
            case .trickle(let every):
                // A greeting header that announces 80 bytes, then one byte at a time.
                var bytes: [UInt8] = [80, 0, 0, 0, 10]
                bytes += Array("5.5.5-10.11.6-MariaDB".utf8)
                var index = 0
                while !flag.isSet {
                    let byte = index < bytes.count ? bytes[index] : 0x41
                    if send(client, [byte], 1, Int32(MSG_NOSIGNAL)) < 0 { return }
                    index += 1
                    usleep(UInt32(every * 1_000_000))
                }
            }
        }
    }

    func shutdown() {
        flag.set()
        close(fd)
    }
}

@Suite struct DeadlineTests {
    /// Connecting to `server` must fail with a timeout at the connect deadline.
    static func expectConnectTimeout(
        _ server: SilentOrTricklingServer, limit: Duration, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        defer { server.shutdown() }
        var config = MySQLConfiguration(host: "127.0.0.1", port: server.port, username: "u", password: "p")
        config.connectTimeout = limit
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await MySQLConnection.connect(configuration: config)
            Issue.record("connected to a server that never finishes the greeting", sourceLocation: sourceLocation)
        } catch let error as MySQLError {
            #expect(error.kind == .timeout, sourceLocation: sourceLocation)
            #expect(error.message.contains("connect timeout"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        // Generous: other suites may hold the test threads.
        #expect(clock.now - start < .seconds(10), sourceLocation: sourceLocation)
    }

    @Test func connectTimeoutCoversTheHandshakeWhenTheServerIsSilent() async {
        await Self.expectConnectTimeout(SilentOrTricklingServer(.silent), limit: .milliseconds(300))
    }

    @Test func connectTimeoutIsNotResetByTricklingBytes() async {
        await Self.expectConnectTimeout(SilentOrTricklingServer(.trickle(every: 0.05)), limit: .milliseconds(400))
    }

    @Test func badConfigurationIsAClearError() async throws {
        for (config, fragment) in [
            (MySQLConfiguration(host: "", port: 3306, username: "u"), "host"),
            (MySQLConfiguration(host: "127.0.0.1", port: 70000, username: "u"), "port"),
            (MySQLConfiguration(host: "127.0.0.1", port: 3306, username: ""), "username"),
        ] {
            do {
                _ = try await MySQLConnection.connect(configuration: config)
                Issue.record("accepted a bad configuration")
            } catch let error as MySQLError {
                #expect(error.kind == .invalidUsage)
                #expect(error.message.contains(fragment))
            }
        }
    }

    @Test func refusedConnectionIsAnIOError() async throws {
        var config = MySQLConfiguration(host: "127.0.0.1", port: 1, username: "u")
        config.connectTimeout = .seconds(2)
        do {
            _ = try await MySQLConnection.connect(configuration: config)
            Issue.record("connected to port 1")
        } catch let error as MySQLError {
            #expect(error.kind == .io(errno: ECONNREFUSED))
        }
    }
}
