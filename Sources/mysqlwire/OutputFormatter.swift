// Output formatting for the `mysqlwire` CLI: pure functions over column names and raw field
// bytes, no dependency on the rest of MySQLWire (stdlib + libc only).
//
// Usage (one printer per result set, because numericColumns differs per result set):
//
//     let out = OutputSink(fd: STDOUT_FILENO)            // one sink for the whole process
//     for each result set of each statement {
//         var p = makePrinter(.tsv, output: out, numericColumns: numeric)
//         p.begin(columns: names)                        // column names, in order
//         for each row { p.row(fields) }                 // nil = SQL NULL, bytes as received
//         p.end()                                        // flushes the sink
//     }
//     // statements without a result set (INSERT, SET, DO ...) print nothing at all
//     out.flush()                                        // before exit (also done by deinit)
//
// Formats:
//   tsv    byte-for-byte what `mariadb --batch` prints (see OutputFormatter+TSV.swift);
//          streaming; an empty result set prints nothing, not even the header.
//   table  like `mariadb --table`; buffers the whole result set to compute column widths;
//          an empty result set prints nothing (as mariadb does).
//   json   one JSON array of objects per result set (`[]` when empty), streaming.
//
// numericColumns[i] should be true for the types mariadb's IS_NUM() accepts: DECIMAL,
// NEWDECIMAL, TINY, SHORT, LONG, INT24, LONGLONG, FLOAT, DOUBLE, YEAR and NULL (not BIT,
// not TIMESTAMP). It right-aligns in table format and emits JSON numbers instead of strings.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum OutputFormat: String, CaseIterable {
    case table, tsv, json
}

/// Streaming result printer: `begin` once, `row` for every row as it arrives, `end` once.
protocol ResultPrinter {
    mutating func begin(columns: [String])
    /// `nil` is SQL NULL; other values are the raw bytes of the text-protocol field.
    mutating func row(_ fields: [ArraySlice<UInt8>?])
    mutating func end()
}

func makePrinter(_ format: OutputFormat, output: OutputSink, numericColumns: [Bool]) -> any ResultPrinter {
    switch format {
    case .tsv: return TSVResultPrinter(output: output)
    case .table: return TableResultPrinter(output: output, numericColumns: numericColumns)
    case .json: return JSONResultPrinter(output: output, numericColumns: numericColumns)
    }
}

// MARK: - OutputSink

/// Buffered writer to a file descriptor using write(2): flushes when 64 KiB are buffered,
/// on `flush()` and on deinit. Chunks of 64 KiB or more are written through without copying.
/// A failing write(2) (e.g. EPIPE, disk full) is remembered in `writeError` and all later
/// output is discarded; the caller can check `writeError` before exiting.
final class OutputSink {
    static let flushThreshold = 64 * 1024

    let fd: Int32
    private var buffer: [UInt8] = []
    /// errno of the first failed write(2); 0 while everything succeeded.
    private(set) var writeError: Int32 = 0

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.flushThreshold + 1024)
    }

    deinit { flush() }

    func write(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { append($0) }
        if done == nil {
            for b in bytes {
                buffer.append(b)
                if buffer.count >= Self.flushThreshold { flush() }
            }
        }
    }

    func write(_ string: String) {
        var s = string
        s.withUTF8 { append($0) }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        if chunk.count >= Self.flushThreshold {
            flush()
            writeAll(chunk)
            return
        }
        buffer.append(contentsOf: chunk)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard writeError == 0, var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = sysWrite(fd, p, left)
            if n > 0 {
                p += n
                left -= n
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, -1)
            } else {
                writeError = n < 0 ? errno : EIO
                return
            }
        }
    }
}

// File scope so that `write` means the libc function, not OutputSink.write.
private func sysWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, p, count)
}

// MARK: - shared helpers

enum OutputText {
    /// True when `bytes` is a JSON number (RFC 8259 grammar):
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`
    static func isJSONNumber(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        let end = bytes.endIndex
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if i < end && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if isDigit(bytes[i]) {
            while i < end && isDigit(bytes[i]) { i += 1 }
        } else {
            return false
        }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end && isDigit(bytes[i]) else { return false }
            while i < end && isDigit(bytes[i]) { i += 1 }
        }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < end && isDigit(bytes[i]) else { return false }
            while i < end && isDigit(bytes[i]) { i += 1 }
        }
        return i == end
    }

    /// Terminal cells needed to show `bytes` (UTF-8): East Asian wide/fullwidth characters and
    /// emoji count 2, combining marks / zero-width characters 0, everything else 1; every byte
    /// of an invalid UTF-8 sequence counts 1.
    static func displayWidth(_ bytes: ArraySlice<UInt8>) -> Int {
        var width = 0
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 {
                width += 1
                i += 1
                continue
            }
            var scalar: UInt32 = 0
            var len = 0
            if b0 & 0xE0 == 0xC0 {
                scalar = UInt32(b0 & 0x1F)
                len = 2
            } else if b0 & 0xF0 == 0xE0 {
                scalar = UInt32(b0 & 0x0F)
                len = 3
            } else if b0 & 0xF8 == 0xF0 {
                scalar = UInt32(b0 & 0x07)
                len = 4
            }
            var ok = len > 0 && end - i >= len
            if ok {
                for k in 1..<len {
                    let b = bytes[i + k]
                    if b & 0xC0 != 0x80 {
                        ok = false
                        break
                    }
                    scalar = scalar << 6 | UInt32(b & 0x3F)
                }
            }
            if ok {
                let minimum: UInt32 = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000
                ok = scalar >= minimum && scalar <= 0x10FFFF && !(0xD800...0xDFFF).contains(scalar)
            }
            if !ok {
                width += 1
                i += 1
                continue
            }
            width += scalarWidth(scalar)
            i += len
        }
        return width
    }

    static func displayWidth(_ string: String) -> Int {
        var width = 0
        for s in string.unicodeScalars {
            width += s.value < 0x80 ? 1 : scalarWidth(s.value)
        }
        return width
    }

    private static func scalarWidth(_ c: UInt32) -> Int {
        switch c {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
            0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F,
            0xFE20...0xFE2F, 0xFEFF, 0xE0100...0xE01EF:
            return 0
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
            0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
            0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18AFF, 0x1B000...0x1B2FF,
            0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F1E6...0x1F1FF, 0x1F200...0x1F251,
            0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF,
            0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
