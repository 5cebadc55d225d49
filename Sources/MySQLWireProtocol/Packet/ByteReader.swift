/// A bounds-checked cursor over received bytes. Every read checks the remaining length first
/// and fails with a protocol violation naming `context`, so no length from the wire is ever
/// trusted.
public struct ByteReader {
    public let bytes: ArraySlice<UInt8>
    public private(set) var index: Int
    /// What is being parsed, for error messages ("OK packet", "column definition").
    public let context: StaticString

    public init(_ bytes: ArraySlice<UInt8>, context: StaticString) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.context = context
    }

    public var remaining: Int { bytes.endIndex - index }
    public var isAtEnd: Bool { index >= bytes.endIndex }

    @inline(__always)
    func truncated(_ need: Int) -> MySQLError {
        .violation(
            "\(context) is truncated: needed \(need) more byte(s) at offset \(index - bytes.startIndex), \(remaining) left"
        )
    }

    public func peekUInt8() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    public mutating func readUInt8() throws(MySQLError) -> UInt8 {
        guard index < bytes.endIndex else { throw truncated(1) }
        defer { index += 1 }
        return bytes[index]
    }

    public mutating func readUInt16() throws(MySQLError) -> UInt16 {
        guard remaining >= 2 else { throw truncated(2) }
        defer { index += 2 }
        return UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
    }

    public mutating func readUInt24() throws(MySQLError) -> UInt32 {
        guard remaining >= 3 else { throw truncated(3) }
        defer { index += 3 }
        return UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
    }

    public mutating func readUInt32() throws(MySQLError) -> UInt32 {
        guard remaining >= 4 else { throw truncated(4) }
        defer { index += 4 }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[index + i]) << (8 * i) }
        return value
    }

    public mutating func readUInt64() throws(MySQLError) -> UInt64 {
        guard remaining >= 8 else { throw truncated(8) }
        defer { index += 8 }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[index + i]) << (8 * i) }
        return value
    }

    /// A length-encoded integer. `0xFB` (NULL) and `0xFF` are not integers here.
    public mutating func readLengthEncodedInteger() throws(MySQLError) -> UInt64 {
        let first = try readUInt8()
        switch first {
        case 0..<0xFB: return UInt64(first)
        case 0xFC: return UInt64(try readUInt16())
        case 0xFD: return UInt64(try readUInt24())
        case 0xFE: return try readUInt64()
        default:
            throw .violation("\(context): 0x\(String(first, radix: 16)) is not a length-encoded integer")
        }
    }

    /// A length checked against what is left in the packet before anything is sliced or allocated.
    public mutating func readLength() throws(MySQLError) -> Int {
        let length = try readLengthEncodedInteger()
        guard length <= UInt64(remaining) else {
            throw .violation("\(context): length \(length) runs past the end of the packet (\(remaining) bytes left)")
        }
        return Int(length)
    }

    public mutating func readBytes(_ count: Int) throws(MySQLError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw truncated(count) }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    public mutating func skip(_ count: Int) throws(MySQLError) {
        guard count >= 0, remaining >= count else { throw truncated(count) }
        index += count
    }

    public mutating func readLengthEncodedBytes() throws(MySQLError) -> ArraySlice<UInt8> {
        try readBytes(try readLength())
    }

    public mutating func readLengthEncodedString() throws(MySQLError) -> String {
        String(decoding: try readLengthEncodedBytes(), as: UTF8.self)
    }

    /// Bytes up to (not including) the next NUL; the NUL is consumed. A missing NUL is a violation.
    public mutating func readNullTerminatedBytes() throws(MySQLError) -> ArraySlice<UInt8> {
        guard let end = bytes[index...].firstIndex(of: 0) else {
            throw .violation("\(context): a NUL-terminated string has no NUL")
        }
        defer { index = end + 1 }
        return bytes[index..<end]
    }

    public mutating func readNullTerminatedString() throws(MySQLError) -> String {
        String(decoding: try readNullTerminatedBytes(), as: UTF8.self)
    }

    public mutating func readRest() -> ArraySlice<UInt8> {
        defer { index = bytes.endIndex }
        return bytes[index...]
    }

    public func expectEnd() throws(MySQLError) {
        guard isAtEnd else { throw .violation("\(context) has \(remaining) unexpected trailing byte(s)") }
    }
}
