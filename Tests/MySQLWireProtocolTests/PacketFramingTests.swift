import Testing

@testable import MySQLWireProtocol

@Suite struct PacketFramingTests {
    @Test func exactMultipleOfMaxPayloadEndsWithAnEmptyPacket() throws {
        let payload = [UInt8](repeating: 7, count: maxPhysicalPayload)
        var seq: UInt8 = 0
        let framed = PacketEncoder.frame(payload, sequenceID: &seq)
        #expect(seq == 2)
        #expect(framed.count == maxPhysicalPayload + 8)
        #expect(Array(framed.suffix(4)) == [0, 0, 0, 1])
        var decoder = PacketDecoder(maxPacketSize: 32 * 1024 * 1024)
        decoder.append(framed)
        let packet = try #require(try decoder.next())
        #expect(packet.payload.count == maxPhysicalPayload)
        #expect(packet.lastSequenceID == 1)
        #expect(try decoder.next() == nil)
    }

    @Test func splitAndJoinRoundTrip() throws {
        var payload = [UInt8](repeating: 0, count: 2 * maxPhysicalPayload + 5)
        payload[0] = 1
        payload[maxPhysicalPayload - 1] = 2
        payload[maxPhysicalPayload] = 3
        payload[payload.count - 1] = 4
        var seq: UInt8 = 254
        let framed = PacketEncoder.frame(payload, sequenceID: &seq)
        #expect(seq == 1)  // wraps
        var decoder = PacketDecoder(maxPacketSize: 64 * 1024 * 1024)
        // Feed in uneven chunks, as reads would deliver them.
        var offset = 0
        var out: [Packet] = []
        var chunk = 1
        while offset < framed.count {
            let end = min(framed.count, offset + chunk)
            decoder.append(framed[offset..<end])
            offset = end
            chunk = chunk * 5 + 1
            while let p = try decoder.next() { out.append(p) }
        }
        #expect(out.count == 1)
        #expect(Array(out[0].payload) == payload)
        #expect(out[0].sequenceID == 254)
    }

    @Test func smallPacketsByteByByte() throws {
        var decoder = PacketDecoder()
        let framed =
            ServerPackets.frame([1, 2, 3], seq: 0) + ServerPackets.frame([], seq: 1) + ServerPackets.frame([9], seq: 2)
        var out: [[UInt8]] = []
        for byte in framed {
            decoder.append([byte])
            while let p = try decoder.next() { out.append(Array(p.payload)) }
        }
        #expect(out == [[1, 2, 3], [], [9]])
    }

    @Test func wrongSequenceInsideASplitPacket() throws {
        var decoder = PacketDecoder(maxPacketSize: 64 * 1024 * 1024)
        var first = [UInt8](repeating: 0xFF, count: 4)
        first[3] = 0
        decoder.append(first + [UInt8](repeating: 1, count: maxPhysicalPayload))
        decoder.append([1, 0, 0, 5, 0])
        #expect(throws: MySQLError.self) { _ = try decoder.next() }
    }

    @Test func chainLongerThanMaxPacketSizeIsCutOff() throws {
        var decoder = PacketDecoder(maxPacketSize: 1024 * 1024)
        decoder.append([0xFF, 0xFF, 0xFF, 0] + [UInt8](repeating: 1, count: maxPhysicalPayload))
        do {
            _ = try decoder.next()
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .protocolViolation)
            #expect(error.message.contains("maxPacketSize"))
        }
    }

    @Test func oversizedHeaderIsRejectedBeforeItsBodyArrives() throws {
        var decoder = PacketDecoder(initialCapacity: 64, maxPacketSize: 1024)
        decoder.append([0x00, 0x00, 0x01, 0])  // announces 65,536 bytes; none has arrived
        #expect(throws: MySQLError.self) { _ = try decoder.next() }
        // Room is never reserved beyond an acceptable packet.
        var other = PacketDecoder(initialCapacity: 64, maxPacketSize: 1024)
        other.append([0xFF, 0xFF, 0xFF, 0])
        #expect(other.pendingPacketNeed() <= 1024 + 4)
    }

    @Test func hugeLengthEncodedLengthIsRejectedBeforeAllocation() {
        var r = ByteReader([0xFE, 0, 0, 0, 0, 0, 0, 0, 0x40, 1, 2][...], context: "test")
        #expect(throws: MySQLError.self) { _ = try r.readLengthEncodedBytes() }
    }

    @Test func lengthEncodedIntegersRoundTrip() throws {
        for value: UInt64 in [0, 250, 251, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000, .max] {
            var w = ByteWriter()
            w.writeLengthEncodedInteger(value)
            var r = ByteReader(w.bytes[...], context: "test")
            #expect(try r.readLengthEncodedInteger() == value)
            #expect(r.isAtEnd)
        }
    }

    @Test func okPacketInfoRules() throws {
        // Without SESSION_TRACK the info is the rest of the packet.
        let raw: [UInt8] = [0, 1, 0, 2, 0, 0, 0] + Array("Rows matched: 1".utf8)
        let plain = try OKPacket.parse(raw[...], capabilities: [.protocol41])
        #expect(plain.info == "Rows matched: 1")
        #expect(plain.affectedRows == 1)
        #expect(throws: MySQLError.self) { _ = try OKPacket.parse([0, 1][...], capabilities: [.protocol41]) }
    }
}
