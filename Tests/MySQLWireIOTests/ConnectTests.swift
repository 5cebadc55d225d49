import Glibc
import Testing

@testable import MySQLWireIO

extension IOTests {
    @Suite struct ConnectTests {
        private func soon() -> Deadline { .now() + .seconds(5) }

        @Test func connectsOverIPv4WithNonblockingCloexecNodelaySocket() async throws {
            let listener = try TestListener()
            defer { listener.close() }
            try await withLoop { loop in
                let socket = try await Socket.connect(
                    to: .tcp(host: "127.0.0.1", port: listener.port), deadline: soon(), on: loop)
                defer { socket.close() }
                #expect(fcntl(socket.fd, F_GETFL) & O_NONBLOCK != 0)
                #expect(fcntl(socket.fd, F_GETFD) & FD_CLOEXEC != 0)
                #expect(intOption(socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY) != 0)
                #expect(intOption(socket.fd, SOL_SOCKET, SO_KEEPALIVE) != 0)
                #expect(socket.peerName == "127.0.0.1:\(listener.port)")
                let registered = try await loop.submit { loop.isRegistered(socket.fd) }
                #expect(!registered, "connect must hand back an unregistered socket")
            }
        }

        @Test func connectsOverIPv6Loopback() async throws {
            guard isIPv6LoopbackAvailable() else {
                print("skipping connectsOverIPv6Loopback: cannot bind to [::1] (no IPv6 loopback here)")
                return
            }
            let listener = try TestListener(host: "::1")
            defer { listener.close() }
            try await withLoop { loop in
                for host in ["::1", "[::1]"] {
                    let socket = try await Socket.connect(
                        to: .tcp(host: host, port: listener.port), deadline: soon(), on: loop)
                    #expect(socket.peerName == "[::1]:\(listener.port)")
                    socket.close()
                }
            }
        }

        @Test func resolvesLocalhost() async throws {
            let listener = try TestListener()
            defer { listener.close() }
            try await withLoop { loop in
                // If localhost also maps to ::1 (where nothing listens), that attempt is refused
                // and 127.0.0.1 is tried next.
                let socket = try await Socket.connect(
                    to: .tcp(host: "localhost", port: listener.port), deadline: soon(), on: loop)
                #expect(!socket.isClosed)
                socket.close()
            }
        }

        @Test func refusedPortGivesECONNREFUSEDWithAClearMessage() async throws {
            let (port, holder) = try closedPort()
            defer { close(holder) }
            try await withLoop { loop in
                let error = await ioError("connect to a closed port") {
                    _ = try await Socket.connect(to: .tcp(host: "127.0.0.1", port: port), deadline: soon(), on: loop)
                }
                #expect(error?.kind == .errno(ECONNREFUSED))
                #expect(
                    error?.message == "connect to 127.0.0.1:\(port) failed: Connection refused (errno \(ECONNREFUSED))")
            }
        }

        @Test func pastDeadlineTimesOut() async throws {
            let listener = try TestListener()
            defer { listener.close() }
            try await withLoop { loop in
                let error = await ioError("connect with a past deadline") {
                    _ = try await Socket.connect(
                        to: .tcp(host: "127.0.0.1", port: listener.port), deadline: .now(), on: loop)
                }
                #expect(error?.kind == .timeout)
                #expect(error?.message.contains("127.0.0.1:\(listener.port)") == true)
            }
        }

        @Test func neverAnsweringPeerTimesOutAtTheDeadline() async throws {
            // backlog 0 and never accepting: once the accept queue is full the kernel drops SYNs,
            // so the next connect hangs like one to a black-holed address.
            let listener = try TestListener(backlog: 0)
            defer { listener.close() }
            try await withLoop { loop in
                var held: [Socket] = []
                defer { for socket in held { socket.close() } }
                var timeout: IOError?
                for _ in 0..<4 where timeout == nil {
                    let started = Deadline.now()
                    do throws(IOError) {
                        held.append(
                            try await Socket.connect(
                                to: .tcp(host: "127.0.0.1", port: listener.port), deadline: .now() + .milliseconds(150),
                                on: loop))
                    } catch {
                        timeout = error
                        let waited = Deadline.now().distance(since: started)
                        #expect(waited >= .milliseconds(140) && waited < .seconds(2))
                    }
                }
                #expect(timeout?.kind == .timeout)
                #expect(
                    timeout?.message.contains("connect to 127.0.0.1:\(listener.port) timed out after 150 ms") == true,
                    "\(String(describing: timeout))")
            }
        }

        /// The first address never answers (a full accept queue drops SYNs, like a black-holed
        /// IPv6 route); the second works. The first gets only its share of the timeout.
        @Test func anAddressThatNeverAnswersLeavesTimeForTheNext() async throws {
            let silent = try TestListener(backlog: 0)
            defer { silent.close() }
            let working = try TestListener()
            defer { working.close() }
            try await withLoop { loop in
                // Fill the silent listener's queue until a connect hangs.
                var held: [Socket] = []
                defer { for socket in held { socket.close() } }
                while true {
                    do throws(IOError) {
                        held.append(
                            try await Socket.connect(
                                to: .tcp(host: "127.0.0.1", port: silent.port), deadline: .now() + .milliseconds(150),
                                on: loop))
                    } catch {
                        break
                    }
                }
                let addresses = [
                    SocketAddress(ipLiteral: "127.0.0.1", port: silent.port)!,
                    SocketAddress(ipLiteral: "127.0.0.1", port: working.port)!,
                ]
                let started = Deadline.now()
                let socket = try await Socket.connect(
                    to: .tcp(host: "two-addresses", port: 0), addresses: addresses, deadline: .now() + .seconds(4),
                    on: loop)
                let waited = Deadline.now().distance(since: started)
                socket.close()
                // Half of the 4 s for the first of two addresses, not all of it.
                #expect(waited >= .milliseconds(1500) && waited < .milliseconds(3500), "\(waited)")
            }
        }

        @Test func connectsToAUnixSocketAndNamesAMissingPath() async throws {
            let listener = try TestUnixListener()
            defer { listener.close() }
            try await withLoop { loop in
                let socket = try await Socket.connect(to: .unix(path: listener.path), deadline: soon(), on: loop)
                #expect(socket.peerName == listener.path)
                #expect(fcntl(socket.fd, F_GETFL) & O_NONBLOCK != 0)
                socket.close()

                let missing = listener.path + ".missing"
                let error = await ioError("connect to a missing unix socket") {
                    _ = try await Socket.connect(to: .unix(path: missing), deadline: soon(), on: loop)
                }
                #expect(error?.kind == .errno(ENOENT))
                #expect(error?.message.contains(missing) == true)

                let long = "/tmp/" + String(repeating: "x", count: 200)
                let tooLong = await ioError("connect to an over-long unix path") {
                    _ = try await Socket.connect(to: .unix(path: long), deadline: soon(), on: loop)
                }
                #expect(tooLong?.kind == .errno(ENAMETOOLONG))
            }
        }

        @Test func connectFromATaskPreferringTheLoopNeedsNoHop() async throws {
            let listener = try TestListener()
            defer { listener.close() }
            try await withLoop { loop in
                let port = listener.port
                let onLoop = try await withTaskExecutorPreference(loop.taskExecutor) { () async throws -> Bool in
                    let socket = try await Socket.connect(
                        to: .tcp(host: "127.0.0.1", port: port), deadline: .now() + .seconds(5), on: loop)
                    socket.close()
                    return loop.inEventLoop
                }
                #expect(onLoop)
            }
        }

        @Test func connectOnAShutDownLoopFailsInsteadOfHanging() async throws {
            let loop = try EventLoop(name: "gone")
            loop.shutdown()
            let error = await ioError("connect on a stopped loop") {
                _ = try await Socket.connect(
                    to: .tcp(host: "127.0.0.1", port: 9), deadline: .now() + .seconds(1), on: loop)
            }
            #expect(error?.kind == .closed)
        }

        @Test func noDescriptorLeaksOver200ConnectCycles() async throws {
            let listener = try TestListener()
            let unixListener = try TestUnixListener()
            let (refusedPort, holder) = try closedPort()
            defer {
                listener.close()
                unixListener.close()
                close(holder)
            }
            try await withLoop { loop in
                // Warm up lazily created state (resolver thread, epoll table growth) before counting.
                try await Socket.connect(to: .tcp(host: "localhost", port: listener.port), deadline: soon(), on: loop)
                    .close()
                listener.drain()
                let before = openDescriptorCount()
                var outcomes: [String: Int] = [:]
                for cycle in 0..<200 {
                    let endpoint: SocketEndpoint
                    var deadline = soon()
                    switch cycle % 6 {
                    case 0: endpoint = .tcp(host: "127.0.0.1", port: listener.port)
                    case 1: endpoint = .tcp(host: "127.0.0.1", port: refusedPort)
                    case 2: endpoint = .unix(path: unixListener.path)
                    case 3: endpoint = .unix(path: unixListener.path + ".missing")
                    case 4: endpoint = .tcp(host: "localhost", port: listener.port)
                    default:
                        endpoint = .tcp(host: "127.0.0.1", port: listener.port)
                        deadline = .now()
                    }
                    do throws(IOError) {
                        try await Socket.connect(to: endpoint, deadline: deadline, on: loop).close()
                        outcomes["ok", default: 0] += 1
                    } catch {
                        outcomes["\(error.kind)", default: 0] += 1
                    }
                    listener.drain()
                    unixListener.drain()
                }
                print("connect outcomes: \(outcomes.sorted { $0.key < $1.key })")
                #expect(outcomes["ok"] ?? 0 >= 100)
                let after = openDescriptorCount()
                // Other suites of this process open and close descriptors in parallel, so allow a
                // little noise; a leak on any path would add dozens over 200 cycles.
                #expect(after - before < 10, "descriptors before: \(before), after: \(after)")
                let table = try await loop.submit { (0..<1024).filter { loop.isRegistered(Int32($0)) } }
                #expect(table.isEmpty, "registrations left behind: \(table)")
            }
        }
    }
}

private func intOption(_ fd: Int32, _ level: Int32, _ name: Int32) -> Int32 {
    var value: Int32 = 0
    var size = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, level, name, &value, &size)
    return value
}
