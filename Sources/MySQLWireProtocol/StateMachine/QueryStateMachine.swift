/// The response to COM_QUERY or COM_STMT_EXECUTE: for each result, an OK, an ERR, a LOCAL
/// INFILE request, or a column count, column definitions, [EOF], rows and a terminator;
/// repeated while the server says more results exist. Text rows for COM_QUERY, binary rows
/// for COM_STMT_EXECUTE. With a cursor, the first terminator says the cursor exists and rows
/// come in answer to COM_STMT_FETCH, each answer ending with a terminator of its own.
struct QueryStateMachine {
    enum Phase {
        case awaitingResult
        /// Receiving column definitions; they accumulate in `definitions` (outside the enum, so
        /// each packet mutates them in place rather than moving them out of a payload and back).
        case columnDefinitions
        case columnsEOF(MySQLColumns)
        case rows(columnCount: Int)
        /// We refused a LOCAL INFILE request with an empty packet; the server's OK/ERR follows.
        case localInfileRefused
        /// A cursor is open and no COM_STMT_FETCH is in flight.
        case cursorOpen(columnCount: Int)
    }

    /// The column definitions of a result set as they arrive.
    struct ColumnDefinitions {
        let expected: Int
        var received = 0
        /// Every packet so far equals the cached shape's: nothing has been parsed yet.
        var matchingCache = true
        var columns: [MySQLColumn] = []
        /// The raw packets, kept for the cache; nil once the shape is too large to keep.
        var packets: [[UInt8]]? = []
        var packetBytes = 0
    }

    /// A result set may have at most this many columns (MySQL and MariaDB allow 4096 per table;
    /// this leaves room for expressions while keeping a hostile count from allocating).
    static let maxColumnCount = 65_535

    var phase = Phase.awaitingResult
    var definitions = ColumnDefinitions(expected: 0)
    let capabilities: MySQLCapabilities
    /// Rows are handed over once a batch holds this many bytes.
    let rowBatchBytes: Int
    var batch: RowBatchBuilder?
    let format: MySQLValueFormat
    /// For binary rows: how the current result set's values are laid out.
    var layout: BinaryRowLayout?
    /// COM_STMT_EXECUTE asked for a read-only cursor.
    let cursorRequested: Bool
    /// MARIADB_CLIENT_CACHE_METADATA was negotiated: every column count is followed by a
    /// metadata-follows byte, and 0 there means "the column definitions you already have".
    let metadataFollowsByte: Bool
    /// The statement's column definitions from its PREPARE or its last execution.
    let knownColumns: MySQLColumns?

    init(
        capabilities: MySQLCapabilities, rowBatchBytes: Int, format: MySQLValueFormat = .text,
        cursor: Bool = false, metadataFollowsByte: Bool = false, knownColumns: MySQLColumns? = nil
    ) {
        self.capabilities = capabilities
        self.rowBatchBytes = rowBatchBytes
        self.format = format
        self.cursorRequested = cursor
        self.metadataFollowsByte = metadataFollowsByte
        self.knownColumns = knownColumns
    }

    /// A cursor is open and waits for COM_STMT_FETCH.
    var isAwaitingFetch: Bool {
        if case .cursorOpen = phase { return true }
        return false
    }

    /// COM_STMT_FETCH was sent: its rows and terminator come next.
    mutating func fetchStarted() {
        guard case .cursorOpen(let columnCount) = phase else { return }
        phase = .rows(columnCount: columnCount)
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

    /// `columnCache` belongs to the connection: it outlives this query.
    mutating func receive(_ payload: ArraySlice<UInt8>, columnCache: inout ColumnDefinitionCache) -> Step {
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
                    let metadataFollows = metadataFollowsByte ? try r.readUInt8() : 1
                    try r.expectEnd()
                    guard count > 0, count <= UInt64(Self.maxColumnCount) else {
                        throw .violation("column count \(count) is out of range (1...\(Self.maxColumnCount))")
                    }
                    if metadataFollows == 0 {
                        // The server skipped definitions it knows we have (deprecate-EOF only:
                        // no EOF follows either).
                        guard let known = knownColumns, known.count == Int(count) else {
                            throw .violation(
                                "the server skipped the column definitions of a result with \(count) column(s), but none are known for it"
                            )
                        }
                        return startRows(known)
                    }
                    guard metadataFollows == 1 else {
                        throw .violation("metadata-follows byte is \(metadataFollows), expected 0 or 1")
                    }
                    definitions = ColumnDefinitions(expected: Int(count))
                    phase = .columnDefinitions
                    return .none
                }
            case .columnDefinitions:
                try Self.add(payload, to: &definitions, columnCache: &columnCache)
                if definitions.received < definitions.expected {
                    return .none
                }
                defer { definitions = ColumnDefinitions(expected: 0) }  // release the parsed copies
                let columns: MySQLColumns
                if definitions.matchingCache, let cached = columnCache.columns {
                    columns = cached
                } else {
                    columns = MySQLColumns(definitions.columns)
                    columnCache.store(packets: definitions.packets, columns: columns)
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
                let eof = try EOFPacket.parse(payload)
                let started = startRows(columns)
                if cursorRequested && eof.status.contains(.cursorExists) {
                    phase = .cursorOpen(columnCount: columns.count)
                }
                return started
            case .cursorOpen:
                throw .violation(
                    "unexpected packet 0x\(String(header, radix: 16)) while a cursor waits for COM_STMT_FETCH")
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
                    if cursorRequested && ok.status.contains(.cursorExists) && !ok.status.contains(.lastRowSent) {
                        // The cursor is open (or this fetch's rows are done): more rows on demand.
                        phase = .cursorOpen(columnCount: columnCount)
                        return .action(.cursorFetchNeeded(rows: takeBatch()))
                    }
                    return finishResult(ok)
                }
                if header == 0xFF {
                    // An error mid-result (KILL QUERY, a runtime error): the command ends here.
                    // The rows before it stay in `batch` for the consumer (`takeBatch`).
                    return .failed(ErrorPacket.parse(payload, capabilities: capabilities).error)
                }
                openBatch(columnCount: columnCount, capacity: payload.count)
                // `batch!` below: `openBatch` just made sure there is one (network bytes cannot unset it).
                if let layout {
                    try batch!.appendBinaryRow(payload, layout: layout)
                } else {
                    try batch!.appendTextRow(payload)
                }
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

    /// One column definition: compared with the cached shape while it matches, parsed otherwise.
    private static func add(
        _ payload: ArraySlice<UInt8>, to definitions: inout ColumnDefinitions,
        columnCache: inout ColumnDefinitionCache
    ) throws(MySQLError) {
        let index = definitions.received
        definitions.received += 1
        definitions.packetBytes += payload.count
        if definitions.matchingCache {
            if columnCache.matches(payload, at: index, count: definitions.expected) { return }
            // The shape diverges here: the packets before this one were the cached ones.
            definitions.matchingCache = false
            definitions.columns.reserveCapacity(min(definitions.expected, 256))
            definitions.columns.append(contentsOf: columnCache.prefix(index))
            definitions.packets?.append(contentsOf: columnCache.packets.prefix(index))
        }
        definitions.columns.append(try MySQLColumn.parse(payload))
        if definitions.packetBytes > ColumnDefinitionCache.maxCachedBytes {
            definitions.packets = nil  // too large to cache: stop keeping copies
        } else {
            definitions.packets?.append(Array(payload))
        }
    }

    /// The row fast path: appends consecutive text-row packets straight from the receive buffer,
    /// with no `Packet` and no `Step` per row. Returns rows when a batch is full; nil when it
    /// stopped at a packet for the general path (`receive`): the end of the result, an error,
    /// a split or incomplete packet, or anything wrong (a bad sequence id or row, which the
    /// general path then reports).
    mutating func receiveRows(from decoder: inout PacketDecoder, sequenceID: inout UInt8) -> ConnectionAction? {
        guard case .rows(let columnCount) = phase else { return nil }
        let limit = rowBatchBytes
        let buffered = decoder.bufferedByteCount
        // Sized for what is already buffered, so a batch rarely grows (and copies) while filling.
        openBatch(columnCount: columnCount, capacity: buffered)
        // `batch!` below: opened here, and only `takeBatch` (after the loop) sets it to nil.
        var full = false
        let layout = self.layout  // read once, not per row
        decoder.consumeSinglePackets { payload, packetSequenceID, stop in
            // 0xFE here is the terminator (a row starting with 0xFE is ≥ 16 MiB, hence split).
            guard packetSequenceID == sequenceID, let first = payload.first, first != 0xFE, first != 0xFF else {
                return false
            }
            do {
                if let layout {
                    try batch!.appendBinaryRow(payload, layout: layout)
                } else {
                    try batch!.appendTextRow(payload)
                }
            } catch {
                return false
            }
            if batch!.count == 1 {
                // The first row's size estimates how many more rows the buffer holds (none for
                // a point query: then nothing is reserved, which would only reallocate).
                let more = min(buffered, limit) / (payload.count + 4) - 1
                if more > 0 { batch!.reserveRows(more) }
            }
            sequenceID &+= 1
            if batch!.byteCount >= limit {
                full = true
                stop = true
            }
            return true
        }
        if full, let rows = takeBatch() { return .deliverRows(rows) }
        return nil
    }

    /// Starts a batch for the rows to come, unless one is filling; `capacity` bytes (at least
    /// 256, at most a batch) are reserved.
    private mutating func openBatch(columnCount: Int, capacity: Int) {
        if batch == nil {
            batch = RowBatchBuilder(
                format: format, columnCount: columnCount, capacity: min(max(capacity, 256), rowBatchBytes))
        }
    }

    private mutating func startRows(_ columns: MySQLColumns) -> Step {
        phase = .rows(columnCount: columns.count)
        if format == .binary { layout = BinaryRowLayout(columns) }
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
