/// The response to COM_QUERY: for each result, an OK, an ERR, a LOCAL INFILE request, or a
/// column count, column definitions, [EOF], rows and a terminator; repeated while the server
/// says more results exist.
struct QueryStateMachine {
    enum Phase {
        case awaitingResult
        case columnDefinitions(expected: Int, columns: [MySQLColumn])
        case columnsEOF([MySQLColumn])
        case rows(columnCount: Int)
        /// We refused a LOCAL INFILE request with an empty packet; the server's OK/ERR follows.
        case localInfileRefused
    }

    /// A result set may have at most this many columns (MySQL and MariaDB allow 4096 per table;
    /// this leaves room for expressions while keeping a hostile count from allocating).
    static let maxColumnCount = 65_535

    var phase = Phase.awaitingResult
    let capabilities: MySQLCapabilities
    /// Rows are handed over once a batch holds this many bytes.
    let rowBatchBytes: Int
    var batch: RowBatchBuilder?

    init(capabilities: MySQLCapabilities, rowBatchBytes: Int) {
        self.capabilities = capabilities
        self.rowBatchBytes = rowBatchBytes
    }

    enum Step {
        case none
        case action(ConnectionAction)
        /// Refuse a LOCAL INFILE request: send this payload as the next packet.
        case sendPayload([UInt8])
        /// The command ended with this error; the connection is still in sync.
        case failed(MySQLError)
        /// The stream is broken.
        case fatal(MySQLError)
    }

    mutating func receive(_ payload: ArraySlice<UInt8>) -> Step {
        guard let header = payload.first else { return .fatal(.violation("empty packet in a query response")) }
        do throws(MySQLError) {
            switch phase {
            case .awaitingResult:
                switch header {
                case 0x00:
                    return try finishResult(OKPacket.parse(payload, capabilities: capabilities))
                case 0xFF:
                    return .failed(ErrorPacket.parse(payload, capabilities: capabilities).error)
                case 0xFB:
                    phase = .localInfileRefused
                    return .sendPayload([])
                default:
                    var r = ByteReader(payload, context: "column count")
                    let count = try r.readLengthEncodedInteger()
                    try r.expectEnd()
                    guard count > 0, count <= UInt64(Self.maxColumnCount) else {
                        throw .violation("column count \(count) is out of range (1...\(Self.maxColumnCount))")
                    }
                    var columns: [MySQLColumn] = []
                    columns.reserveCapacity(min(Int(count), 256))
                    phase = .columnDefinitions(expected: Int(count), columns: columns)
                    return .none
                }
            case .columnDefinitions(let expected, var columns):
                phase = .awaitingResult  // drop the array's second reference before appending
                columns.append(try MySQLColumn.parse(payload))
                if columns.count < expected {
                    phase = .columnDefinitions(expected: expected, columns: columns)
                    return .none
                }
                if capabilities.contains(.deprecateEOF) {
                    return startRows(columns)
                }
                phase = .columnsEOF(columns)
                return .none
            case .columnsEOF(let columns):
                guard header == 0xFE, payload.count < 9 else {
                    throw .violation(
                        "expected an EOF packet after the column definitions, got 0x\(String(header, radix: 16))")
                }
                _ = try EOFPacket.parse(payload)
                return startRows(columns)
            case .rows(let columnCount):
                if header == 0xFE && payload.count < maxPhysicalPayload {
                    let ok: OKPacket
                    if capabilities.contains(.deprecateEOF) {
                        ok = try OKPacket.parse(payload, capabilities: capabilities)
                    } else {
                        guard payload.count < 9 else {
                            throw .violation("row packet starts with 0xFE but is not a row")
                        }
                        let eof = try EOFPacket.parse(payload)
                        ok = OKPacket(status: eof.status, warnings: eof.warnings)
                    }
                    return finishResult(ok)
                }
                if header == 0xFF {
                    // An error mid-result (KILL QUERY, a runtime error): the command ends here.
                    batch = nil
                    return .failed(ErrorPacket.parse(payload, capabilities: capabilities).error)
                }
                if batch == nil {
                    batch = RowBatchBuilder(format: .text, columnCount: columnCount)
                }
                try batch!.appendTextRow(payload)
                if batch!.byteCount >= rowBatchBytes, let full = takeBatch() {
                    return .action(.deliverRows(full))
                }
                return .none
            case .localInfileRefused:
                let message =
                    "the server asked to read a local file (LOAD DATA LOCAL INFILE), which MySQLWire refuses: no file was read; load the data with INSERT statements instead"
                switch header {
                case 0x00:
                    let ok = try OKPacket.parse(payload, capabilities: capabilities)
                    phase = .awaitingResult
                    // Later results of a multi-statement would follow; a failed command must not leave them unread.
                    return ok.status.contains(.moreResultsExist)
                        ? .fatal(MySQLError(.invalidUsage, message)) : .failed(MySQLError(.invalidUsage, message))
                case 0xFF:
                    phase = .awaitingResult
                    return .failed(MySQLError(.invalidUsage, message))
                default:
                    throw .violation("unexpected packet 0x\(String(header, radix: 16)) after refusing LOCAL INFILE")
                }
            }
        } catch {
            return .fatal(error)
        }
    }

    private mutating func startRows(_ columns: [MySQLColumn]) -> Step {
        phase = .rows(columnCount: columns.count)
        return .action(.resultSetStarted(columns))
    }

    private mutating func finishResult(_ ok: OKPacket) -> Step {
        let more = ok.status.contains(.moreResultsExist)
        phase = .awaitingResult
        return .action(.resultSetEnded(rows: takeBatch(), ok: ok, moreResults: more))
    }

    mutating func takeBatch() -> RowBatch? {
        guard let builder = batch else { return nil }
        batch = nil
        return builder.isEmpty ? nil : builder.build()
    }
}
