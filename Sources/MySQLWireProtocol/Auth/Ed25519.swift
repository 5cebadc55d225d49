/// Ed25519 signing (RFC 8032) from an expanded secret `az` (64 bytes), written for MariaDB's
/// `client_ed25519`, which signs the server's scramble with az = SHA-512(password) — the
/// password takes the place of the RFC's 32-byte seed, so OpenSSL's Ed25519 (which hashes a
/// seed itself) cannot be used. One signature per login: clarity over speed; it is not
/// constant-time (the secret is the user's own password, on the user's own machine).
enum Ed25519 {
    /// The 64-byte signature of `message` by the key expanded as `az` (`az` = SHA-512 of the seed).
    static func sign(message: [UInt8], expandedSecret az: [UInt8]) -> [UInt8] {
        precondition(az.count == 64)
        let a = secretScalar(az)
        let publicKey = Point.base.multiplied(by: a).encoded()
        let r = Scalar.reduce(Digest.sha512(Array(az[32..<64]) + message))
        let R = Point.base.multiplied(by: r).encoded()
        let k = Scalar.reduce(Digest.sha512(R + publicKey + message))
        let s = Scalar.multiplyAdd(k, a, r)
        return R + s
    }

    /// The public key of `az` (for tests).
    static func publicKey(expandedSecret az: [UInt8]) -> [UInt8] {
        Point.base.multiplied(by: secretScalar(az)).encoded()
    }

    /// The first half of `az`, clamped (RFC 8032 §5.1.5).
    static func secretScalar(_ az: [UInt8]) -> [UInt8] {
        var a = Array(az[0..<32])
        a[0] &= 248
        a[31] &= 63
        a[31] |= 64
        return a
    }

    /// An element of GF(2^255 - 19) in five 51-bit limbs.
    struct Field {
        var limbs: [UInt64]

        static let mask: UInt64 = (1 << 51) - 1
        static let zero = Field(limbs: [0, 0, 0, 0, 0])
        static let one = Field(limbs: [1, 0, 0, 0, 0])

        init(limbs: [UInt64]) { self.limbs = limbs }

        /// From 32 little-endian bytes (the top bit ignored).
        init(bytes: [UInt8]) {
            func load(_ offset: Int) -> UInt64 {
                var value: UInt64 = 0
                for i in 0..<8 where offset + i < 32 { value |= UInt64(bytes[offset + i]) << (8 * i) }
                return value
            }
            limbs = [
                load(0) & Field.mask, (load(6) >> 3) & Field.mask, (load(12) >> 6) & Field.mask,
                (load(19) >> 1) & Field.mask, (load(24) >> 12) & Field.mask,
            ]
        }

        /// Carries so that every limb is below 2^52 (not fully reduced).
        static func carry(_ l: [UInt64]) -> Field {
            var l = l
            for _ in 0..<2 {
                for i in 0..<4 {
                    l[i + 1] &+= l[i] >> 51
                    l[i] &= mask
                }
                l[0] &+= (l[4] >> 51) &* 19
                l[4] &= mask
            }
            return Field(limbs: l)
        }

        static func + (a: Field, b: Field) -> Field {
            carry((0..<5).map { a.limbs[$0] &+ b.limbs[$0] })
        }

        static func - (a: Field, b: Field) -> Field {
            // Add 2p first so that no limb goes negative.
            let twoP: [UInt64] = [
                0xF_FFFF_FFFF_FFDA, 0xF_FFFF_FFFF_FFFE, 0xF_FFFF_FFFF_FFFE, 0xF_FFFF_FFFF_FFFE, 0xF_FFFF_FFFF_FFFE,
            ]
            return carry((0..<5).map { a.limbs[$0] &+ twoP[$0] &- b.limbs[$0] })
        }

        static func * (a: Field, b: Field) -> Field {
            // Schoolbook with 128-bit accumulators; limbs above 2^255 fold back times 19.
            var low = [UInt64](repeating: 0, count: 5)
            var high = [UInt64](repeating: 0, count: 5)
            for i in 0..<5 {
                for j in 0..<5 {
                    var (h, l) = a.limbs[i].multipliedFullWidth(by: b.limbs[j])
                    var index = i + j
                    if index >= 5 {
                        index -= 5
                        // (h, l) × 19 as 128 bits.
                        let (h19, l19) = l.multipliedFullWidth(by: 19)
                        h = h &* 19 &+ h19
                        l = l19
                    }
                    let (sum, overflow) = low[index].addingReportingOverflow(l)
                    low[index] = sum
                    high[index] &+= h &+ (overflow ? 1 : 0)
                }
            }
            // Each 128-bit accumulator: keep 51 bits, carry the rest up.
            var out = [UInt64](repeating: 0, count: 5)
            var carryIn: (high: UInt64, low: UInt64) = (0, 0)
            for i in 0..<5 {
                let (sum, overflow) = low[i].addingReportingOverflow(carryIn.low)
                let h = high[i] &+ carryIn.high &+ (overflow ? 1 : 0)
                out[i] = sum & mask
                carryIn = (h >> 51, (sum >> 51) | (h << 13))
            }
            // The carry out of the top limb is worth 19 per unit at the bottom.
            let (c19high, c19low) = carryIn.low.multipliedFullWidth(by: 19)
            precondition(carryIn.high == 0 && c19high == 0)
            out[0] &+= c19low
            return carry(out)
        }

        func squared() -> Field { self * self }

        /// self^(p-2) = self⁻¹.
        func inverse() -> Field {
            // p - 2 = 2^255 - 21: square-and-multiply over its bits, high to low.
            var exponent = [UInt8](repeating: 0xFF, count: 32)
            exponent[0] = 0xEB
            exponent[31] = 0x7F
            var result = Field.one
            for byte in exponent.reversed() {
                for bit in (0..<8).reversed() {
                    result = result.squared()
                    if (byte >> UInt8(bit)) & 1 == 1 { result = result * self }
                }
            }
            return result
        }

        /// Fully reduced, 32 little-endian bytes.
        func encoded() -> [UInt8] {
            var l = Field.carry(limbs).limbs
            // Subtract p if the value is ≥ p: add 19 and see whether it reaches 2^255.
            var q = (l[0] &+ 19) >> 51
            q = (l[1] &+ q) >> 51
            q = (l[2] &+ q) >> 51
            q = (l[3] &+ q) >> 51
            q = (l[4] &+ q) >> 51
            l[0] &+= 19 &* q
            for i in 0..<4 {
                l[i + 1] &+= l[i] >> 51
                l[i] &= Field.mask
            }
            l[4] &= Field.mask
            let words: [UInt64] = [
                l[0] | l[1] << 51, l[1] >> 13 | l[2] << 38, l[2] >> 26 | l[3] << 25, l[3] >> 39 | l[4] << 12,
            ]
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in words {
                for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> UInt64(8 * i))) }
            }
            return out
        }

        var isNegative: Bool { encoded()[0] & 1 == 1 }
    }

    /// A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z.
    struct Point {
        var x: Field, y: Field, z: Field, t: Field

        static let d = Field(bytes: hex("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352"))
        static let d2 = d + d
        static let base: Point = {
            let x = Field(bytes: hex("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921"))
            let y = Field(bytes: hex("5866666666666666666666666666666666666666666666666666666666666666"))
            return Point(x: x, y: y, z: .one, t: x * y)
        }()
        static let identity = Point(x: .zero, y: .one, z: .one, t: .zero)

        /// RFC 8032 §5.1.4 addition (a = -1).
        func adding(_ q: Point) -> Point {
            let a = (y - x) * (q.y - q.x)
            let b = (y + x) * (q.y + q.x)
            let c = t * Point.d2 * q.t
            let dd = z * q.z + z * q.z
            let e = b - a
            let f = dd - c
            let g = dd + c
            let h = b + a
            return Point(x: e * f, y: g * h, z: f * g, t: e * h)
        }

        /// `scalar` (32 little-endian bytes) times this point.
        func multiplied(by scalar: [UInt8]) -> Point {
            var result = Point.identity
            for byte in scalar.reversed() {
                for bit in (0..<8).reversed() {
                    result = result.adding(result)
                    if (byte >> UInt8(bit)) & 1 == 1 { result = result.adding(self) }
                }
            }
            return result
        }

        /// 32 bytes: y with the sign of x in the top bit.
        func encoded() -> [UInt8] {
            let inverse = z.inverse()
            let affineX = x * inverse
            var out = (y * inverse).encoded()
            if affineX.isNegative { out[31] |= 0x80 }
            return out
        }
    }

    /// Arithmetic modulo the group order L = 2^252 + 27742317777372353535851937790883648493,
    /// on little-endian byte strings, by shift-and-subtract (slow and simple).
    enum Scalar {
        static let order = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")

        /// A little-endian byte string of any length, reduced mod L, as 32 bytes.
        static func reduce(_ value: [UInt8]) -> [UInt8] {
            var remainder = [UInt8](repeating: 0, count: 33)
            for byte in value.reversed() {
                for bit in (0..<8).reversed() {
                    // remainder = remainder·2 + bit
                    var carry = (byte >> UInt8(bit)) & 1
                    for i in 0..<33 {
                        let next = remainder[i] >> 7
                        remainder[i] = remainder[i] << 1 | carry
                        carry = next
                    }
                    if !isLess(remainder, order) { subtract(&remainder, order) }
                }
            }
            return Array(remainder[0..<32])
        }

        /// (k·a + r) mod L.
        static func multiplyAdd(_ k: [UInt8], _ a: [UInt8], _ r: [UInt8]) -> [UInt8] {
            var product = [UInt64](repeating: 0, count: 65)
            for i in 0..<k.count {
                for j in 0..<a.count { product[i + j] += UInt64(k[i]) * UInt64(a[j]) }
            }
            for i in 0..<r.count { product[i] += UInt64(r[i]) }
            var bytes = [UInt8](repeating: 0, count: 66)
            var carry: UInt64 = 0
            for i in 0..<65 {
                let value = product[i] + carry
                bytes[i] = UInt8(truncatingIfNeeded: value)
                carry = value >> 8
            }
            bytes[65] = UInt8(truncatingIfNeeded: carry)
            return reduce(bytes)
        }

        static func isLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            for i in (0..<max(a.count, b.count)).reversed() {
                let x = i < a.count ? a[i] : 0
                let y = i < b.count ? b[i] : 0
                if x != y { return x < y }
            }
            return false
        }

        static func subtract(_ a: inout [UInt8], _ b: [UInt8]) {
            var borrow = 0
            for i in 0..<a.count {
                var value = Int(a[i]) - (i < b.count ? Int(b[i]) : 0) - borrow
                borrow = value < 0 ? 1 : 0
                if value < 0 { value += 256 }
                a[i] = UInt8(value)
            }
        }
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            func value(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
            bytes.append(value(high) << 4 | value(low))
        }
        return bytes
    }
}
