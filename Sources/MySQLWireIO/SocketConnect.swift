import Glibc

extension Socket {
    /// Resolves names without blocking any event loop (getaddrinfo on its own thread; IP literals
    /// skip it), then connects without blocking to each resolved address in turn, waiting for
    /// writability on `loop` (SO_ERROR check), until one succeeds or `deadline` passes
    /// (-> IOError.timeout naming host:port and the limit). TCP sockets get TCP_NODELAY (requests
    /// are small and latency-bound) and SO_KEEPALIVE. No descriptor leaks on any failure path.
    /// Returns a socket NOT registered with the loop (the caller registers it).
    public static func connect(
        to endpoint: SocketEndpoint, deadline: Deadline, on loop: EventLoop
    ) async throws(IOError) -> Socket {
        try await connect(to: endpoint, addresses: nil, deadline: deadline, on: loop)
    }

    /// `connect` with the addresses given instead of resolved (tests).
    static func connect(
        to endpoint: SocketEndpoint, addresses: [SocketAddress]?, deadline: Deadline, on loop: EventLoop
    ) async throws(IOError) -> Socket {
        let started = Deadline.now()
        guard started < deadline else {
            throw IOError(.timeout, "connect to \(endpoint) timed out after 0 ms (the deadline had already passed)")
        }
        // Unsafe (unchecked) continuation: resumed exactly once, either by ConnectOperation.finish
        // (which nils it out first) or below when the loop refuses the task (then start never runs).
        let result: Result<Socket, IOError> = await withUnsafeContinuation { continuation in
            let operation = ConnectOperation(
                endpoint: endpoint, presetAddresses: addresses, deadline: deadline, started: started, loop: loop,
                continuation: continuation)
            if loop.inEventLoop {
                operation.start()  // already home: no hop
            } else if !loop.tryExecute({ operation.start() }) {
                continuation.resume(
                    returning: .failure(
                        IOError(.closed, "connect to \(endpoint): event loop '\(loop.name)' is shut down")))
            }
        }
        return try result.get()
    }
}

/// One connect attempt sequence, driven by readiness events and timers on the loop.
// @unchecked Sendable: built on the caller's thread, then (after the hop in `connect`) every
// field is read and written only on `loop`'s thread; the resolver thread only posts back to it.
private final class ConnectOperation: IOEventHandler, @unchecked Sendable {
    private let endpoint: SocketEndpoint
    private let deadline: Deadline
    private let started: Deadline
    private let loop: EventLoop
    private var continuation: UnsafeContinuation<Result<Socket, IOError>, Never>?

    private var addresses: [SocketAddress] = []
    private var nextIndex = 0
    private var current: (fd: Int32, address: SocketAddress)?
    private var failures: [(address: SocketAddress, error: IOError)] = []
    private var resolving = false
    private var deadlineTimer: TimerID?
    private var retryTimer: TimerID?
    /// Bounds the attempt in flight when more addresses are left, so one address that drops
    /// SYNs (an unreachable IPv6 route, say) cannot use up the whole connect timeout.
    private var attemptTimer: TimerID?
    private let presetAddresses: [SocketAddress]?

    init(
        endpoint: SocketEndpoint, presetAddresses: [SocketAddress]? = nil, deadline: Deadline, started: Deadline,
        loop: EventLoop, continuation: UnsafeContinuation<Result<Socket, IOError>, Never>
    ) {
        self.presetAddresses = presetAddresses
        self.endpoint = endpoint
        self.deadline = deadline
        self.started = started
        self.loop = loop
        self.continuation = continuation
    }

    func start() {
        deadlineTimer = loop.scheduleTimer(at: deadline) { [self] in timedOut() }
        if let presetAddresses {
            addresses = presetAddresses
            return attemptNext()
        }
        switch endpoint {
        case .unix(let path):
            guard let address = SocketAddress(unixPath: path) else {
                let reason = path.isEmpty ? "the path is empty" : "the path is longer than 107 bytes"
                return finish(
                    .failure(IOError(.errno(ENAMETOOLONG), "connect to unix socket \(path) failed: \(reason)")))
            }
            addresses = [address]
            attemptNext()
        case .tcp(let host, let port):
            guard (0...65535).contains(port) else {
                return finish(
                    .failure(IOError(.resolution, "connect to \(endpoint) failed: port \(port) is out of range")))
            }
            if let address = SocketAddress(ipLiteral: host, port: port) {
                addresses = [address]
                attemptNext()
            } else {
                resolving = true
                let loop = self.loop
                Resolver.resolveInBackground(host: host, port: port) { [self] result in
                    if !loop.tryExecute({ self.resolved(result) }) {
                        // The loop shut down meanwhile and runs nothing any more: this thread is
                        // the only one left to answer the caller.
                        self.answerAfterLoopStopped()
                    }
                }
            }
        }
    }

    private func answerAfterLoopStopped() {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(
            returning: .failure(
                IOError(.closed, "connect to \(endpoint): event loop '\(loop.name)' shut down during name resolution")))
    }

    /// The loop shuts down while a connect attempt is registered: close it and answer.
    func ioLoopClosing() {
        finish(.failure(IOError(.closed, "connect to \(endpoint): event loop '\(loop.name)' shut down")))
    }

    private func resolved(_ result: Result<[SocketAddress], IOError>) {
        resolving = false
        guard continuation != nil else { return }  // timed out while resolving
        switch result {
        case .success(let resolved):
            addresses = resolved
            attemptNext()
        case .failure(let error):
            finish(.failure(error))
        }
    }

    /// Tries addresses from `nextIndex` until one connects, one is in progress, or none are left.
    private func attemptNext() {
        while nextIndex < addresses.count {
            let address = addresses[nextIndex]
            nextIndex += 1
            switch startConnect(address) {
            case .connected(let fd):
                return finish(.success(Socket(takingOwnershipOf: fd, peerName: peerName(address))))
            case .inProgress(let fd):
                do {
                    try loop.register(fd, interest: .writable, handler: self)
                    current = (fd, address)
                    armAttemptTimer()
                    return
                } catch {
                    Glibc.close(fd)
                    failures.append((address, error))
                }
            case .busy:
                // A unix socket whose accept backlog is full: connect() cannot wait for it, so
                // poll again shortly (the deadline timer still bounds the whole attempt).
                nextIndex -= 1
                retryTimer = loop.scheduleTimer(in: .milliseconds(2)) { [self] in
                    retryTimer = nil
                    attemptNext()
                }
                return
            case .failed(let error):
                failures.append((address, error))
            }
        }
        finish(.failure(failureError()))
    }

    /// With more addresses after this one, the attempt gets an equal share of the time left
    /// (at least 250 ms, as Happy Eyeballs staggers); the last one gets all of it.
    private func armAttemptTimer() {
        let left = addresses.count - nextIndex
        guard left > 0 else { return }
        let now = Deadline.now().uptimeNanoseconds
        guard deadline.uptimeNanoseconds > now else { return }
        let share = max((deadline.uptimeNanoseconds - now) / UInt64(left + 1), 250_000_000)
        attemptTimer = loop.scheduleTimer(at: Deadline(uptimeNanoseconds: now + share)) { [self] in
            attemptTimer = nil
            guard let (fd, address) = current else { return }
            current = nil
            loop.deregister(fd)
            Glibc.close(fd)
            let waited = Duration.nanoseconds(Int64(share)).humanReadable
            failures.append((address, IOError(.timeout, "connect to \(address) got no answer within \(waited)")))
            attemptNext()
        }
    }

    private enum Attempt {
        case connected(Int32)
        case inProgress(Int32)
        case busy
        case failed(IOError)
    }

    private func startConnect(_ address: SocketAddress) -> Attempt {
        let fd = socket(address.family, socketType, 0)
        guard fd >= 0 else { return .failed(IOError.lastErrno("socket() failed")) }
        if address.family != AF_UNIX {
            var on: Int32 = 1
            let size = socklen_t(MemoryLayout<Int32>.size)
            // `on` is a live local Int32 and `size` its size; setsockopt only reads it.
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size)
            _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size)
        }
        // withSockAddr passes a pointer/length pair valid for the duration of the call.
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return .connected(fd) }
        let code = errno
        switch code {
        case EINPROGRESS, EINTR:
            // EINTR: the connect continues asynchronously, exactly like EINPROGRESS.
            return .inProgress(fd)
        case EAGAIN where address.family == AF_UNIX:
            Glibc.close(fd)
            return .busy
        default:
            Glibc.close(fd)
            return .failed(IOError.errno(code, "connect to \(address) failed"))
        }
    }

    func ioWritable() { connectCompleted() }
    func ioReadable() { connectCompleted() }  // not registered for it; harmless if it happens

    private func connectCompleted() {
        guard let (fd, address) = current else { return }
        current = nil
        if let attemptTimer { loop.cancelTimer(attemptTimer) }
        attemptTimer = nil
        loop.deregister(fd)
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        // `code` is a live local Int32 and `size` its size; the kernel writes at most that much.
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) != 0 { code = errno }
        if code == 0 {
            return finish(.success(Socket(takingOwnershipOf: fd, peerName: peerName(address))))
        }
        Glibc.close(fd)
        failures.append((address, IOError.errno(code, "connect to \(address) failed")))
        attemptNext()
    }

    private func timedOut() {
        deadlineTimer = nil
        let limit = deadline.distance(since: started).humanReadable
        let what = resolving ? "resolving the host for connect to \(endpoint)" : "connect to \(endpoint)"
        finish(.failure(IOError(.timeout, "\(what) timed out after \(limit)")))
    }

    /// Exactly once: cancels timers, closes any descriptor still in flight, resumes the caller.
    private func finish(_ result: Result<Socket, IOError>) {
        guard let continuation else {
            if case .success(let socket) = result { socket.close() }
            return
        }
        self.continuation = nil
        if let deadlineTimer { loop.cancelTimer(deadlineTimer) }
        if let retryTimer { loop.cancelTimer(retryTimer) }
        if let attemptTimer { loop.cancelTimer(attemptTimer) }
        deadlineTimer = nil
        retryTimer = nil
        attemptTimer = nil
        if let (fd, _) = current {
            loop.deregister(fd)
            Glibc.close(fd)
            current = nil
        }
        continuation.resume(returning: result)
    }

    /// The errno kind of the last failure; the message lists every address tried when there were
    /// several ("localhost" -> [::1] then 127.0.0.1), since the first failure is often the clue.
    private func failureError() -> IOError {
        guard let last = failures.last else {
            return IOError(.resolution, "connect to \(endpoint) failed: no addresses to try")
        }
        let target = endpoint.description
        if failures.count == 1 {
            let reason = Self.reason(last.error.message, address: last.address)
            let via = last.address.description == endpointAddressText ? "" : " (\(last.address))"
            return IOError(last.error.kind, "connect to \(target)\(via) failed: \(reason)")
        }
        let list = failures.map { "\($0.address): \(Self.reason($0.error.message, address: $0.address))" }
        return IOError(last.error.kind, "connect to \(target) failed: " + list.joined(separator: "; "))
    }

    /// How the endpoint itself prints an address, to avoid "127.0.0.1:3306 (127.0.0.1:3306)".
    private var endpointAddressText: String {
        switch endpoint {
        case .tcp(let host, let port):
            return host.contains(":") ? "[\(host.trimmingBrackets)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return path
        }
    }

    /// Strips the "connect to X failed: " prefix of a per-address error, keeping the errno text.
    private static func reason(_ message: String, address: SocketAddress) -> String {
        let prefix = "connect to \(address) failed: "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }

    private func peerName(_ address: SocketAddress) -> String {
        switch endpoint {
        case .unix(let path): return path
        case .tcp: return address.description == endpointAddressText ? address.description : "\(endpoint) (\(address))"
        }
    }
}

extension String {
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
