/// The scramble functions of the password plugins. Pure functions of password and nonce.
public enum AuthScramble {
    /// client_ed25519 (MariaDB): the Ed25519 signature of the 32-byte scramble with the key
    /// expanded as SHA-512(password) (the password stands where RFC 8032 has the seed).
    public static func clientEd25519(password: String, scramble: [UInt8]) -> [UInt8] {
        Ed25519.sign(message: scramble, expandedSecret: Digest.sha512(Array(password.utf8)))
    }

    /// mysql_native_password: SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))); empty password → empty.
    public static func nativePassword(password: String, nonce: [UInt8]) -> [UInt8] {
        if password.isEmpty { return [] }
        let stage1 = Digest.sha1(Array(password.utf8))
        let stage2 = Digest.sha1(stage1)
        return xor(stage1, Digest.sha1(nonce + stage2))
    }

    /// caching_sha2_password: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce); empty → empty.
    public static func cachingSHA2(password: String, nonce: [UInt8]) -> [UInt8] {
        if password.isEmpty { return [] }
        let stage1 = Digest.sha256(Array(password.utf8))
        let stage2 = Digest.sha256(stage1)
        return xor(stage1, Digest.sha256(stage2 + nonce))
    }
}

/// The authentication plugins this client can answer.
public enum AuthPluginKind: Sendable, Equatable {
    case nativePassword
    case cachingSHA2Password
    case sha256Password
    case clearPassword
    /// MariaDB's Ed25519 signature of the scramble.
    case clientEd25519

    public init?(name: String) {
        switch name {
        case "mysql_native_password": self = .nativePassword
        case "caching_sha2_password": self = .cachingSHA2Password
        case "sha256_password": self = .sha256Password
        case "mysql_clear_password": self = .clearPassword
        case "client_ed25519": self = .clientEd25519
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .nativePassword: return "mysql_native_password"
        case .cachingSHA2Password: return "caching_sha2_password"
        case .sha256Password: return "sha256_password"
        case .clearPassword: return "mysql_clear_password"
        case .clientEd25519: return "client_ed25519"
        }
    }
}
