import Glibc
import Synchronization

/// Where to connect.
public enum SocketEndpoint: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// "db.example:3306", "[::1]:3306", "unix socket /run/mysqld/mysqld.sock".
    public var description: String {
        switch self {
        case .tcp(let host, let port):
            return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return "unix socket \(path)"
        }
    }
}

/// A nonblocking, close-on-exec socket descriptor. Owned by one loop; methods that do IO are
/// called on that loop's thread only. It knows nothing about the loop: registering for readiness
/// is the owner's job, so a connection can drive read/write however its state machine needs.
// @unchecked Sendable: the descriptor is an atomic (close is exactly-once from any thread, incl.
// deinit; with TLS on the loop thread); read/write are documented loop-thread-only and keep no
// other mutable state.
public final class Socket: @unchecked Sendable, CustomStringConvertible {
    private let descriptor: Atomic<Int32>
    /// The peer as given to connect ("127.0.0.1:3306", a unix path); used in error messages.
    public let peerName: String

    /// Takes ownership of `fd`, which must be a nonblocking socket; it is closed by `close()`.
    public init(takingOwnershipOf fd: Int32, peerName: String? = nil) {
        descriptor = Atomic(fd)
        self.peerName = peerName ?? "fd \(fd)"
    }

    deinit {
        close()
    }

    /// Set by `startTLS`: from then on reads and writes go through it. Loop thread only.
    private var tls: TLSSession?

    /// Starts a TLS client session on this socket; drive it with `continueTLSHandshake()`.
    /// Loop thread.
    public func startTLS(context: TLSContext) throws(IOError) {
        tls = try TLSSession(context: context, fd: try openFD("start TLS"))
    }

    public enum TLSHandshakeProgress: Sendable {
        case done
        case wantsReadable
        case wantsWritable
    }

    /// One step of the TLS handshake. Loop thread.
    public func continueTLSHandshake() throws(IOError) -> TLSHandshakeProgress {
        guard let tls else { throw IOError(.tls, "TLS handshake on \(peerName) without startTLS") }
        _ = try openFD("TLS handshake")
        switch try tls.handshake(peer: peerName) {
        case .done: return .done
        case .wantsReadable: return .wantsReadable
        case .wantsWritable: return .wantsWritable
        }
    }

    /// "TLSv1.3 TLS_AES_256_GCM_SHA384" once TLS is up; nil on a plain socket.
    public var tlsDescription: String? { tls.map { $0.handshakeDone ? $0.protocolAndCipher : "handshaking" } }

    /// Whether the last TLS read needs the socket writable, or the last TLS write needs it
    /// readable, before it can go on (renegotiation, key updates).
    public var tlsReadWantsWritable: Bool { tls?.wantsWritableToRead ?? false }
    public var tlsWriteWantsReadable: Bool { tls?.wantsReadableToWrite ?? false }
    /// Decrypted bytes wait inside OpenSSL: read again even if the descriptor is not readable.
    public var hasBufferedBytes: Bool { tls?.hasPendingBytes ?? false }

    /// The descriptor; -1 after close.
    public var fd: Int32 { descriptor.load(ordering: .relaxed) }
    public var isClosed: Bool { fd < 0 }
    public var description: String { "Socket(\(peerName), fd \(fd))" }

    public enum ReadResult: Equatable, Sendable {
        case bytes(Int)
        case wouldBlock
        case eof
    }

    /// Loop thread. Reads once. Returns .bytes(n) with n > 0, .wouldBlock (EAGAIN), or .eof
    /// (0 bytes). EINTR retried. ECONNRESET and other errors throw IOError.errno.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> ReadResult {
        precondition(buffer.count > 0, "read into an empty buffer cannot tell EOF from no data")
        let fd = try openFD("read")
        if let tls { return try tls.read(into: buffer, peer: peerName) }
        while true {
            // The kernel writes at most buffer.count bytes into memory the caller owns for the call.
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .eof }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: throw IOError.errno(code, "read from \(peerName) failed")
            }
        }
    }

    /// Loop thread. Writes as much as the kernel takes (EINTR retried; MSG_NOSIGNAL, so no
    /// SIGPIPE). Returns the number of bytes written (0 on EAGAIN). EPIPE/ECONNRESET throw.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int {
        guard bytes.count > 0 else { return 0 }
        let fd = try openFD("write")
        if let tls { return try tls.write(bytes, peer: peerName) }
        while true {
            // The kernel reads at most bytes.count bytes from memory the caller owns for the call.
            let count = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            case let code: throw IOError.errno(code, "write to \(peerName) failed")
            }
        }
    }

    /// Loop thread. Gathering write (sendmsg): several queued buffers in one syscall without
    /// copying them together. Same contract as `write(_:)`; at most IOV_MAX (1024) vectors.
    public func write(vectors: UnsafeMutableBufferPointer<iovec>) throws(IOError) -> Int {
        guard vectors.count > 0 else { return 0 }
        let fd = try openFD("write")
        precondition(tls == nil, "vectored writes bypass TLS; write the buffers one by one")
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = min(vectors.count, 1024)
        while true {
            // msg_iov points at the caller's iovecs, whose buffers it keeps alive for the call.
            let count = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            case let code: throw IOError.errno(code, "write to \(peerName) failed")
            }
        }
    }

    /// Half-close: tells the peer we will send no more (FIN), reading still works.
    public func shutdownWrite() throws(IOError) {
        let fd = try openFD("shutdown")
        guard Glibc.shutdown(fd, Int32(SHUT_WR)) == 0 else {
            throw IOError.lastErrno("shutdown of \(peerName) failed")
        }
    }

    /// Idempotent: closes the fd exactly once, from any thread for a plain socket. With TLS, call
    /// it where the socket is used (the loop thread): the close_notify goes through the same
    /// OpenSSL session as reads and writes. Deregistering from the loop first is the caller's
    /// job (a closed fd silently leaves the epoll set, but the loop's handler table would still
    /// hold the handler).
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0 else { return }
        // Only the caller that won the exchange sends close_notify (best effort), while the fd
        // is still open.
        tls?.shutdown()
        // EINTR on close still releases the fd on Linux; retrying could close a reused number.
        _ = Glibc.close(fd)
    }

    /// For tests: a connected AF_UNIX socketpair, both nonblocking and close-on-exec.
    public static func pair() throws(IOError) -> (Socket, Socket) {
        var fds: (Int32, Int32) = (-1, -1)
        let rc = withUnsafeMutableBytes(of: &fds) { raw in
            // A tuple of two Int32 is laid out as int[2], which is what socketpair fills.
            socketpair(AF_UNIX, socketType, 0, raw.baseAddress!.assumingMemoryBound(to: Int32.self))
        }
        guard rc == 0 else { throw IOError.lastErrno("socketpair failed") }
        return (
            Socket(takingOwnershipOf: fds.0, peerName: "socketpair fd \(fds.1)"),
            Socket(takingOwnershipOf: fds.1, peerName: "socketpair fd \(fds.0)")
        )
    }

    @inline(__always)
    private func openFD(_ operation: String) throws(IOError) -> Int32 {
        let fd = self.fd
        guard fd >= 0 else { throw IOError(.closed, "\(operation) on closed socket to \(peerName)") }
        return fd
    }
}

/// SOCK_STREAM, nonblocking and close-on-exec set atomically at creation (no fcntl window in
/// which a concurrent fork+exec could inherit the descriptor).
let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
