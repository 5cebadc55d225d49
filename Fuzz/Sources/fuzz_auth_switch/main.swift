import FuzzMain
import MySQLWire

/// Protocol::AuthSwitchRequest (AuthSwitchRequest.parse).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let req = try? AuthSwitchRequest.parse(bytes[...]) {
        _ = req.pluginName.utf8.count &+ req.pluginData.count
    }
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_auth_switch_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
