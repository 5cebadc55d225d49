import Glibc

/// A resolved address ready for connect(): the sockaddr bytes plus their length. A value type so
/// it can cross from the resolver thread to the loop.
struct SocketAddress: Sendable, CustomStringConvertible {
    private(set) var storage = sockaddr_storage()
    private(set) var length: socklen_t = 0

    var family: Int32 { Int32(storage.ss_family) }

    /// An IPv4 or IPv6 literal ("127.0.0.1", "::1", "[::1]"), no name lookup and so no thread hop.
    init?(ipLiteral host: String, port: Int) {
        var literal = Substring(host)
        if literal.hasPrefix("[") && literal.hasSuffix("]") {
            literal = literal.dropFirst().dropLast()
        }
        let text = String(literal)
        let networkPort = in_port_t(truncatingIfNeeded: port).bigEndian
        // inet_pton writes at most sizeof(in_addr)/sizeof(in6_addr) into the matching field.
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, text, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = networkPort
            self.init(copying: v4)
            return
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, text, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = networkPort
            self.init(copying: v6)
            return
        }
        return nil
    }

    /// nil if the path does not fit sun_path (107 bytes plus NUL).
    init?(unixPath path: String) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            // bytes.count < capacity checked above, so the copy and the NUL after it fit.
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        self.init(copying: address)
        length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + 1)
    }

    /// From getaddrinfo's result; `length` bytes at `address` are a valid sockaddr.
    init(copying address: UnsafePointer<sockaddr>, length: socklen_t) {
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { raw in
            // `count` is clamped to both the source length and sockaddr_storage's size.
            raw.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count))
        }
        self.length = socklen_t(count)
    }

    private init<Address>(copying address: Address) {
        withUnsafeBytes(of: address) { source in
            withUnsafeMutableBytes(of: &storage) { target in
                // Every sockaddr_* is no larger than sockaddr_storage, by definition of the latter.
                target.copyMemory(from: source)
            }
        }
        length = socklen_t(MemoryLayout<Address>.size)
    }

    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: storage) { raw in
            // sockaddr_storage is laid out to be viewed as any sockaddr; valid for the closure only.
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }

    /// "127.0.0.1:3306", "[::1]:3306" or the unix path.
    var description: String {
        withUnsafeBytes(of: storage) { raw -> String in
            // Each branch reads the sockaddr type that `family` says the bytes hold.
            switch family {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self)
                return "\(Self.presentation(AF_INET, address.sin_addr)):\(in_port_t(bigEndian: address.sin_port))"
            case AF_INET6:
                let address = raw.load(as: sockaddr_in6.self)
                return "[\(Self.presentation(AF_INET6, address.sin6_addr))]:\(in_port_t(bigEndian: address.sin6_port))"
            case AF_UNIX:
                let address = raw.load(as: sockaddr_un.self)
                return withUnsafeBytes(of: address.sun_path) { path in
                    String(decoding: path.prefix { $0 != 0 }, as: UTF8.self)
                }
            default:
                return "address family \(family)"
            }
        }
    }

    /// `address` is an in_addr or in6_addr (plain C structs) matching `family`.
    private static func presentation<Address>(_ family: Int32, _ address: Address) -> String {
        withUnsafeBytes(of: address) { source in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN)) { buffer in
                // INET6_ADDRSTRLEN fits any IPv4/IPv6 text form; inet_ntop NUL-terminates on success.
                guard inet_ntop(family, source.baseAddress, buffer.baseAddress, socklen_t(buffer.count)) != nil
                else { return "?" }
                return String(cString: buffer.baseAddress!)
            }
        }
    }
}
