import FuzzMain
import MySQLWire

/// Protocol::HandshakeV10 (Greeting.parse). Thrown errors are expected; traps are bugs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let g = try? Greeting.parse(bytes[...]) {
        _ = g.serverVersion.utf8.count &+ g.nonce.count &+ g.authPluginName.utf8.count
        _ = g.flavor
    }
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_greeting_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
