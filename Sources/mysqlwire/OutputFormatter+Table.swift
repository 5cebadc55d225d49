// Table output like `mariadb --table`:
//
//   +----+-------+
//   | id | name  |
//   +----+-------+
//   |  1 | alice |
//   |  2 | NULL  |
//   +----+-------+
//
// The whole result set is BUFFERED (widths need every row); a result set with no rows prints
// nothing, as mariadb does. Differences from mariadb, on purpose: column widths are measured in
// terminal cells (mariadb uses bytes, which makes columns with multi-byte text too wide), and a
// column is only widened to 4 for "NULL" when a NULL actually occurs (mariadb also does it for
// every nullable column; the printer does not know column flags). Values are printed raw except
// NUL, which is printed as a space (as mariadb does); numeric columns are right-aligned,
// everything else (and every header) left-aligned. No "N rows in set" footer is printed.

struct TableResultPrinter: ResultPrinter {
    let output: OutputSink
    let numericColumns: [Bool]
    private var columns: [String] = []
    private var widths: [Int] = []
    /// All field bytes of all rows, back to back.
    private var storage: [UInt8] = []
    /// Per cell, row-major: end offset in `storage`, or -1 for NULL.
    private var cellEnds: [Int] = []
    /// Per cell: display width.
    private var cellWidths: [Int32] = []

    init(output: OutputSink, numericColumns: [Bool]) {
        self.output = output
        self.numericColumns = numericColumns
    }

    mutating func begin(columns: [String]) {
        self.columns = columns
        widths = columns.map { OutputText.displayWidth($0) }
        storage.removeAll()
        cellEnds.removeAll()
        cellWidths.removeAll()
    }

    mutating func row(_ fields: [ArraySlice<UInt8>?]) {
        for c in 0..<columns.count {
            let width: Int
            if c < fields.count, let v = fields[c] {
                storage.append(contentsOf: v)
                cellEnds.append(storage.count)
                width = OutputText.displayWidth(v)
            } else {
                cellEnds.append(-1)
                width = 4  // NULL
            }
            cellWidths.append(Int32(truncatingIfNeeded: width))
            if width > widths[c] { widths[c] = width }
        }
    }

    mutating func end() {
        defer {
            storage = []
            cellEnds = []
            cellWidths = []
        }
        let n = columns.count
        guard n > 0, !cellEnds.isEmpty else { return }

        var separator: [UInt8] = [UInt8(ascii: "+")]
        for w in widths {
            separator.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: w + 2))
            separator.append(UInt8(ascii: "+"))
        }
        separator.append(0x0A)

        var line: [UInt8] = []
        output.write(separator)
        line.append(UInt8(ascii: "|"))
        for (c, name) in columns.enumerated() {
            line.append(0x20)
            line.append(contentsOf: name.utf8)
            line.append(contentsOf: repeatElement(0x20, count: widths[c] - OutputText.displayWidth(name)))
            line.append(contentsOf: [0x20, UInt8(ascii: "|")])
        }
        line.append(0x0A)
        output.write(line)
        output.write(separator)

        let null: [UInt8] = Array("NULL".utf8)
        var start = 0
        var cell = 0
        while cell < cellEnds.count {
            line.removeAll(keepingCapacity: true)
            line.append(UInt8(ascii: "|"))
            for c in 0..<n {
                let end = cellEnds[cell]
                let pad = widths[c] - Int(cellWidths[cell])
                let right = c < numericColumns.count && numericColumns[c]
                line.append(0x20)
                if right { line.append(contentsOf: repeatElement(0x20, count: pad)) }
                if end < 0 {
                    line.append(contentsOf: null)
                } else {
                    for b in storage[start..<end] { line.append(b == 0 ? 0x20 : b) }
                    start = end
                }
                if !right { line.append(contentsOf: repeatElement(0x20, count: pad)) }
                line.append(contentsOf: [0x20, UInt8(ascii: "|")])
                cell += 1
            }
            line.append(0x0A)
            output.write(line)
        }
        output.write(separator)
        output.flush()
    }
}
