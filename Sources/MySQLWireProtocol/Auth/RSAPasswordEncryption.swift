import CMySQLWireOpenSSL

/// The RSA key exchange of caching_sha2_password and sha256_password over an unencrypted
/// connection: the password with a NUL appended, XOR-ed with the scramble (repeated as often
/// as the password needs), encrypted with the server's public key under RSA-OAEP (SHA-1, as
/// the server decrypts with RSA_PKCS1_OAEP_PADDING).
enum RSAPasswordEncryption {
    /// `publicKeyPEM` is the server's key as it sends it or as `public_key.pem` holds it
    /// (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    static func encrypt(password: String, scramble: [UInt8], publicKeyPEM: [UInt8]) throws(MySQLError) -> [UInt8] {
        let plaintext = xorWithScramble(Array(password.utf8) + [0], scramble: scramble)
        return try encryptOAEP(plaintext, publicKeyPEM: publicKeyPEM)
    }

    /// (password + NUL) XOR scramble, the scramble repeated cyclically. The scramble is the
    /// 20 bytes of the greeting or the switch request, without a trailing NUL.
    static func xorWithScramble(_ bytes: [UInt8], scramble: [UInt8]) -> [UInt8] {
        let key = scramble.count == 21 && scramble.last == 0 ? Array(scramble.dropLast()) : scramble
        guard !key.isEmpty else { return bytes }
        return bytes.enumerated().map { $0.element ^ key[$0.offset % key.count] }
    }

    static func encryptOAEP(_ plaintext: [UInt8], publicKeyPEM: [UInt8]) throws(MySQLError) -> [UInt8] {
        guard publicKeyPEM.count < 64 * 1024 else {
            throw MySQLError(
                .authentication, "the server's RSA public key is implausibly long (\(publicKeyPEM.count) bytes)")
        }
        let key: OpaquePointer? = publicKeyPEM.withUnsafeBytes { raw in
            // The BIO only reads `raw` during PEM_read_bio_PUBKEY, inside this closure.
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else {
            ERR_clear_error()
            let kind =
                String(decoding: publicKeyPEM.prefix(40), as: UTF8.self).contains("BEGIN RSA PUBLIC KEY")
                ? " (a PKCS#1 'RSA PUBLIC KEY'; convert it with: openssl rsa -RSAPublicKey_in -pubout)" : ""
            throw MySQLError(.authentication, "the server's RSA public key is not a valid PEM public key\(kind)")
        }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            throw MySQLError(.authentication, "the server's public key is not an RSA key")
        }
        let keyBytes = Int(EVP_PKEY_get_size(key))
        // OAEP with SHA-1 takes at most k - 2·20 - 2 bytes.
        guard plaintext.count <= keyBytes - 42 else {
            throw MySQLError(
                .authentication,
                "the password is too long for RSA key exchange with a \(keyBytes * 8)-bit key (at most \(keyBytes - 43) bytes); connect over TLS instead"
            )
        }
        guard let context = EVP_PKEY_CTX_new(key, nil) else {
            throw MySQLError(.authentication, "RSA: cannot create an encryption context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_encrypt_init(context) == 1, EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1
        else {
            ERR_clear_error()
            throw MySQLError(.authentication, "RSA: cannot set up OAEP encryption")
        }
        var length = keyBytes
        var output = [UInt8](repeating: 0, count: keyBytes)
        let result = output.withUnsafeMutableBufferPointer { out in
            plaintext.withUnsafeBufferPointer { input in
                // OpenSSL writes at most `length` (= key size) bytes into `out`, which holds that many.
                EVP_PKEY_encrypt(context, out.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard result == 1 else {
            ERR_clear_error()
            throw MySQLError(.authentication, "RSA encryption of the password failed")
        }
        return Array(output.prefix(length))
    }
}
