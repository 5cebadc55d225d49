/// Frames outgoing payloads in place: the payload is written straight after a 4-byte header
/// placeholder in the output buffer, so a command is built with one copy of its bytes.
public enum PacketEncoder {
    /// Reserves the header of a packet whose payload follows; pass the result to `endPacket`.
    @inline(__always)
    public static func beginPacket(_ out: inout [UInt8]) -> Int {
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0] as [UInt8])
        return start
    }

    /// Writes the header of the packet begun at `start`, splitting payloads of 0xFFFFFF bytes
    /// or more into 0xFFFFFF-byte packets plus a final shorter (possibly empty) one.
    /// `sequenceID` is the id of the first packet; on return it is the id the next packet takes.
    public static func endPacket(_ out: inout [UInt8], start: Int, sequenceID: inout UInt8) {
        let payloadLength = out.count - start - 4
        if payloadLength < maxPhysicalPayload {
            writeHeader(&out, at: start, length: payloadLength, sequenceID: sequenceID)
            sequenceID &+= 1
            return
        }
        let payload = Array(out[(start + 4)...])
        out.removeSubrange(start...)
        out.reserveCapacity(start + payloadLength + 4 * (payloadLength / maxPhysicalPayload + 1))
        var offset = 0
        while true {
            let chunk = min(maxPhysicalPayload, payloadLength - offset)
            let header = out.count
            out.append(contentsOf: [0, 0, 0, 0] as [UInt8])
            writeHeader(&out, at: header, length: chunk, sequenceID: sequenceID)
            sequenceID &+= 1
            out.append(contentsOf: payload[offset..<(offset + chunk)])
            offset += chunk
            if chunk < maxPhysicalPayload { break }
        }
    }

    /// A whole framed packet from a payload (handshake-time convenience).
    public static func frame(_ payload: [UInt8], sequenceID: inout UInt8) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 4)
        let start = beginPacket(&out)
        out.append(contentsOf: payload)
        endPacket(&out, start: start, sequenceID: &sequenceID)
        return out
    }

    @inline(__always)
    static func writeHeader(_ out: inout [UInt8], at index: Int, length: Int, sequenceID: UInt8) {
        out[index] = UInt8(truncatingIfNeeded: length)
        out[index + 1] = UInt8(truncatingIfNeeded: length >> 8)
        out[index + 2] = UInt8(truncatingIfNeeded: length >> 16)
        out[index + 3] = sequenceID
    }
}
