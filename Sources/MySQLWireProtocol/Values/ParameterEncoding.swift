// MySQLEncodable conformances of the integers, Bool, Float, Double, String, byte arrays,
// MySQLDecimal and Optional, and the byte writers every conformance shares. Each appends the
// value as COM_STMT_EXECUTE carries it after the NULL bitmap and the type list: fixed-width
// little-endian numbers, length-encoded strings.
//
// The integer and string conformances are `@inlinable` so a caller that knows the type gets
// them specialized; they are the parameters almost every statement binds.

/// Byte writers for parameter values.
@usableFromInline
enum ParameterBytes {
    /// Makes room for `extra` more bytes with at most one reallocation. `reserveCapacity`
    /// alone would allocate exactly the size asked for, so a buffer filled one parameter at a
    /// time would be copied for every parameter; growing to at least double keeps appends
    /// amortized constant.
    @inlinable @inline(__always)
    static func reserve(_ extra: Int, in buffer: inout [UInt8]) {
        let needed = buffer.count + extra
        if needed > buffer.capacity {
            buffer.reserveCapacity(Swift.max(needed, buffer.capacity * 2))
        }
    }

    /// Byte by byte: measured faster than copying the value's bytes through `withUnsafeBytes`
    /// once the buffer has room, and free of pointers.
    @inlinable @inline(__always)
    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, into buffer: inout [UInt8]) {
        reserve(MemoryLayout<T>.size, in: &buffer)
        var rest = value
        for _ in 0..<MemoryLayout<T>.size {
            buffer.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Bytes a length-encoded integer of `value` takes.
    @inlinable @inline(__always)
    static func lengthEncodedIntegerSize(_ value: Int) -> Int {
        value < 251 ? 1 : value < 0x1_0000 ? 3 : value < 0x100_0000 ? 4 : 9
    }

    /// One byte below 251, else a marker (0xFC, 0xFD, 0xFE) and 2, 3 or 8 bytes. 0xFB
    /// (NULL in rows) and 0xFF (ERR) never start a length.
    @inlinable @inline(__always)
    static func appendLengthEncodedInteger(_ value: Int, into buffer: inout [UInt8]) {
        switch value {
        case ..<251:
            buffer.append(UInt8(truncatingIfNeeded: value))
        case ..<0x1_0000:
            buffer.append(0xFC)
            appendLittleEndian(UInt16(truncatingIfNeeded: value), into: &buffer)
        case ..<0x100_0000:
            buffer.append(0xFD)
            appendLittleEndian(UInt16(truncatingIfNeeded: value), into: &buffer)
            buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        default:
            buffer.append(0xFE)
            appendLittleEndian(UInt64(truncatingIfNeeded: value), into: &buffer)
        }
    }

    /// A length-encoded string: the byte count, then the bytes.
    @inlinable @inline(__always)
    static func appendLengthEncoded(_ bytes: some Collection<UInt8>, into buffer: inout [UInt8]) {
        let count = bytes.count
        reserve(lengthEncodedIntegerSize(count) + count, in: &buffer)
        appendLengthEncodedInteger(count, into: &buffer)
        buffer.append(contentsOf: bytes)
    }
}

// MARK: - Integers and Bool

extension Int8: MySQLEncodable {
    /// TINY, 1 byte.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        buffer.append(UInt8(bitPattern: self))
        return MySQLParameterType(.tiny)
    }
}

extension Int16: MySQLEncodable {
    /// SHORT, 2 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.short)
    }
}

extension Int32: MySQLEncodable {
    /// LONG, 4 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.long)
    }
}

extension Int64: MySQLEncodable {
    /// LONGLONG, 8 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.longlong)
    }
}

extension Int: MySQLEncodable {
    /// LONGLONG, 8 bytes little-endian (on 32-bit platforms too).
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(Int64(self), into: &buffer)
        return MySQLParameterType(.longlong)
    }
}

extension UInt8: MySQLEncodable {
    /// TINY UNSIGNED, 1 byte.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        buffer.append(self)
        return MySQLParameterType(.tiny, unsigned: true)
    }
}

extension UInt16: MySQLEncodable {
    /// SHORT UNSIGNED, 2 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.short, unsigned: true)
    }
}

extension UInt32: MySQLEncodable {
    /// LONG UNSIGNED, 4 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.long, unsigned: true)
    }
}

extension UInt64: MySQLEncodable {
    /// LONGLONG UNSIGNED, 8 bytes little-endian.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(self, into: &buffer)
        return MySQLParameterType(.longlong, unsigned: true)
    }
}

extension UInt: MySQLEncodable {
    /// LONGLONG UNSIGNED, 8 bytes little-endian (on 32-bit platforms too).
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(UInt64(self), into: &buffer)
        return MySQLParameterType(.longlong, unsigned: true)
    }
}

extension Bool: MySQLEncodable {
    /// TINY 1 or 0, as MySQL stores BOOLEAN.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        buffer.append(self ? 1 : 0)
        return MySQLParameterType(.tiny)
    }
}

// MARK: - Floating point

extension Float: MySQLEncodable {
    /// FLOAT, the 4 IEEE 754 bytes little-endian.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(bitPattern, into: &buffer)
        return MySQLParameterType(.float)
    }
}

extension Double: MySQLEncodable {
    /// DOUBLE, the 8 IEEE 754 bytes little-endian.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLittleEndian(bitPattern, into: &buffer)
        return MySQLParameterType(.double)
    }
}

// MARK: - Text and bytes

extension String: MySQLEncodable {
    /// VAR_STRING: the UTF-8 bytes, length-encoded. The server converts them from the
    /// connection's character set.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(utf8, into: &buffer)
        return MySQLParameterType(.varString)
    }
}

extension Substring: MySQLEncodable {
    /// VAR_STRING, as `String`.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(utf8, into: &buffer)
        return MySQLParameterType(.varString)
    }
}

extension Array: MySQLEncodable where Element == UInt8 {
    /// BLOB: the bytes, length-encoded, never converted by the server.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(self, into: &buffer)
        return MySQLParameterType(.blob)
    }
}

extension ArraySlice: MySQLEncodable where Element == UInt8 {
    /// BLOB, as `[UInt8]`.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(self, into: &buffer)
        return MySQLParameterType(.blob)
    }
}

extension MySQLDecimal: MySQLEncodable {
    /// NEWDECIMAL: the exact text (`description`), length-encoded; the server parses it
    /// without going through a binary floating-point value.
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        ParameterBytes.appendLengthEncoded(description.utf8, into: &buffer)
        return MySQLParameterType(.newdecimal)
    }
}

// MARK: - Optional

extension Optional: MySQLEncodable where Wrapped: MySQLEncodable {
    /// `nil` is SQL NULL: no bytes (the NULL bitmap carries it) and type NULL.
    @inlinable
    public func encodeMySQLParameter(into buffer: inout [UInt8]) throws(MySQLError) -> MySQLParameterType {
        guard let self else { return .null }
        return try self.encodeMySQLParameter(into: &buffer)
    }
}
