import FuzzMain
import MySQLWire

/// PacketDecoder: the input (after 2 control bytes) is fed in chunks, draining complete packets
/// after each. Byte 0: chunk size 1...256; byte 1: low bits pick the initial capacity, bit 7
/// feeds through withWritableSpace instead of append, bits 4-6 pick maxPacketSize.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let chunk = Int(bytes[0]) + 1
    let capacity = [1, 4, 16, 64, 4096, 64 * 1024][Int(bytes[1] & 0x0F) % 6]
    let maxPacket = [0, 1, 8, 64, 512, 4096, 1 << 20, 64 << 20][Int((bytes[1] >> 4) & 7)]
    let useWritableSpace = bytes[1] & 0x80 != 0
    var decoder = PacketDecoder(initialCapacity: capacity, maxPacketSize: maxPacket)
    var index = 2
    var total = 0
    while index < bytes.count {
        let end = min(bytes.count, index + chunk)
        if useWritableSpace {
            var offset = index
            while offset < end {
                let n = decoder.withWritableSpace(minimum: 1) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
                    let n = min(buffer.count, end - offset)
                    bytes.withUnsafeBytes { src in
                        buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
                    }
                    return n
                }
                precondition(n > 0)
                offset += n
            }
        } else {
            decoder.append(bytes[index..<end])
        }
        index = end
        do {
            while let packet = try decoder.next() {
                precondition(packet.payload.count <= maxPacket)
                total &+= packet.payload.reduce(0) { $0 &+ Int($1) } &+ Int(packet.sequenceID)
            }
        } catch {
            return 0
        }
    }
    _ = decoder.bufferedByteCount
    _ = decoder.isEmpty
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_packet_decoder_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
