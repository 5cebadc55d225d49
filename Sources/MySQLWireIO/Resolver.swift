import Glibc

/// Host name resolution off the event loops. getaddrinfo blocks (DNS, /etc/hosts, NSS modules)
/// for up to its resolver timeout and cannot be cancelled, so each lookup gets its own short-lived
/// detached thread: connects are rare (pools keep connections), and a stuck lookup then delays
/// only the connect that asked for it, which gives up at its deadline anyway.
enum Resolver {
    /// Calls `completion` on the resolver thread with every TCP address of `host`, in the order
    /// getaddrinfo returns them (RFC 6724: usually IPv6 first when configured).
    static func resolveInBackground(
        host: String, port: Int, _ completion: @escaping @Sendable (Result<[SocketAddress], IOError>) -> Void
    ) {
        do {
            _ = try spawnThread(name: "mysqlwire-dns", detached: true) {
                completion(resolve(host: host, port: port))
            }
        } catch {
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
