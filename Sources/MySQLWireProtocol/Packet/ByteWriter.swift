/// Appends protocol primitives (little-endian integers, length-encoded values) to a byte array.
public struct ByteWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    public mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    public mutating func writeUInt24(_ value: UInt32) {
        for i in 0..<3 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    public mutating func writeUInt32(_ value: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    public mutating func writeUInt64(_ value: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    public mutating func writeLengthEncodedInteger(_ value: UInt64) {
        switch value {
        case 0..<251: bytes.append(UInt8(value))
        case 251..<0x1_0000:
            bytes.append(0xFC)
            writeUInt16(UInt16(value))
        case 0x1_0000..<0x100_0000:
            bytes.append(0xFD)
            writeUInt24(UInt32(value))
        default:
            bytes.append(0xFE)
            writeUInt64(value)
        }
    }

    public mutating func writeBytes(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

    public mutating func writeLengthEncodedBytes(_ value: some Collection<UInt8>) {
        writeLengthEncodedInteger(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeLengthEncodedString(_ value: String) {
        writeLengthEncodedBytes(Array(value.utf8))
    }

    public mutating func writeNullTerminatedString(_ value: String) {
        bytes.append(contentsOf: value.utf8)
        bytes.append(0)
    }

    public mutating func writeZeros(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0, count: count))
    }
}
