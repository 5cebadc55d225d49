// JSON output: one array of objects per result set, streamed row by row:
//
//   [
//   {"id":1,"name":"alice","note":null},
//   {"id":2,"name":"b\"ob","note":"x\ty"}
//   ]
//
// An empty result set prints `[]`. Several result sets print several arrays, one after the
// other (a stream of JSON texts, each starting on its own line). Keys are the column names in
// column order (duplicate names give duplicate keys). SQL NULL is `null`. A field of a numeric
// column (numericColumns) is emitted as a JSON number when its text is valid JSON number syntax
// (it always is for MySQL numbers, except e.g. ZEROFILL `007` or YEAR `0000`, which become
// strings). Everything else is a string escaped per RFC 8259: `"` `\\` and the C0 controls
// (\b \f \n \r \t, others \u00XX); bytes that are not valid UTF-8 (BLOB, BIT, BINARY data) are
// replaced by U+FFFD, so binary values are lossy in JSON. JSON columns are emitted as strings.

struct JSONResultPrinter: ResultPrinter {
    let output: OutputSink
    let numericColumns: [Bool]
    /// `"name":` for every column, pre-escaped.
    private var keys: [[UInt8]] = []
    private var rowCount = 0
    private var line: [UInt8] = []

    init(output: OutputSink, numericColumns: [Bool]) {
        self.output = output
        self.numericColumns = numericColumns
    }

    mutating func begin(columns: [String]) {
        keys = columns.map { name in
            var k: [UInt8] = []
            Self.appendString(Array(name.utf8)[...], to: &k)
            k.append(UInt8(ascii: ":"))
            return k
        }
        rowCount = 0
        output.write(byte: UInt8(ascii: "["))
    }

    mutating func row(_ fields: [ArraySlice<UInt8>?]) {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: rowCount == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
        line.append(UInt8(ascii: "{"))
        for (c, field) in fields.enumerated() {
            if c > 0 { line.append(UInt8(ascii: ",")) }
            if c < keys.count {
                line.append(contentsOf: keys[c])
            } else {
                Self.appendString(Array("column\(c + 1)".utf8)[...], to: &line)
                line.append(UInt8(ascii: ":"))
            }
            guard let field else {
                line.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
                continue
            }
            if c < numericColumns.count && numericColumns[c] && OutputText.isJSONNumber(field) {
                line.append(contentsOf: field)
            } else {
                Self.appendString(field, to: &line)
            }
        }
        line.append(UInt8(ascii: "}"))
        output.write(line)
        rowCount += 1
        if line.count > 4 * OutputSink.flushThreshold { line = [] }
    }

    mutating func end() {
        output.write(rowCount == 0 ? Array("]\n".utf8) : Array("\n]\n".utf8))
        output.flush()
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` as a quoted JSON string (RFC 8259); invalid UTF-8 becomes U+FFFD.
    static func appendString(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if bytes.contains(where: { $0 >= 0x80 }) {
            // Validate/repair UTF-8 (U+FFFD for invalid sequences), then escape.
            let repaired = String(decoding: bytes, as: UTF8.self)
            appendEscapedASCIIControls(Array(repaired.utf8)[...], to: &out)
        } else {
            appendEscapedASCIIControls(bytes, to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscapedASCIIControls(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var runStart = bytes.startIndex
        for i in bytes.indices {
            let b = bytes[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
            out.append(contentsOf: bytes[runStart..<i])
            runStart = i + 1
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        out.append(contentsOf: bytes[runStart..<bytes.endIndex])
    }
}
