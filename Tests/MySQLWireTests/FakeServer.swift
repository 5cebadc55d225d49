import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plays the server side of a fixture on a loopback TCP listener, on its own thread, with
/// plain blocking POSIX sockets (deliberately nothing from the library under test).
///
/// - `S` lines: writes a 4-byte header (length, sequence id) and the payload.
/// - `R` lines: writes the bytes as they are.
/// - `C` lines: reads one packet and compares sequence id and payload byte for byte; the first
///   mismatch is recorded with a hex diff and the connection is dropped.
/// - At the end: `# end: close` shuts the socket down (after letting the client's last bytes
///   drain); `# end: hold` keeps it open and expects the client to close it, sending nothing more.
///
/// Every wait is bounded (`ioTimeout`), so a client that stalls fails the test instead of hanging it.
final class FakeServer: Sendable {
    let fixture: FixtureFile
    let port: Int
    let ioTimeout: Duration
    /// How long to wait for the client to connect (the test's tasks may start late on a busy
    /// machine; a client that never comes is noticed by `finish` at once).
    let acceptTimeout: Duration
    private let listenFD: Int32
    private let state = Mutex(State())

    private struct State {
        var failures: [String] = []
        var notes: [String] = []
        var finished = false
        /// Set by `finish` when the test is done: stop waiting for a client.
        var abandoned = false
        var connectionFD: Int32 = -1
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    init(fixture: FixtureFile, ioTimeout: Duration = .seconds(10), acceptTimeout: Duration = .seconds(30)) throws {
        self.fixture = fixture
        self.ioTimeout = ioTimeout
        self.acceptTimeout = acceptTimeout
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError(description: "socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            throw SetupError(description: "bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listenFD = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts playing the script on a new thread; returns at once.
    func start() {
        let thread = Thread { [self] in
            play()
        }
        thread.name = "FakeServer \(fixture.name)"
        thread.start()
    }

    /// Waits (bounded) until the script has been played and the socket closed, and returns
    /// the failures (empty when the client behaved exactly as recorded).
    func finish(within limit: Duration = .seconds(10)) async -> [String] {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            let done = state.withLock { state -> Bool in
                // A client that has not connected by now never will.
                if state.connectionFD < 0 { state.abandoned = true }
                return state.finished
            }
            if done { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return state.withLock { state in
            if !state.finished {
                state.failures.append("the fake server did not finish within \(limit)")
                if state.connectionFD >= 0 { shutdown(state.connectionFD, Int32(SHUT_RDWR)) }
            }
            return state.failures
        }
    }

    /// Informational lines (bytes the client sent after the script when the server closed).
    var notes: [String] { state.withLock { $0.notes } }

    // MARK: The server thread

    private func fail(_ message: String) {
        state.withLock { $0.failures.append(message) }
    }

    private func play() {
        defer {
            close(listenFD)
            state.withLock { $0.finished = true }
        }
        guard let fd = acceptClient() else { return }
        state.withLock { $0.connectionFD = fd }
        defer {
            state.withLock { $0.connectionFD = -1 }
            close(fd)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(
            tv_sec: Int(ioTimeout.components.seconds),
            tv_usec: Int(ioTimeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        for packet in fixture.packets {
            switch packet.direction {
            case .server:
                let length = packet.payload.count
                var frame: [UInt8] = [
                    UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
                    UInt8(truncatingIfNeeded: length >> 16), packet.sequenceID,
                ]
                frame.reserveCapacity(4 + length)
                frame.append(contentsOf: packet.payload)
                guard writeAll(fd, frame, packet) else { return }
            case .rawServer:
                guard writeAll(fd, packet.payload, packet) else { return }
            case .client:
                guard expectClientPacket(fd, packet) else {
                    shutdown(fd, Int32(SHUT_RDWR))
                    return
                }
            }
        }
        switch fixture.end {
        case .close:
            // FIN first, then let the client's last bytes (a COM_QUIT in flight) drain, so the
            // close is a clean EOF and never a reset that could discard data in flight.
            shutdown(fd, Int32(SHUT_WR))
            let rest = drain(fd)
            if !rest.bytes.isEmpty {
                state.withLock {
                    $0.notes.append(
                        "after the script the client sent \(rest.bytes.count) bytes: \(FixtureHex.string(rest.bytes.prefix(32)))"
                    )
                }
            }
            if !rest.sawEOF {
                fail(
                    "the server closed the connection after the last line (end: close) but the client did not close its socket within \(ioTimeout)"
                )
            }
        case .hold:
            let rest = drain(fd)
            if !rest.bytes.isEmpty {
                fail(
                    "after the last line (the server holds the connection) the client sent \(rest.bytes.count) more bytes: \(FixtureHex.string(rest.bytes.prefix(32)))"
                )
            }
            if !rest.sawEOF {
                fail("the client did not close the connection within \(ioTimeout) after the last line (end: hold)")
            }
        }
    }

    /// Waits (bounded, retrying after signals) for the one client and accepts it.
    private func acceptClient() -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + acceptTimeout
        while true {
            if state.withLock({ $0.abandoned }) {
                fail("the client never connected")
                return nil
            }
            guard clock.now < deadline else {
                fail("no client connected within \(acceptTimeout)")
                return nil
            }
            var pollListen = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollListen, 1, 50)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            guard ready == 1 else {
                fail("poll() on the listener failed: errno \(errno)")
                return nil
            }
            let fd = accept(listenFD, nil, nil)
            if fd < 0 && (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) { continue }
            guard fd >= 0 else {
                fail("accept() failed: errno \(errno)")
                return nil
            }
            return fd
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ packet: FixtureFile.Packet) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                fail(
                    "line \(packet.line) (\(packet.label) \(packet.comment)): writing failed with errno \(errno); the client closed the connection before the script ended"
                )
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads exactly `count` bytes; nil on EOF, timeout or error (with `why` set).
    private func readExactly(_ fd: Int32, _ count: Int, why: inout String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress! + offset, count - offset, 0)
            }
            if n == 0 {
                why =
                    offset == 0
                    ? "the client closed the connection"
                    : "the client closed the connection after \(offset) of \(count) bytes"
                return nil
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    why = "the client sent nothing more within \(ioTimeout) (\(offset) of \(count) bytes arrived)"
                } else {
                    why = "recv() failed with errno \(errno)"
                }
                return nil
            }
            offset += n
        }
        return buffer
    }

    private func expectClientPacket(_ fd: Int32, _ expected: FixtureFile.Packet) -> Bool {
        let place = "line \(expected.line) (\(expected.label), \(expected.comment))"
        var why = ""
        guard let header = readExactly(fd, 4, why: &why) else {
            fail("\(place): expected a client packet but \(why)")
            return false
        }
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        guard let payload = readExactly(fd, length, why: &why) else {
            fail("\(place): reading a \(length)-byte payload: \(why)")
            return false
        }
        var problems: [String] = []
        if header[3] != expected.sequenceID {
            problems.append("sequence id \(header[3]), expected \(expected.sequenceID)")
        }
        if let diff = FixtureHex.firstDifference(expected: expected.payload, actual: payload) {
            problems.append(diff)
        }
        if problems.isEmpty { return true }
        fail("\(place): the client's packet differs from the recording: " + problems.joined(separator: "; "))
        return false
    }

    /// Reads until EOF or until nothing arrives for `ioTimeout`.
    private func drain(_ fd: Int32) -> (bytes: [UInt8], sawEOF: Bool) {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (collected, true) }
            if n < 0 {
                if errno == EINTR { continue }
                // ECONNRESET counts as the client having closed.
                return (collected, errno == ECONNRESET)
            }
            collected.append(contentsOf: buffer[0..<n])
        }
    }
}
