import DequeModule
import Glibc
import Synchronization

/// Host name resolution off the event loops. getaddrinfo blocks (DNS, /etc/hosts, NSS modules)
/// for up to its resolver timeout and cannot be cancelled, so lookups run on short-lived
/// detached threads, up to `maximumThreads` at once: a stuck lookup delays only the connect
/// that asked for it (which gives up at its deadline anyway), and a reconnect storm against a
/// slow DNS server queues its lookups instead of starting a thread for each.
enum Resolver {
    static let maximumThreads = 8

    struct Lookup: Sendable {
        let host: String
        let port: Int
        let completion: @Sendable (Result<[SocketAddress], IOError>) -> Void

        func run() { completion(resolve(host: host, port: port)) }
    }

    struct State {
        var running = 0
        var waiting = Deque<Lookup>()
        /// The most threads that ran at once (for tests).
        var peakRunning = 0
    }

    static let state = Mutex(State())

    /// Calls `completion` on a resolver thread with every TCP address of `host`, in the order
    /// getaddrinfo returns them (RFC 6724: usually IPv6 first when configured).
    static func resolveInBackground(
        host: String, port: Int, _ completion: @escaping @Sendable (Result<[SocketAddress], IOError>) -> Void
    ) {
        let lookup = Lookup(host: host, port: port, completion: completion)
        let startsThread = state.withLock { state -> Bool in
            guard state.running < maximumThreads else {
                state.waiting.append(lookup)
                return false
            }
            state.running += 1
            state.peakRunning = max(state.peakRunning, state.running)
            return true
        }
        guard startsThread else { return }
        do {
            _ = try spawnThread(name: "mysqlwire-dns", detached: true) {
                var next: Lookup? = lookup
                while let current = next {
                    current.run()
                    // Take the next lookup in line, or leave (one thread fewer).
                    next = state.withLock { state -> Lookup? in
                        if let queued = state.waiting.popFirst() { return queued }
                        state.running -= 1
                        return nil
                    }
                }
            }
        } catch {
            state.withLock { $0.running -= 1 }
            completion(.failure(error))
        }
    }

    /// Blocking lookup; never call on an event loop.
    static func resolve(host: String, port: Int) -> Result<[SocketAddress], IOError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        // `hints` is only read during the call; `list` receives a heap list we free below.
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            let reason = rc == EAI_SYSTEM ? errnoDescription(errno) : String(cString: gai_strerror(rc))
            return .failure(IOError(.resolution, "could not resolve host '\(host)': \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let info = entry {
            // getaddrinfo's list stays valid until freeaddrinfo (deferred above); copied out here.
            if let address = info.pointee.ai_addr {
                let resolved = SocketAddress(copying: address, length: info.pointee.ai_addrlen)
                if !addresses.contains(where: { $0.description == resolved.description }) {
                    addresses.append(resolved)
                }
            }
            entry = info.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(IOError(.resolution, "could not resolve host '\(host)': no addresses"))
        }
        return .success(addresses)
    }
}
