import FuzzMain
import MySQLWire

/// Protocol::ERR_Packet (ErrorPacket.parse never throws) and EOF_Packet.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let err = ErrorPacket.parse(bytes[...], capabilities: [.protocol41])
    _ = err.error.description
    _ = ErrorPacket.parse(bytes[...], capabilities: [])
    _ = try? EOFPacket.parse(bytes[...])
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_err_packet_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
