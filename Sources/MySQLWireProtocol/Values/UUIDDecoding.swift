import Foundation

// UUID conformance: 16 raw bytes or the text form, from string and BLOB columns.

extension UUID: _MySQLBorrowedDecodable {
    /// String and BLOB columns in either format: 16 bytes (BINARY(16), `UUID_TO_BIN(text)`
    /// without the swap flag) or text of 32 hex digits, bare or dashed
    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (`UUID()`, MariaDB's UUID type), upper or lower case.
    /// A 16-byte value is always read as raw bytes: no text form is that short.
    public static func _decode(
        borrowedBytes bytes: UnsafeRawBufferPointer?, format: MySQLValueFormat, shape column: MySQLColumn.Shape
    ) throws(MySQLError) -> UUID {
        guard bytes != nil else { throw .decodingNull(into: UUID.self) }
        let bytes = bytes.unsafelyUnwrapped  // Checked above; `guard let` would retain a copy.
        // Numbers and DECIMAL text of 32 digits would otherwise pass for hex.
        guard column.type.holdsStringOrBytes else { throw .decodingUnsupported(column, into: UUID.self) }
        switch bytes.count {
        case 16:
            let start = bytes.startIndex
            return UUID(high: bigEndianUInt64(bytes, start), low: bigEndianUInt64(bytes, start + 8))
        case 32, 36:
            guard let uuid = parseText(bytes) else { throw .decodingMalformed(column, into: UUID.self, bytes) }
            return uuid
        default:
            throw .decoding(
                column, into: UUID.self,
                "value has \(bytes.count) bytes; expected 16 bytes or 32 or 36 characters of text")
        }
    }

    /// 32 hex digits, with dashes after the 8th, 12th, 16th and 20th digits when 36 bytes long.
    private static func parseText(_ bytes: some ValueBytes) -> UUID? {
        let dashed = bytes.count == 36
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in zip(0..., bytes) {
            if dashed && (offset == 8 || offset == 13 || offset == 18 || offset == 23) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = hexDigitValue(byte) else { return nil }
            if digits < 16 {
                high = high << 4 | nibble
            } else {
                low = low << 4 | nibble
            }
            digits += 1
        }
        return UUID(high: high, low: low)
    }

    @inline(__always)
    private static func hexDigitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte &- UInt8(ascii: "A") &+ 10)
        default: return nil
        }
    }

    @inline(__always)
    private static func bigEndianUInt64(_ bytes: some ValueBytes, _ start: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in start..<(start + 8) {
            value = value << 8 | UInt64(bytes[index])
        }
        return value
    }

    /// The UUID whose bytes, in order, are `high` then `low`, most significant first.
    private init(high: UInt64, low: UInt64) {
        func byte(_ word: UInt64, _ index: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
        self.init(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3),
                byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)
            ))
    }
}

extension MySQLType {
    /// The string and BLOB types: the ones whose values are their content.
    fileprivate var holdsStringOrBytes: Bool {
        switch self {
        case .varchar, .varString, .string, .tinyBlob, .mediumBlob, .longBlob, .blob: return true
        default: return false
        }
    }
}
