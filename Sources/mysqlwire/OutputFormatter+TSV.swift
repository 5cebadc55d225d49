// TSV output, byte-for-byte compatible with `mariadb --batch` (MariaDB 10.11 client,
// print_tab_data + safe_put_field in client/mysql.cc), verified against the real client:
//
//   * An empty result set prints NOTHING (not even the header): the client only prints a
//     result when it has rows. Hence the header is written lazily, before the first row.
//   * Header: column names separated by TAB, then LF. Names are written RAW (no escaping at
//     all, a TAB or LF inside a name is printed as is); the client stops at a NUL byte
//     (C string), so the name is cut at the first NUL. (The server already sends a NUL in
//     an alias as the four characters `\x00`, and non-BMP characters in names as `?`.)
//   * Rows: fields separated by TAB, each row terminated by LF; SQL NULL is `NULL`.
//   * Field bytes: NUL -> `\0`, TAB -> `\t`, LF -> `\n`, backslash -> `\\`; every other byte
//     (CR, other control characters, DEL, invalid UTF-8, binary) is written unchanged.
//     (The client skips over valid multi-byte characters of the connection character set, but
//     for utf8mb4 no byte of a multi-byte character is < 0x80, so a byte-wise escape is exact.)
//   * Statements without a result set print nothing; several result sets are printed one
//     after the other with nothing in between.

struct TSVResultPrinter: ResultPrinter {
    let output: OutputSink
    private var header: [UInt8] = []
    private var headerWritten = false
    private var line: [UInt8] = []

    init(output: OutputSink) {
        self.output = output
    }

    mutating func begin(columns: [String]) {
        header.removeAll(keepingCapacity: true)
        for (i, name) in columns.enumerated() {
            if i > 0 { header.append(0x09) }
            for b in name.utf8 {
                if b == 0 { break }
                header.append(b)
            }
        }
        header.append(0x0A)
        headerWritten = false
    }

    mutating func row(_ fields: [ArraySlice<UInt8>?]) {
        if !headerWritten {
            output.write(header)
            headerWritten = true
        }
        line.removeAll(keepingCapacity: true)
        for (i, field) in fields.enumerated() {
            if i > 0 { line.append(0x09) }
            if let field {
                Self.appendEscaped(field, to: &line)
            } else {
                line.append(contentsOf: [0x4E, 0x55, 0x4C, 0x4C])  // NULL
            }
        }
        line.append(0x0A)
        output.write(line)
        if line.count > 4 * OutputSink.flushThreshold {
            // don't keep a huge scratch buffer around after one big value
            line = []
        }
    }

    mutating func end() {
        output.flush()
    }

    /// Appends `field` with mariadb --batch escaping: NUL `\0`, TAB `\t`, LF `\n`, `\` `\\`.
    static func appendEscaped(_ field: ArraySlice<UInt8>, to out: inout [UInt8]) {
        field.withUnsafeBufferPointer { src in
            var runStart = 0
            for i in 0..<src.count {
                let b = src[i]
                if b > 0x5C || (b > 0x0A && b != 0x5C) { continue }
                let escaped: UInt8
                switch b {
                case 0x00: escaped = UInt8(ascii: "0")
                case 0x09: escaped = UInt8(ascii: "t")
                case 0x0A: escaped = UInt8(ascii: "n")
                case 0x5C: escaped = UInt8(ascii: "\\")
                default: continue
                }
                if runStart < i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: src[runStart..<i]))
                }
                out.append(0x5C)
                out.append(escaped)
                runStart = i + 1
            }
            if runStart < src.count {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: src[runStart..<src.count]))
            }
        }
    }
}
