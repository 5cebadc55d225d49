import Foundation
import FuzzMain
import MySQLWire

/// Every MySQLDecodable conformance, in both formats. Byte 0: column type (index into the
/// known types; ≥ 32 uses the raw byte), byte 1: flags (bit 0 unsigned, bit 1 binary
/// charset, bit 2 NULL value, bit 3 zerofill/blob flags), byte 2: decimals. Rest: the value.
let types: [UInt8] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 0x20,
]

@inline(never)
func attempt<T: MySQLDecodable>(_: T.Type, _ value: ArraySlice<UInt8>?, _ column: MySQLColumn) {
    for format in [MySQLValueFormat.text, .binary] {
        if let v = try? T.decode(mysqlValue: value, format: format, column: column) {
            _ = String(describing: v)
        }
        // The entry point MySQLRow uses, over an exact-size heap copy (ASan sees any over-read).
        let copy = value.map { bytes -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { copy?.deallocate() }
        if let v = try? T._decode(
            borrowedBytes: copy.map { UnsafeRawBufferPointer($0) }, format: format, shape: column.shape)
        {
            _ = String(describing: v)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let rawType = bytes[0] < 32 ? types[Int(bytes[0])] : bytes[0]
    var flags: MySQLColumnFlags = []
    if bytes[1] & 1 != 0 { flags.insert(.unsigned) }
    if bytes[1] & 8 != 0 { flags.formUnion([.zeroFill, .blob, .binary]) }
    let column = MySQLColumn(
        name: "v", characterSet: bytes[1] & 2 != 0 ? mysqlBinaryCharacterSet : 45, columnLength: 255,
        type: MySQLType(rawValue: rawType), flags: flags, decimals: bytes[2])
    let value: ArraySlice<UInt8>? = bytes[1] & 4 != 0 ? nil : bytes[3...]

    attempt(Int.self, value, column)
    attempt(Int8.self, value, column)
    attempt(Int16.self, value, column)
    attempt(Int32.self, value, column)
    attempt(Int64.self, value, column)
    attempt(UInt.self, value, column)
    attempt(UInt8.self, value, column)
    attempt(UInt16.self, value, column)
    attempt(UInt32.self, value, column)
    attempt(UInt64.self, value, column)
    attempt(Bool.self, value, column)
    attempt(Double.self, value, column)
    attempt(Float.self, value, column)
    attempt(String.self, value, column)
    attempt([UInt8].self, value, column)
    attempt(Data.self, value, column)
    attempt(Decimal.self, value, column)
    attempt(Date.self, value, column)
    attempt(MySQLDecimal.self, value, column)
    attempt(MySQLDate.self, value, column)
    attempt(MySQLDateTime.self, value, column)
    attempt(MySQLTime.self, value, column)
    attempt(Int?.self, value, column)
    attempt(String?.self, value, column)
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_values_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
