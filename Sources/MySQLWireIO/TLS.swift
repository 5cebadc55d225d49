import CMySQLWireOpenSSL
import Glibc

/// How a TLS client checks the server it talks to.
public struct TLSClientConfiguration: Sendable, Hashable {
    public enum Verification: Sendable, Hashable {
        /// Encrypt, trust any certificate (the mysql clients' PREFERRED and REQUIRED).
        case none
        /// The certificate must chain to a trusted CA.
        case certificateAuthority
        /// As `certificateAuthority`, and its names (SANs, or the CN without SANs) must match
        /// `expectedName` — a DNS name or an IP address literal.
        case identity(expectedName: String)
    }

    public var verification: Verification
    /// PEM file of trusted CA certificates; with `caDirectory` nil too, the system store is used.
    public var caFile: String?
    /// A directory of hashed CA certificates (`openssl rehash`).
    public var caDirectory: String?
    /// Client certificate (PEM, may hold a chain) and its private key, for servers that ask.
    public var certificateFile: String?
    public var keyFile: String?
    /// Sent as SNI when it is a DNS name (never for IP literals).
    public var serverName: String?

    public init(
        verification: Verification, caFile: String? = nil, caDirectory: String? = nil,
        certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil
    ) {
        self.verification = verification
        self.caFile = caFile
        self.caDirectory = caDirectory
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }
}

/// An OpenSSL client context (SSL_CTX) built from a configuration: TLS 1.2 or newer, partial
/// writes allowed, trust anchors and client certificate loaded once.
// @unchecked Sendable: the SSL_CTX is configured in init only, then shared read-only (OpenSSL allows that across threads).
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    public let configuration: TLSClientConfiguration

    public init(_ configuration: TLSClientConfiguration) throws(IOError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw IOError(.tls, "cannot create an OpenSSL context: \(TLSContext.drainErrors())")
        }
        self.context = context
        self.configuration = configuration
        guard cmysqlwire_SSL_CTX_set_min_proto_version(context, cmysqlwire_TLS1_2_VERSION()) == 1 else {
            throw IOError(.tls, "cannot require TLS 1.2 or newer: \(TLSContext.drainErrors())")
        }
        _ = cmysqlwire_SSL_CTX_set_mode(
            context,
            cmysqlwire_SSL_MODE_ENABLE_PARTIAL_WRITE() | cmysqlwire_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER())
        if configuration.verification != .none {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            if configuration.caFile != nil || configuration.caDirectory != nil {
                guard SSL_CTX_load_verify_locations(context, configuration.caFile, configuration.caDirectory) == 1
                else {
                    let what = [configuration.caFile, configuration.caDirectory].compactMap { $0 }.joined(
                        separator: ", ")
                    throw IOError(.tls, "cannot load the CA certificates from \(what): \(TLSContext.drainErrors())")
                }
            } else if SSL_CTX_set_default_verify_paths(context) != 1 {
                throw IOError(.tls, "cannot load the system's CA certificates: \(TLSContext.drainErrors())")
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        if let certificate = configuration.certificateFile {
            // An encrypted key would make OpenSSL ask for its passphrase on the terminal, on the
            // loop thread, forever; without a passphrase callback result the load fails instead.
            SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
            guard SSL_CTX_use_certificate_chain_file(context, certificate) == 1 else {
                throw IOError(.tls, "cannot load the client certificate \(certificate): \(TLSContext.drainErrors())")
            }
            let key = configuration.keyFile ?? certificate
            guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
                throw IOError(
                    .tls,
                    "cannot load the client key \(key) (a passphrase-protected key is not supported; decrypt it with `openssl pkey`): \(TLSContext.drainErrors())"
                )
            }
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw IOError(.tls, "the client key \(key) does not match the certificate \(certificate)")
            }
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// OpenSSL's queued errors as one line (and the queue emptied, so they do not leak into
    /// the next call on this thread).
    static func drainErrors() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.isEmpty ? "no detail from OpenSSL" : parts.joined(separator: "; ")
    }
}

/// One TLS client connection over a nonblocking socket descriptor (SSL_set_fd). Loop thread only.
final class TLSSession {
    let ssl: OpaquePointer
    let context: TLSContext
    private(set) var handshakeDone = false
    /// The last read or write stopped because OpenSSL needs the socket readable / writable.
    var wantsWritableToRead = false
    var wantsReadableToWrite = false

    init(context: TLSContext, fd: Int32) throws(IOError) {
        guard let ssl = SSL_new(context.context) else {
            throw IOError(.tls, "cannot create a session: \(TLSContext.drainErrors())")
        }
        self.ssl = ssl
        self.context = context
        SSL_set_connect_state(ssl)
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw IOError(.tls, "cannot attach the socket: \(TLSContext.drainErrors())")
        }
        let configuration = context.configuration
        if let name = configuration.serverName, !Self.isIPAddress(name) {
            _ = cmysqlwire_SSL_set_tlsext_host_name(ssl, name)
        }
        if case .identity(let expected) = configuration.verification {
            // An empty name would clear OpenSSL's host check: no identity verified at all.
            guard !expected.isEmpty else {
                throw IOError(.tls, "identity verification needs the server's host name; none was given")
            }
            let parameters = SSL_get0_param(ssl)
            let ok =
                Self.isIPAddress(expected)
                ? X509_VERIFY_PARAM_set1_ip_asc(parameters, expected)
                : X509_VERIFY_PARAM_set1_host(parameters, expected, 0)
            guard ok == 1 else {
                throw IOError(.tls, "cannot check the server's identity against '\(expected)'")
            }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    static func isIPAddress(_ name: String) -> Bool {
        name.contains(":") || (!name.isEmpty && name.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber })
    }

    enum Progress {
        case done
        case wantsReadable
        case wantsWritable
    }

    /// One step of the handshake; call again when the socket is ready as asked.
    func handshake(peer: String) throws(IOError) -> Progress {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            handshakeDone = true
            return .done
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantsReadable
        case SSL_ERROR_WANT_WRITE: return .wantsWritable
        default: throw handshakeFailure(peer: peer)
        }
    }

    /// Why the handshake failed, in words a person can act on.
    private func handshakeFailure(peer: String) -> IOError {
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verify))
            _ = TLSContext.drainErrors()
            switch Int32(verify) {
            case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
                var expected = ""
                if case .identity(let name) = context.configuration.verification { expected = name }
                return IOError(
                    .tls,
                    "the server's certificate at \(peer) is not valid for '\(expected)' (\(reason)); connect with the name in its certificate, or use verifyCA"
                )
            case X509_V_ERR_CERT_HAS_EXPIRED:
                return IOError(.tls, "the server's certificate at \(peer) has expired (\(reason))")
            case X509_V_ERR_CERT_NOT_YET_VALID:
                return IOError(.tls, "the server's certificate at \(peer) is not valid yet (\(reason))")
            default:
                return IOError(
                    .tls,
                    "the server's certificate at \(peer) is not trusted (\(reason)); set the CA that signed it (tls.caFile; --ssl-ca in the CLI)"
                )
            }
        }
        return IOError(.tls, "TLS handshake with \(peer) failed: \(TLSContext.drainErrors())")
    }

    /// Reads decrypted bytes. Like Socket.read: .bytes(n), .wouldBlock, .eof.
    func read(into buffer: UnsafeMutableRawBufferPointer, peer: String) throws(IOError) -> Socket.ReadResult {
        ERR_clear_error()
        wantsWritableToRead = false
        // SSL_read fills at most buffer.count bytes of memory the caller owns for the call.
        let result = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wouldBlock
        case SSL_ERROR_WANT_WRITE:
            wantsWritableToRead = true
            return .wouldBlock
        case SSL_ERROR_ZERO_RETURN: return .eof
        case SSL_ERROR_SYSCALL:
            let code = Glibc.errno
            _ = TLSContext.drainErrors()
            if code == 0 { return .eof }  // the peer closed without close_notify
            throw IOError.errno(code, "TLS read from \(peer) failed")
        default:
            // OpenSSL 3 reports a peer that closed without close_notify as an SSL error: to
            // the caller that is the end of the stream (the packet framing tells whether it
            // came mid-packet), not a TLS failure.
            if ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                _ = TLSContext.drainErrors()
                return .eof
            }
            throw IOError(.tls, "TLS read from \(peer) failed: \(TLSContext.drainErrors())")
        }
    }

    /// Whether decrypted bytes wait inside OpenSSL (a read can succeed without the socket).
    var hasPendingBytes: Bool { SSL_pending(ssl) > 0 }

    /// Encrypts and writes; returns the plaintext bytes taken (0 when it would block).
    func write(_ bytes: UnsafeRawBufferPointer, peer: String) throws(IOError) -> Int {
        guard bytes.count > 0 else { return 0 }
        ERR_clear_error()
        wantsReadableToWrite = false
        // SSL_write reads at most bytes.count bytes the caller owns for the call.
        let result = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        if result > 0 { return Int(result) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_WRITE: return 0
        case SSL_ERROR_WANT_READ:
            wantsReadableToWrite = true
            return 0
        case SSL_ERROR_SYSCALL:
            let code = Glibc.errno
            _ = TLSContext.drainErrors()
            throw IOError.errno(code == 0 ? EPIPE : code, "TLS write to \(peer) failed")
        default:
            throw IOError(.tls, "TLS write to \(peer) failed: \(TLSContext.drainErrors())")
        }
    }

    /// Sends close_notify, best effort (one attempt, nonblocking).
    func shutdown() {
        guard handshakeDone else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        _ = TLSContext.drainErrors()
    }

    /// "TLSv1.3 TLS_AES_256_GCM_SHA384".
    var protocolAndCipher: String {
        let version = String(cString: SSL_get_version(ssl))
        let cipher = SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "?"
        return "\(version) \(cipher)"
    }
}
