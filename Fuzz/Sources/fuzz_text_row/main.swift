import FuzzMain
import MySQLWire

/// Text-protocol rows (RowBatchBuilder.appendTextRow). First byte: column count 1...16
/// (low nibble) and how many times to append the row (high bits). Rest: the row payload.
/// Every value of every accepted row is read back and checked against the payload.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let columnCount = Int(bytes[0] & 0x0F) + 1
    let repeats = Int(bytes[0] >> 6) + 1
    let payload = bytes[1...]
    var builder = RowBatchBuilder(format: .text, columnCount: columnCount, capacity: 16)
    for _ in 0..<repeats {
        do {
            try builder.appendTextRow(payload)
        } catch {
            precondition(builder.count == 0, "a failed append left a row behind")
            return 0
        }
    }
    let batch = builder.build()
    precondition(batch.count == repeats && batch.columnCount == columnCount)
    let column = MySQLColumn(name: "c", type: .varString)
    for row in 0..<batch.count {
        for c in 0..<columnCount {
            if let value = batch.value(row: row, column: c) {
                precondition(value.startIndex >= row * payload.count && value.endIndex <= (row + 1) * payload.count)
                _ = try? String.decode(mysqlValue: value, format: .text, column: column)
            }
        }
    }
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_text_row_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
