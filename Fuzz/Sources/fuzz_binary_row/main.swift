import FuzzMain
import MySQLWire

/// Binary-protocol rows (RowBatchBuilder.appendBinaryRow) and the binary value decoders.
///
/// Byte 0: bits 0-3 column count 1...16; bit 4 appends an all-NULL row first (so a failed
/// append has rows to leave alone); bit 5 appends through the UnsafeRawBufferPointer entry
/// point over an exact-size heap copy (ASan sees any over-read) instead of the ArraySlice one;
/// bits 6-7 how many times to append the payload (1...4).
/// Bytes 1-4: every column's columnLength (UInt32, little-endian).
/// Then two bytes per column: the type (bits 0-4 index `types`, bit 5 UNSIGNED, bit 6 binary
/// character set, bit 7 ZEROFILL) and the decimals. The rest is the row payload.
///
/// An independent reference parser says whether the row is valid and where each value lies;
/// the builder must agree exactly. An accepted row's every non-NULL value is decoded with the
/// binary format into several Swift types (errors expected, traps not); a rejected row must
/// leave the builder as it was.
let types: [UInt8] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 0x20,
]

/// Where each value lies (nil for NULL) per the protocol, or nil for a malformed row.
/// Offsets are into `payload` (0-based); a value's bytes exclude any length prefix.
func referenceParse(_ payload: [UInt8], _ columns: [MySQLColumn]) -> [Range<Int>?]? {
    let bitmapBytes = (columns.count + 7 + 2) / 8
    guard payload.count >= 1 + bitmapBytes, payload[0] == 0 else { return nil }
    var i = 1 + bitmapBytes
    var out: [Range<Int>?] = []
    for (c, column) in columns.enumerated() {
        if payload[1 + (c + 2) / 8] & (1 << ((c + 2) % 8)) != 0 {
            out.append(nil)
            continue
        }
        var length: Int
        switch column.type.rawValue {
        case 1: length = 1
        case 2, 13: length = 2
        case 3, 9, 4: length = 4
        case 8, 5: length = 8
        case 6: length = 0
        case 7, 10, 12, 14, 17, 18, 11, 19:
            guard i < payload.count else { return nil }
            length = Int(payload[i])
            i += 1
            let time = column.type.rawValue == 11 || column.type.rawValue == 19
            guard (time ? [0, 8, 12] : [0, 4, 7, 11]).contains(length) else { return nil }
        default:
            guard i < payload.count else { return nil }
            let first = payload[i]
            i += 1
            switch first {
            case 0..<0xFB: length = Int(first)
            case 0xFB, 0xFF: return nil
            default:
                let width = first == 0xFC ? 2 : first == 0xFD ? 3 : 8
                guard payload.count - i >= width else { return nil }
                var value: UInt64 = 0
                for k in 0..<width { value |= UInt64(payload[i + k]) << (8 * k) }
                i += width
                guard value <= UInt64(payload.count - i) else { return nil }
                length = Int(value)
            }
        }
        guard length <= payload.count - i else { return nil }
        out.append(i..<(i + length))
        i += length
    }
    return i == payload.count ? out : nil
}

/// Decodes through the public entry point (the batch's slice) and the borrowed one MySQLRow
/// uses (an exact-size heap copy). Returns the first result.
@inline(never)
func attempt<T: MySQLDecodable>(_: T.Type, _ value: ArraySlice<UInt8>, _ column: MySQLColumn) -> T? {
    let result = try? T.decode(mysqlValue: value, format: .binary, column: column)
    if let result { _ = String(describing: result) }
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: value.count, alignment: 1)
    defer { copy.deallocate() }
    copy.copyBytes(from: value)
    if let v = try? T._decode(borrowedBytes: UnsafeRawBufferPointer(copy), format: .binary, shape: column.shape) {
        _ = String(describing: v)
    }
    return result
}

@inline(never)
func decodeAll(_ value: ArraySlice<UInt8>, _ column: MySQLColumn) {
    let int = attempt(Int.self, value, column)
    let uint = attempt(UInt64.self, value, column)
    if let int, let uint { precondition(UInt64(exactly: int) == uint, "Int and UInt64 disagree") }
    _ = attempt(Double.self, value, column)
    let string = attempt(String.self, value, column)
    _ = attempt(MySQLDateTime.self, value, column)
    _ = attempt(MySQLTime.self, value, column)
    _ = attempt(MySQLDecimal.self, value, column)
    let raw = attempt([UInt8].self, value, column)
    precondition(raw == nil || raw! == Array(value), "[UInt8] is not the value's bytes")
    let text = try? MySQLTextForm.bytes(value, format: .binary, column: column.shape)
    let exact = Array(value)
    let text2 = try? MySQLTextForm.bytes(exact[...], format: .binary, column: column.shape)
    precondition((text == nil) == (text2 == nil) && (text == nil || Array(text!) == Array(text2!)))
    // A value's text form is what String decodes, left-padded with zeros to the display width
    // (at most 255) for a ZEROFILL integer, FLOAT or DOUBLE: MySQLTextForm pads as the server's
    // text rows do, String does not (TextForm.swift; FLOAT/DOUBLE padding since 5921433).
    if let string, let text {
        var expected = Array(string.utf8)
        let padded = [1, 2, 3, 4, 5, 8, 9, 13].contains(column.type.rawValue)
        if padded, column.flags.contains(.zeroFill), column.columnLength <= 255, expected.count < Int(column.columnLength) {
            expected = Array(repeating: UInt8(ascii: "0"), count: Int(column.columnLength) - expected.count) + expected
        }
        precondition(
            expected == Array(text),
            "String and MySQLTextForm.bytes disagree: \(string.debugDescription) vs \(String(decoding: Array(text), as: UTF8.self).debugDescription) for \(column.type) flags \(column.flags.rawValue) decimals \(column.decimals) length \(column.columnLength)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 5 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let columnCount = Int(bytes[0] & 0x0F) + 1
    let nullRowFirst = bytes[0] & 0x10 != 0
    let rawEntry = bytes[0] & 0x20 != 0
    let repeats = Int(bytes[0] >> 6) + 1
    let columnLength = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
    guard size >= 5 + 2 * columnCount else { return 0 }
    var columns: [MySQLColumn] = []
    for c in 0..<columnCount {
        let t = bytes[5 + 2 * c]
        var flags: MySQLColumnFlags = []
        if t & 0x20 != 0 { flags.insert(.unsigned) }
        if t & 0x80 != 0 { flags.insert(.zeroFill) }
        columns.append(
            MySQLColumn(
                name: "c\(c)", characterSet: t & 0x40 != 0 ? mysqlBinaryCharacterSet : 45,
                columnLength: columnLength, type: MySQLType(rawValue: types[Int(t & 0x1F)]), flags: flags,
                decimals: bytes[6 + 2 * c]))
    }
    let payload = Array(bytes[(5 + 2 * columnCount)...])
    let layout = BinaryRowLayout(MySQLColumns(columns))
    precondition(layout.columnCount == columnCount)
    let expected = referenceParse(payload, columns)

    var builder = RowBatchBuilder(format: .binary, columnCount: columnCount, capacity: 16)
    // An all-NULL row: header, then every bitmap bit from offset 2 set.
    let bitmapBytes = (columnCount + 9) / 8
    var nullRow = [UInt8](repeating: 0, count: 1 + bitmapBytes)
    for c in 0..<columnCount { nullRow[1 + (c + 2) / 8] |= 1 << ((c + 2) % 8) }
    if nullRowFirst {
        do {
            try builder.appendBinaryRow(nullRow[...], layout: layout)
        } catch {
            preconditionFailure("an all-NULL row was rejected: \(error)")
        }
    }
    let firstRow = builder.count
    let baseBytes = builder.byteCount

    var appended = 0
    for _ in 0..<repeats {
        let count = builder.count
        let byteCount = builder.byteCount
        var failure: MySQLError?
        do {
            if rawEntry {
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: payload.count, alignment: 1)
                defer { copy.deallocate() }
                copy.copyBytes(from: payload)
                try builder.appendBinaryRow(UnsafeRawBufferPointer(copy), layout: layout)
            } else {
                try builder.appendBinaryRow(payload[...], layout: layout)
            }
        } catch {
            failure = error
        }
        if let failure {
            _ = failure.description
            precondition(expected == nil, "a valid row was rejected: \(failure)")
            precondition(builder.count == count && builder.byteCount == byteCount, "a failed append changed the batch")
            break
        }
        precondition(expected != nil, "a malformed row was accepted")
        precondition(builder.count == count + 1 && builder.byteCount == byteCount + payload.count)
        appended += 1
    }

    let batch = builder.build()
    precondition(batch.count == firstRow + appended && batch.columnCount == columnCount && batch.format == .binary)
    precondition(batch.byteCount == baseBytes + appended * payload.count)
    for row in 0..<firstRow {
        for c in 0..<columnCount { precondition(batch.value(row: row, column: c) == nil) }
    }
    guard let expected else { return 0 }
    for k in 0..<appended {
        let row = firstRow + k
        let rowStart = baseBytes + k * payload.count
        for c in 0..<columnCount {
            let value = batch.value(row: row, column: c)
            let borrowedCount = (try? batch.withValue(row: row, column: c) { $0?.count ?? -1 }) ?? -2
            guard let range = expected[c] else {
                precondition(value == nil && borrowedCount == -1, "a NULL value is not nil")
                continue
            }
            guard let value else { preconditionFailure("a non-NULL value is nil") }
            precondition(
                value.startIndex >= rowStart + 1 + bitmapBytes && value.endIndex <= rowStart + payload.count,
                "a value lies outside its row")
            precondition(
                value.startIndex == rowStart + range.lowerBound && value.count == range.count,
                "a value is not where the protocol puts it")
            precondition(borrowedCount == value.count)
            decodeAll(value, columns[c])
        }
    }
    return 0
}

/// The entry point SwiftPM links as main(): hand over to libFuzzer.
@_cdecl("fuzz_binary_row_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    mysqlwire_fuzz_main(argc, argv)
}
