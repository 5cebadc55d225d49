import CMySQLWireOpenSSL

/// One-shot message digests through OpenSSL's EVP interface.
enum Digest {
    static func sha1(_ data: [UInt8]) -> [UInt8] { digest(data, EVP_sha1(), length: 20) }
    static func sha256(_ data: [UInt8]) -> [UInt8] { digest(data, EVP_sha256(), length: 32) }
    static func sha512(_ data: [UInt8]) -> [UInt8] { digest(data, EVP_sha512(), length: 64) }

    private static func digest(_ data: [UInt8], _ md: OpaquePointer?, length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var size: UInt32 = 0
        let ok = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                // Safe: `output` holds `length` bytes, the digest's exact size; `input` is read only.
                EVP_Digest(
                    input.baseAddress, input.count, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &size, md,
                    nil)
            }
        }
        precondition(ok == 1 && Int(size) == length, "OpenSSL digest failed")
        return out
    }
}

@inline(__always)
func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    var out = a
    for i in out.indices { out[i] ^= b[i % b.count] }
    return out
}
