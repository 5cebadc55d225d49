import Glibc
import MySQLWireIO
import Synchronization
import Testing

/// Every IO test runs serially: the descriptor-leak test counts /proc/self/fd, and tests running
/// beside it would open descriptors of their own. Each test is short, so the suite stays fast.
@Suite(.serialized)
struct IOTests {}

struct TestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Fails instead of hanging the whole run when an expected event never comes. (A task group
/// would not do: it waits for every child, and a never-resumed continuation never finishes.)
func withTimeout<T: Sendable>(
    _ limit: Duration = .seconds(5), _ what: String = "operation",
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let slot = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        slot.set(continuation)
        let work = Task {
            do { slot.resume(with: .success(try await body())) } catch { slot.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            slot.resume(with: .failure(TestTimeout(description: "\(what) did not finish within \(limit)")))
            work.cancel()
        }
    }
}

/// Hands a continuation to whichever of two racers comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(with result: Result<T, any Error>) {
        let taken = continuation.withLock { slot -> CheckedContinuation<T, any Error>? in
            defer { slot = nil }
            return slot
        }
        taken?.resume(with: result)
    }
}

/// Polls `condition` until it holds or `limit` passes.
func eventually(
    _ what: String, limit: Duration = .seconds(5), _ condition: () async throws -> Bool
) async throws {
    let deadline = Deadline.now() + limit
    while try await !condition() {
        guard Deadline.now() < deadline else {
            throw TestTimeout(description: "\(what) never happened within \(limit)")
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

extension EventLoop {
    /// Runs `body` on the loop thread and returns its result.
    func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            execute { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Creates a loop for one test and always shuts it down.
func withLoop<T>(_ name: String = "test-loop", _ body: (EventLoop) async throws -> T) async throws -> T {
    let loop = try EventLoop(name: name)
    defer { loop.shutdown() }
    return try await body(loop)
}

/// A value touched only on one loop thread, passed around in @Sendable closures.
// @unchecked Sendable: tests only read/write `value` from the loop thread (or after the loop
// work that wrote it has been awaited, which orders the accesses).
final class LoopBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Number of open descriptors of this process.
func openDescriptorCount() -> Int {
    guard let directory = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while readdir(directory) != nil { count += 1 }
    return count
}

/// A listening TCP socket on loopback with an ephemeral port; accepted connections are closed.
final class TestListener: @unchecked Sendable {
    // @unchecked Sendable: `fd` is immutable after init; accept/close are plain syscalls.
    let fd: Int32
    let port: Int

    init(host: String = "127.0.0.1", backlog: Int32 = 1024) throws {
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw TestTimeout(description: "socket failed: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        var length: socklen_t
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            withUnsafeBytes(of: address) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, host, &address.sin_addr)
            withUnsafeBytes(of: address) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestTimeout(description: "bind/listen on \(host) failed: errno \(code)")
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &actualLength) }
        }
        self.fd = fd
        port = withUnsafeBytes(of: actual) { raw in
            Int(in_port_t(bigEndian: raw.load(fromByteOffset: 2, as: in_port_t.self)))
        }
    }

    /// Accepts and closes whatever is waiting; returns how many.
    @discardableResult
    func drain() -> Int {
        var count = 0
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return count }
            Glibc.close(client)
            count += 1
        }
    }

    func close() {
        drain()
        Glibc.close(fd)
    }
}

/// A listening unix socket at a fresh path under /tmp.
final class TestUnixListener: @unchecked Sendable {
    // @unchecked Sendable: immutable after init.
    let fd: Int32
    let path: String

    init() throws {
        let path = "/tmp/mysqlwire-io-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            Glibc.close(fd)
            throw TestTimeout(description: "unix listener at \(path) failed: errno \(errno)")
        }
        self.fd = fd
        self.path = path
    }

    func drain() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            Glibc.close(client)
        }
    }

    func close() {
        drain()
        Glibc.close(fd)
        unlink(path)
    }
}

/// A loopback port with nothing listening: bound (so no one else takes it meanwhile), not listening.
func closedPort() throws -> (port: Int, holder: Int32) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestTimeout(description: "bind failed: errno \(errno)") }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &actual) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return (Int(in_port_t(bigEndian: actual.sin_port)), fd)
}

func isIPv6LoopbackAvailable() -> Bool {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    inet_pton(AF_INET6, "::1", &address.sin6_addr)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
        }
    }
}

/// The IOError `body` throws, recording an issue if it throws something else or nothing.
func ioError(_ what: String, _ body: () throws -> Void) -> IOError? {
    do {
        try body()
        Issue.record("\(what) succeeded but should have failed")
    } catch let error as IOError {
        return error
    } catch {
        Issue.record("\(what) threw \(error), not an IOError")
    }
    return nil
}

/// Async variant of `ioError`.
func ioError(_ what: String, _ body: () async throws -> Void) async -> IOError? {
    do {
        try await body()
        Issue.record("\(what) succeeded but should have failed")
    } catch let error as IOError {
        return error
    } catch {
        Issue.record("\(what) threw \(error), not an IOError")
    }
    return nil
}
