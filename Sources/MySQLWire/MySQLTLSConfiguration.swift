import MySQLWireIO

/// TLS for a connection: whether to use it and how to check the server.
///
/// The modes are the mysql clients' `--ssl-mode` values. `preferred` (the default, as there)
/// encrypts when the server offers TLS and falls back to plain text when it does not, without
/// checking the certificate — it protects against passive listeners only. `required` never
/// falls back. `verifyCA` also checks the certificate against trusted CAs, `verifyIdentity`
/// also checks that it names the host: only these two stop an active attacker.
public struct MySQLTLSConfiguration: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Never use TLS.
        case disabled = "DISABLED"
        /// TLS when the server offers it, without verification; plain text otherwise.
        case preferred = "PREFERRED"
        /// TLS or an error; the certificate is not verified.
        case required = "REQUIRED"
        /// TLS, with a certificate that chains to `caFile` / `caDirectory` / the system store.
        case verifyCA = "VERIFY_CA"
        /// As `verifyCA`, and the certificate must name the host connected to (or `serverName`).
        case verifyIdentity = "VERIFY_IDENTITY"
    }

    public var mode: Mode
    /// PEM file of CA certificates to trust. With neither this nor `caDirectory`, the system's
    /// trust store is used for `verifyCA` and `verifyIdentity`.
    public var caFile: String?
    /// A directory of hashed CA certificates (as made by `openssl rehash`).
    public var caDirectory: String?
    /// Client certificate (PEM, may include its chain) and private key, for servers or users
    /// that require one (`REQUIRE X509`). The key may also be in the certificate file.
    public var certificateFile: String?
    public var keyFile: String?
    /// The name to send as SNI and to check the certificate against; default: the host.
    public var serverName: String?

    public init(
        mode: Mode = .preferred, caFile: String? = nil, caDirectory: String? = nil,
        certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil
    ) {
        self.mode = mode
        self.caFile = caFile
        self.caDirectory = caDirectory
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    public static let preferred = MySQLTLSConfiguration(mode: .preferred)
    public static let disabled = MySQLTLSConfiguration(mode: .disabled)
    public static let required = MySQLTLSConfiguration(mode: .required)

    /// TLS with a certificate that chains to the CAs in `caFile` (nil: the system store).
    public static func verifyCA(caFile: String? = nil) -> MySQLTLSConfiguration {
        MySQLTLSConfiguration(mode: .verifyCA, caFile: caFile)
    }

    /// TLS with a trusted certificate that names the host (or `serverName`).
    public static func verifyIdentity(caFile: String? = nil, serverName: String? = nil) -> MySQLTLSConfiguration {
        MySQLTLSConfiguration(mode: .verifyIdentity, caFile: caFile, serverName: serverName)
    }

    /// The IO layer's client configuration for connecting to `host`.
    func clientConfiguration(host: String?) -> TLSClientConfiguration {
        let name = serverName ?? host
        let verification: TLSClientConfiguration.Verification
        switch mode {
        case .disabled, .preferred, .required: verification = .none
        case .verifyCA: verification = .certificateAuthority
        case .verifyIdentity: verification = .identity(expectedName: name ?? "")
        }
        return TLSClientConfiguration(
            verification: verification, caFile: caFile, caDirectory: caDirectory, certificateFile: certificateFile,
            keyFile: keyFile, serverName: name)
    }
}
