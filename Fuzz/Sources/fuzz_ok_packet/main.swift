import FuzzMain
import MySQLWire

/// Protocol::OK_Packet (OKPacket.parse) with capabilities chosen by the first byte, and the
/// session-state walk (changedSchema).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = bytes[0]
    var caps: MySQLCapabilities = []
    if mode & 1 != 0 { caps.insert(.protocol41) }
    if mode & 2 != 0 { caps.insert(.transactions) }
    if mode & 4 != 0 { caps.insert(.sessionTrack) }
    if mode & 8 != 0 { caps.insert(.deprecateEOF) }
    if let ok = try? OKPacket.parse(bytes[1...], capabilities: caps) {
        _ = ok.changedSchema
        _ = ok.info.utf8.count
    }
    _ = try? EOFPacket.parse(bytes[1...])
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_ok_packet_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
