import FuzzMain
import MySQLWire

/// Protocol::ColumnDefinition41 (MySQLColumn.parse).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if var column = try? MySQLColumn.parse(bytes[...]) {
        _ = column.name.utf8.count &+ column.table.utf8.count &+ column.orgName.utf8.count
        _ = column.type.description
        _ = column.isUnsigned || column.isBinary
        var h = Hasher()
        column.hash(into: &h)
        column.name = "x"
        _ = h.finalize()
    }
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_column_definition_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
