import Testing

@testable import MySQLWireProtocol

/// `processPackets` reads consecutive row packets straight from the receive buffer (the row
/// fast path) and leaves everything else to the general path. These feed whole responses
/// through it and check that rows, errors and sequence ids come out exactly as the general
/// path gives them one packet at a time.
@Suite struct RowFastPathTests {
    struct Outcome: Equatable {
        var rows: [[String?]] = []
        var batches = 0
        var ended = false
        var failure: String?
    }

    /// A COM_QUERY response: column count, `columns` definitions, then `body` (packets after
    /// the definitions), each framed with consecutive sequence ids from 1 unless given.
    static func response(columns: Int, body: [[UInt8]], sequenceIDs: [UInt8]? = nil) -> [UInt8] {
        var payloads: [[UInt8]] = [ServerPackets.columnCount(UInt64(columns))]
        payloads += (0..<columns).map { ServerPackets.column("c\($0)") }
        payloads += body
        var wire: [UInt8] = []
        for (i, payload) in payloads.enumerated() {
            var seq = sequenceIDs?[i] ?? UInt8(truncatingIfNeeded: i + 1)
            wire += PacketEncoder.frame(payload, sequenceID: &seq)
        }
        return wire
    }

    /// Feeds `wire` in chunks of `chunk` bytes through `processPackets` as the connection does.
    static func run(_ wire: [UInt8], chunk: Int, rowBatchBytes: Int = 256 * 1024) -> Outcome {
        var c = Conversation(configure: { $0.rowBatchBytes = rowBatchBytes })
        c.login()
        _ = c.machine.startQuery("SELECT")
        var decoder = PacketDecoder()
        var outcome = Outcome()
        func take(_ batch: RowBatch?) {
            guard let batch else { return }
            outcome.batches += 1
            for r in 0..<batch.count {
                outcome.rows.append(
                    (0..<batch.columnCount).map { col in
                        batch.value(row: r, column: col).map { String(decoding: $0, as: UTF8.self) }
                    })
            }
        }
        var offset = 0
        feeding: while offset < wire.count {
            let end = min(wire.count, offset + chunk)
            decoder.append(wire[offset..<end])
            offset = end
            while let action = c.machine.processPackets(from: &decoder) {
                switch action {
                case .deliverRows(let batch): take(batch)
                case .resultSetEnded(let batch, _, _):
                    take(batch)
                    outcome.ended = true
                case .closeWithError(let error):
                    outcome.failure = error.message
                    break feeding
                case .commandFailed(let error):
                    take(c.machine.takeRowsBeforeFailure())
                    outcome.failure = error.message
                case .resultSetStarted, .none: break
                default: outcome.failure = "unexpected \(action)"
                }
            }
            if case .deliverRows(let batch) = c.machine.readComplete() { take(batch) }
        }
        return outcome
    }

    static let rows: [[String?]] = (0..<300).map {
        ["\($0)", $0 % 7 == 0 ? nil : String(repeating: "x", count: $0 % 40)]
    }

    @Test(arguments: [1, 3, 17, 100, 4096, 1 << 20])
    func rowsArriveWholeAndInOrderWhateverTheReadSize(chunk: Int) {
        let wire = Self.response(columns: 2, body: Self.rows.map(ServerPackets.row) + [ServerPackets.ok(header: 0xFE)])
        let outcome = Self.run(wire, chunk: chunk)
        #expect(outcome.failure == nil)
        #expect(outcome.ended)
        #expect(outcome.rows == Self.rows)
    }

    @Test func aFullBatchIsHandedOverAndTheRestFollows() {
        let wire = Self.response(columns: 2, body: Self.rows.map(ServerPackets.row) + [ServerPackets.ok(header: 0xFE)])
        let outcome = Self.run(wire, chunk: 1 << 20, rowBatchBytes: 512)
        #expect(outcome.rows == Self.rows)
        #expect(outcome.batches > 5)
        #expect(outcome.ended)
    }

    @Test func aWrongSequenceIdAmongRowsIsAViolationAfterTheRowsBeforeIt() {
        var ids = (1...(3 + 10 + 1)).map { UInt8($0) }
        ids[3 + 5] = 99  // the sixth row
        let body = Self.rows.prefix(10).map(ServerPackets.row) + [ServerPackets.ok(header: 0xFE)]
        let outcome = Self.run(Self.response(columns: 2, body: body, sequenceIDs: ids), chunk: 1 << 20)
        #expect(outcome.failure?.contains("sequence id 99") == true)
        #expect(!outcome.ended)
    }

    @Test func aMalformedRowAmongGoodOnesIsAViolation() {
        var body = Self.rows.prefix(10).map(ServerPackets.row)
        body[4] = [0x05, 0x61]  // claims 5 bytes, has 1
        body.append(ServerPackets.ok(header: 0xFE))
        let outcome = Self.run(Self.response(columns: 2, body: body), chunk: 1 << 20)
        #expect(outcome.failure?.contains("runs past the end of the row") == true)
        #expect(!outcome.ended)
    }

    @Test func anErrorAfterSomeRowsEndsTheCommand() {
        var w = ByteWriter()
        w.writeUInt8(0xFF)
        w.writeUInt16(1317)
        w.writeBytes(Array("#70100Query execution was interrupted".utf8))
        let body = Self.rows.prefix(20).map(ServerPackets.row) + [w.bytes]
        let outcome = Self.run(Self.response(columns: 2, body: body), chunk: 1 << 20)
        #expect(outcome.rows == Array(Self.rows.prefix(20)))
        #expect(outcome.failure == "Query execution was interrupted")
    }

    @Test func aRowSplitOverTwoPacketsSitsBetweenOrdinaryRows() {
        let big = String(repeating: "b", count: 0xFF_FFFF + 10)
        let body =
            [ServerPackets.row(["1", "a"]), ServerPackets.row(["2", big]), ServerPackets.row(["3", nil])]
            + [ServerPackets.ok(header: 0xFE)]
        // PacketEncoder splits the big row; frame by hand to keep the ids consecutive.
        var payloads: [[UInt8]] = [ServerPackets.columnCount(2), ServerPackets.column("a"), ServerPackets.column("b")]
        payloads += body
        var wire: [UInt8] = []
        var seq: UInt8 = 1
        for payload in payloads { wire += PacketEncoder.frame(payload, sequenceID: &seq) }
        let outcome = Self.run(wire, chunk: 1 << 16)
        #expect(outcome.failure == nil)
        #expect(outcome.rows.map { $0[0] } == ["1", "2", "3"])
        #expect(outcome.rows[1][1]?.utf8.count == big.utf8.count)
        #expect(outcome.ended)
    }
}

/// The eight-digits-at-once parser against the one-digit loop, on every position of a digit
/// run and on every kind of byte that is not a digit.
@Suite struct EightDigitsTests {
    static func naive(_ bytes: [UInt8]) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value
    }

    @Test func agreesWithTheDigitLoop() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt8]] = [
            Array("00000000".utf8), Array("99999999".utf8), Array("00000001".utf8), Array("10000000".utf8),
            Array("12345678".utf8), Array("0000/000".utf8), Array("0000:000".utf8), Array("1234567.".utf8),
            Array("-1234567".utf8), Array("1234e567".utf8),
        ]
        for _ in 0..<20_000 {
            var bytes = (0..<8).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
            if Bool.random(using: &generator) {
                bytes[Int.random(in: 0..<8, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            cases.append(bytes)
        }
        for bytes in cases {
            let parsed = bytes.withUnsafeBytes { EightDigits.parse($0.baseAddress!) }
            #expect(parsed?.value == Self.naive(bytes), "\(bytes)")
            if let parsed {
                #expect(parsed.leadingZeros == (bytes.firstIndex { $0 != 0x30 } ?? 8), "\(bytes)")
            }
        }
    }

    @Test func doublesWithLongDigitRunsAreExact() {
        for text in [
            "-999.6816901138162", "0.00000001234", "123456789012345678", "1234567890123456789012",
            "0.1234567890123456789", "00000000.00000000", "98765432.12345678e-3", "-0.000000000000000000001",
        ] {
            #expect(FloatingPointText.double(Array(text.utf8)[...]) == Double(text), "\(text)")
        }
    }
}
