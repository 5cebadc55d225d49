import Foundation
import Testing

@testable import MySQLWireProtocol

/// Replays the packets real MySQL 8.0–9.0 servers sent (`shared/traces/mysql8`, see its
/// README) through the protocol layer: the project's MySQL 8 compatibility evidence.
@Suite struct TraceReplayTests {
    static let traceFiles: [String] = TraceCase.all.map(\.file)

    /// Traces with a known password and a client side: how many client auth responses each
    /// holds (handshake response, switch responses, COM_CHANGE_USER).
    static let scrambleChecks: [String: Int] = [
        "deepflow-8.0.21-switch-native-sysvar-tracking.trace": 1,
        "zeek-8.0.32-authswitch-native-to-csha2-gtid-tracking.trace": 1,
        "zeek-8.0.32-empty-password-innodb-status-classic-eof.trace": 1,
        "zeek-8.4.2-native-switch-change-user-ok.trace": 4,
        "zeek-9.0.0-many-query-attrs-schema-tracking.trace": 1,
    ]

    enum HandshakeOutcome: Equatable {
        /// OK after authentication: the commands are replayed too.
        case established
        /// The machine stops with a clear authentication error (RSA key exchange over plain TCP).
        case authenticationRefused
        /// The trace ends after the greeting (or continues inside TLS).
        case handshakeResponseOnly
    }

    struct ReplayCase {
        var outcome: HandshakeOutcome
        /// COM_QUERY commands and simple commands (COM_PING) replayed after the handshake;
        /// other commands (COM_FIELD_LIST, COM_STATISTICS, COM_CHANGE_USER) are not machine
        /// requests and their responses are skipped.
        var queries = 0
        var simpleCommands = 0
        var skippedCommands = 0
    }

    static let replayCases: [String: ReplayCase] = [
        "deepflow-8.0.21-switch-native-sysvar-tracking.trace": ReplayCase(outcome: .established, queries: 5),
        "greeting-8.0.18-sqlx.trace": ReplayCase(outcome: .handshakeResponseOnly),
        "greeting-8.0.20-mysql-router-test.trace": ReplayCase(outcome: .handshakeResponseOnly),
        "greeting-8.4.11-binlog-streamer.trace": ReplayCase(outcome: .handshakeResponseOnly),
        "hoop-8.0.30-csha2-full-auth-rsa-server-side.trace": ReplayCase(outcome: .authenticationRefused),
        "zeek-8.0.21-native-selects-ok-terminators.trace": ReplayCase(outcome: .established, queries: 4),
        "zeek-8.0.28-rds-greeting-sslrequest.trace": ReplayCase(outcome: .handshakeResponseOnly),
        "zeek-8.0.32-authswitch-native-to-csha2-gtid-tracking.trace": ReplayCase(
            outcome: .established, queries: 3, skippedCommands: 1),
        "zeek-8.0.32-csha2-fast-auth.trace": ReplayCase(outcome: .established, queries: 3, skippedCommands: 1),
        "zeek-8.0.32-csha2-full-auth-rsa.trace": ReplayCase(outcome: .authenticationRefused),
        "zeek-8.0.32-empty-password-innodb-status-classic-eof.trace": ReplayCase(outcome: .established, queries: 2),
        "zeek-8.0.35-sha256-password-switch-rsa-err1045.trace": ReplayCase(outcome: .authenticationRefused),
        "zeek-8.4.2-native-switch-change-user-ok.trace": ReplayCase(
            outcome: .established, queries: 2, simpleCommands: 2, skippedCommands: 1),
        "zeek-9.0.0-many-query-attrs-schema-tracking.trace": ReplayCase(
            outcome: .established, queries: 4, skippedCommands: 38),
    ]

    static func load(_ file: String) throws -> (TraceFile, TraceConversation)? {
        guard TraceCorpus.available() else { return nil }
        guard let traceCase = TraceCase.named(file) else {
            Issue.record("no TraceCase for \(file)")
            return nil
        }
        let trace = try TraceCorpus.trace(file)
        return (trace, traceCase.conversation(trace))
    }

    static func scramble(plugin: String, password: String, nonce: [UInt8]) -> [UInt8]? {
        switch plugin {
        case "mysql_native_password": return AuthScramble.nativePassword(password: password, nonce: nonce)
        case "caching_sha2_password": return AuthScramble.cachingSHA2(password: password, nonce: nonce)
        default: return nil
        }
    }

    // MARK: The corpus

    @Test func corpusIsPresentAndEveryTraceHasExpectations() throws {
        guard TraceCorpus.available() else { return }
        #expect(try TraceCorpus.traceNames() == Self.traceFiles.sorted())
        #expect(try TraceCorpus.vectorFileNames() == ["vectors-boost-wireshark-scrambles.vectors"])
        #expect(Set(Self.replayCases.keys).isSubset(of: Set(Self.traceFiles)))
        #expect(Set(Self.scrambleChecks.keys).isSubset(of: Set(Self.traceFiles)))
    }

    @Test func factsAreParsed() throws {
        guard TraceCorpus.available() else { return }
        let empty = try TraceCorpus.trace("zeek-8.0.32-empty-password-innodb-status-classic-eof.trace")
        #expect(empty.password == "")
        let unknown = try TraceCorpus.trace("zeek-8.0.32-csha2-full-auth-rsa.trace")
        #expect(unknown.password == nil)
        #expect(unknown.facts["db"] == "test")
        let switched = try TraceCorpus.trace("zeek-8.0.32-authswitch-native-to-csha2-gtid-tracking.trace")
        #expect(switched.password == "root")
        #expect(switched.facts["expect-mismatch"] == "hsr")
        #expect(switched.facts["client"] == "python")
    }

    // MARK: 1. Every server packet parses as the comment says

    @Test(arguments: traceFiles)
    func serverPacketsParseAsRecorded(_ file: String) throws {
        guard let (trace, conversation) = try Self.load(file), let traceCase = TraceCase.named(file) else { return }
        for failure in conversation.failures {
            Issue.record("\(failure)")
        }
        // Every S line was classified and parsed by the decoder for its position.
        #expect(conversation.server.count == trace.serverPackets.count)
        let expected = traceCase.expected
        #expect(
            conversation.server.count == expected.count,
            "\(file): \(conversation.server.count) server packets, \(expected.count) expectations")
        for (packet, expectation) in zip(conversation.server, expected) {
            if let mismatch = expectation.mismatch(packet) {
                Issue.record(
                    "\(file):\(packet.line.lineNumber) (S \(packet.line.sequenceID)): \(mismatch) — comment: \(packet.line.comment.prefix(160))"
                )
            }
        }
    }

    /// The client side parses too, and agrees with the facts.
    @Test(arguments: traceFiles)
    func clientPacketsParse(_ file: String) throws {
        guard let (trace, conversation) = try Self.load(file) else { return }
        #expect(conversation.failures.isEmpty)
        #expect(conversation.client.count == trace.clientPackets.count)
        if let response = conversation.handshakeResponse {
            #expect(response.username == trace.facts["user"])
            if let database = trace.facts["db"] {
                #expect(response.database == database)
            }
            #expect(response.capabilities.contains([.protocol41, .secureConnection, .pluginAuth]))
            #expect(response.pluginName == "mysql_native_password" || response.pluginName == "caching_sha2_password")
        }
        for case .sslRequest(let caps) in conversation.client.map(\.packet) {
            #expect(caps.rawValue == 0x20ff_ae85)
            #expect(caps.contains([.ssl, .protocol41, .secureConnection]))
        }
    }

    @Test func queryAttributesOfMySQL9() throws {
        guard let (_, conversation) = try Self.load("zeek-9.0.0-many-query-attrs-schema-tracking.trace") else { return }
        #expect(conversation.negotiated.contains(.queryAttributes))
        let commands = conversation.client.compactMap { line -> TraceCommand? in
            if case .command(let command) = line.packet, command.code == .query { return command }
            return nil
        }
        #expect(commands.count == 4)
        #expect(
            commands.prefix(3).map(\.text) == ["show databases", "show tables", "select @@version_comment limit 1"])
        #expect(commands.prefix(3).allSatisfy { $0.queryAttributes.isEmpty })
        let last = try #require(commands.last)
        #expect(
            last.text?.hasPrefix("SELECT mysql_query_attribute_string('n1'), mysql_query_attribute_string('n2')")
                == true)
        #expect(last.queryAttributes.count == 12)
        #expect(last.queryAttributes.first?.name == "n1")
        #expect(last.queryAttributes.first?.value == Array("42".utf8))
        #expect(last.queryAttributes.dropFirst().first?.value == Array("v2".utf8))
    }

    // MARK: 2. Scrambles

    @Test(arguments: scrambleChecks.keys.sorted())
    func scramblesMatchTheRecordedClient(_ file: String) throws {
        guard let (trace, conversation) = try Self.load(file) else { return }
        let greeting = try #require(conversation.greeting)
        var password = try #require(trace.password)
        let offset = Int(trace.facts["switch-response-offset"] ?? "0") ?? 0
        let hsrMismatchExpected = trace.facts["expect-mismatch"] == "hsr"
        let serverByLine = Dictionary(uniqueKeysWithValues: conversation.server.map { ($0.line.lineNumber, $0) })
        let clientByLine = Dictionary(uniqueKeysWithValues: conversation.client.map { ($0.line.lineNumber, $0) })
        var nonce = greeting.nonce
        var plugin = greeting.authPluginName
        var awaitingSwitchResponse = false
        var comparisons = 0
        for line in trace.lines {
            if let server = serverByLine[line.lineNumber], case .authSwitch(let request) = server.parsed {
                plugin = request.pluginName
                nonce = request.pluginData
                awaitingSwitchResponse = true
                #expect(nonce.count == 20)
            }
            guard let client = clientByLine[line.lineNumber] else { continue }
            switch client.packet {
            case .handshakeResponse(let response):
                plugin = response.pluginName ?? plugin
                let expected = try #require(Self.scramble(plugin: plugin, password: password, nonce: nonce))
                if hsrMismatchExpected {
                    #expect(response.authResponse != expected, "expect-mismatch=hsr, yet the response is the scramble")
                } else {
                    #expect(
                        response.authResponse == expected, "\(file):\(line.lineNumber): handshake response scramble")
                    comparisons += 1
                }
            case .authData(let data) where awaitingSwitchResponse:
                awaitingSwitchResponse = false
                let expected = try #require(Self.scramble(plugin: plugin, password: password, nonce: nonce))
                #expect(
                    Array(data.dropFirst(offset)) == expected, "\(file):\(line.lineNumber): switch response scramble")
                comparisons += 1
            case .command(let command) where command.code == .changeUser:
                let changeUser = try #require(command.changeUser)
                password = trace.facts["change-user-password"] ?? password
                #expect(changeUser.username == trace.facts["change-user-user"])
                plugin = changeUser.pluginName
                let expected = try #require(Self.scramble(plugin: plugin, password: password, nonce: nonce))
                #expect(changeUser.authResponse == expected, "\(file):\(line.lineNumber): COM_CHANGE_USER scramble")
                comparisons += 1
            default:
                break
            }
        }
        #expect(comparisons == Self.scrambleChecks[file])
    }

    @Test func scrambleVectors() throws {
        guard TraceCorpus.available() else { return }
        let vectors = try ScrambleVector.parseFile(
            TraceCorpus.text("vectors-boost-wireshark-scrambles.vectors"),
            name: "vectors-boost-wireshark-scrambles.vectors")
        #expect(vectors.count == 4)
        for vector in vectors {
            #expect(vector.nonce.count == 20)
            let computed = Self.scramble(plugin: vector.plugin, password: vector.password, nonce: vector.nonce)
            #expect(
                computed == vector.response, "vectors line \(vector.lineNumber): \(vector.plugin) \(vector.password)")
        }
    }

    // MARK: 3. Conversation replay through ConnectionStateMachine

    @Test(arguments: replayCases.keys.sorted(), [256 * 1024, 1])
    func connectionStateMachineReplay(_ file: String, rowBatchBytes: Int) throws {
        guard let (trace, conversation) = try Self.load(file) else { return }
        let replay = try #require(Self.replayCases[file])
        let greeting = try #require(conversation.greeting)
        let password = trace.password ?? "placeholder-password"
        var settings = ConnectionSettings(
            username: trace.facts["user"] ?? "root", password: password, database: trace.facts["db"])
        settings.connectionAttributes = []
        settings.rowBatchBytes = rowBatchBytes
        var machine = ConnectionStateMachine(settings: settings)
        #expect(machine.connected().isNoAction)
        let serverByLine = Dictionary(uniqueKeysWithValues: conversation.server.map { ($0.line.lineNumber, $0) })
        let lines = trace.lines

        // The greeting: answered with a handshake response carrying the scramble of the nonce.
        let greetingLine = lines[0]
        #expect(greetingLine.direction == .server && greetingLine.sequenceID == 0)
        guard case .write(let bytes) = machine.packetReceived(Packet(sequenceID: 0, payload: greetingLine.payload[...]))
        else {
            Issue.record("\(file): the greeting was not answered with a handshake response")
            return
        }
        let written = try traceUnframe(bytes)
        #expect(written.count == 1 && written.first?.sequenceID == 1)
        let response = try TraceHandshakeResponse.parse(try #require(written.first).payload)
        #expect(response.username == settings.username)
        #expect(response.database == settings.database)
        var plugin = greeting.authPluginName
        #expect(response.pluginName == plugin)
        #expect(response.authResponse == Self.scramble(plugin: plugin, password: password, nonce: greeting.nonce))
        #expect(!response.capabilities.contains(.ssl))

        // Authentication: the server's packets up to the first command.
        var outcome = HandshakeOutcome.handshakeResponseOnly
        var index = 1
        authentication: while index < lines.count {
            let line = lines[index]
            if line.direction == .client && line.sequenceID == 0 { break }
            index += 1
            guard line.direction == .server, let server = serverByLine[line.lineNumber] else { continue }
            let action = machine.packetReceived(Packet(sequenceID: line.sequenceID, payload: line.payload[...]))
            let at = "\(file):\(line.lineNumber)"
            switch server.parsed {
            case .authSwitch(let request):
                plugin = request.pluginName
                if let expected = Self.scramble(plugin: plugin, password: password, nonce: request.pluginData) {
                    guard case .write(let bytes) = action else {
                        Issue.record("\(at): the auth switch was not answered: \(action)")
                        return
                    }
                    let answer = try traceUnframe(bytes)
                    #expect(answer.count == 1 && answer.first?.sequenceID == line.sequenceID &+ 1)
                    #expect(answer.first?.payload == expected, "\(at): switch answered with the wrong scramble")
                    // Where the password is known, the answer is byte for byte what the real client sent.
                    if trace.password != nil, index < lines.count, lines[index].direction == .client {
                        #expect(
                            answer.first?.payload == lines[index].payload, "\(at): differs from the recorded client")
                    }
                } else {
                    // sha256_password over plain TCP needs RSA: refused clearly for now.
                    expectAuthenticationRefused(action, at: at)
                    outcome = .authenticationRefused
                    break authentication
                }
            case .authMoreData(let data) where data == [0x03]:
                #expect(action.isNoAction, "\(at): fast-auth success must wait for the OK")
            case .authMoreData(let data) where data == [0x04]:
                // caching_sha2 full authentication over plain TCP: RSA is not implemented yet.
                expectAuthenticationRefused(action, at: at)
                outcome = .authenticationRefused
                break authentication
            case .ok(let ok, _):
                guard case .established(let info) = action else {
                    Issue.record("\(at): OK did not establish the connection: \(action)")
                    return
                }
                #expect(info.connectionID == greeting.connectionID)
                #expect(info.serverVersion == greeting.serverVersion)
                #expect(info.flavor.vendor == .mysql)
                #expect(info.authPluginName == plugin)
                #expect(info.status == ok.status)
                #expect(machine.isReady)
                outcome = .established
            case .error(let err):
                guard case .closeWithError(let error) = action else {
                    Issue.record("\(at): ERR did not close the connection: \(action)")
                    return
                }
                #expect(error.kind == .server(code: err.code, sqlState: err.sqlState))
                break authentication
            default:
                Issue.record("\(at): unexpected \(server.kind) during authentication")
            }
        }
        #expect(outcome == replay.outcome, "\(file): handshake outcome")
        guard outcome == .established else { return }

        // The server framed its results for the recorded client's flags; make the machine
        // expect the same (DEPRECATE_EOF decides between classic EOF and 0xFE OK packets).
        let framing: MySQLCapabilities = [.deprecateEOF, .sessionTrack]
        machine.capabilities.subtract(framing)
        machine.capabilities.formUnion(conversation.negotiated.intersection(framing))

        var queries = 0
        var simpleCommands = 0
        var skipped = 0
        while index < lines.count {
            let commandLine = lines[index]
            index += 1
            var responses: [TraceConversation.ServerPacket] = []
            while index < lines.count, !(lines[index].direction == .client && lines[index].sequenceID == 0) {
                if let server = serverByLine[lines[index].lineNumber] { responses.append(server) }
                index += 1
            }
            let command = try TraceCommand.parse(commandLine.payload, capabilities: conversation.negotiated)
            let at = "\(file):\(commandLine.lineNumber)"
            switch command.code {
            case .query:
                queries += 1
                let sql = try #require(command.text)
                guard case .write(let bytes) = machine.startQuery(sql) else {
                    Issue.record("\(at): startQuery did not write")
                    return
                }
                #expect(try traceUnframe(bytes).map(\.payload) == [[0x03] + Array(sql.utf8)])
                try replayQueryResponse(&machine, responses, at: at)
            case .ping:
                simpleCommands += 1
                guard case .write(let bytes) = machine.startSimpleCommand(.ping) else {
                    Issue.record("\(at): startSimpleCommand did not write")
                    return
                }
                #expect(bytes == [1, 0, 0, 0, 0x0E])
                #expect(responses.count == 1)
                for response in responses {
                    let action = machine.packetReceived(
                        Packet(sequenceID: response.line.sequenceID, payload: response.line.payload[...]))
                    guard case .commandSucceeded(let ok) = action, case .ok(let expected, _) = response.parsed else {
                        Issue.record("\(at): ping: \(action)")
                        return
                    }
                    #expect(ok == expected)
                }
            case .quit:
                guard case .writeAndClose(let bytes) = machine.close() else {
                    Issue.record("\(at): close did not send COM_QUIT")
                    return
                }
                #expect(bytes == [1, 0, 0, 0, 0x01])
                #expect(responses.isEmpty)
                #expect(machine.isClosed)
            default:
                skipped += 1
            }
        }
        #expect(queries == replay.queries, "\(file): COM_QUERY commands replayed")
        #expect(simpleCommands == replay.simpleCommands, "\(file): simple commands replayed")
        #expect(skipped == replay.skippedCommands, "\(file): commands skipped")
    }

    private func expectAuthenticationRefused(_ action: ConnectionAction, at: String) {
        guard case .closeWithError(let error) = action else {
            Issue.record("\(at): expected a clear authentication error, got \(action)")
            return
        }
        #expect(error.kind == .authentication)
        #expect(error.message.contains("TLS"), "\(at): \(error.message)")
    }

    /// Feeds one command's response and checks the actions: columns, every row's values and
    /// the final OK/EOF, as the reference reading of the trace parsed them.
    private func replayQueryResponse(
        _ machine: inout ConnectionStateMachine, _ responses: [TraceConversation.ServerPacket], at: String
    ) throws {
        var expectedColumns: [MySQLColumn] = []
        var expectedRows: [[String?]] = []
        var expectedEnd: MySQLServerStatus?
        for response in responses {
            switch response.parsed {
            case .column(let column, _): expectedColumns.append(column)
            case .textRow(let values): expectedRows.append(values)
            default: break
            }
        }
        // The last packet ends the command: an OK (0x00 or 0xFE) or a classic EOF.
        switch responses.last?.parsed {
        case .ok(let ok, _)?: expectedEnd = ok.status
        case .eof(let eof)?: expectedEnd = eof.status
        default: Issue.record("\(at): the response does not end with OK or EOF")
        }
        var startedColumns: [MySQLColumn]?
        var rows: [[String?]] = []
        var ended: OKPacket?
        func collect(_ batch: RowBatch) {
            for row in 0..<batch.count {
                rows.append(
                    (0..<batch.columnCount).map { column in
                        batch.value(row: row, column: column).map { String(decoding: $0, as: UTF8.self) }
                    })
            }
        }
        for (position, response) in responses.enumerated() {
            let action = machine.packetReceived(
                Packet(sequenceID: response.line.sequenceID, payload: response.line.payload[...]))
            let isLast = position == responses.count - 1
            switch action {
            case .none:
                break
            case .resultSetStarted(let columns):
                #expect(startedColumns == nil, "\(at): a second result set started")
                startedColumns = columns.definitions
            case .deliverRows(let batch):
                collect(batch)
            case .resultSetEnded(let batch, let ok, let moreResults):
                if let batch { collect(batch) }
                ended = ok
                #expect(!moreResults)
                #expect(isLast, "\(at): the result ended before its last packet")
            default:
                Issue.record("\(at):\(response.line.lineNumber): unexpected action \(action)")
                return
            }
        }
        if case .none = machine.readComplete() {} else { Issue.record("\(at): rows left after the end") }
        #expect((startedColumns ?? []) == expectedColumns, "\(at): columns")
        #expect(rows == expectedRows, "\(at): rows")
        #expect(ended?.status == expectedEnd, "\(at): final status")
        #expect(machine.isReady)
    }

    /// The one trace of a result set without its request or greeting (ilogtail): the query
    /// machine alone, with the recorded client's flags (no DEPRECATE_EOF: two classic EOFs).
    @Test func queryStateMachineWithClassicEOFAndJSONColumns() throws {
        guard let (trace, conversation) = try Self.load("ilogtail-8.x-resultset-json-columns-empty.trace") else {
            return
        }
        var query = QueryStateMachine(
            capabilities: TraceCase.classicClient,
            rowBatchBytes: ConnectionSettings(username: "u", password: "").rowBatchBytes)
        var columns: [MySQLColumn] = []
        for case .column(let column, _) in conversation.server.map(\.parsed) { columns.append(column) }
        #expect(columns.count == 10)
        #expect(columns.filter { $0.type == .json && $0.isBinary }.map(\.name) == ["SourceTypes", "SinkTypes", "Tags"])
        let lines = trace.serverPackets
        var cache = ColumnDefinitionCache()
        for (position, line) in lines.enumerated() {
            let step = query.receive(line.payload[...], columnCache: &cache)
            switch (position, step) {
            case (0...10, .none):
                break
            case (11, .action(.resultSetStarted(let started))):
                #expect(started.definitions == columns)
            case (12, .action(.resultSetEnded(let rows, let ok, let more))):
                #expect(rows == nil)
                #expect(ok.status.rawValue == 0x0022)
                #expect(!more)
            default:
                Issue.record("packet \(position) (line \(line.lineNumber)): unexpected step \(step)")
            }
        }
    }

    // MARK: 4. The packet decoder over re-framed traces

    @Test(arguments: traceFiles)
    func packetDecoderReassemblesTheTrace(_ file: String) throws {
        guard let (trace, _) = try Self.load(file) else { return }
        var framed: [UInt8] = []
        for line in trace.lines {
            var sequenceID = line.sequenceID
            framed += PacketEncoder.frame(line.payload, sequenceID: &sequenceID)
        }
        let expected = trace.lines.map { TraceUnframed(sequenceID: $0.sequenceID, payload: $0.payload) }
        var random = TraceRandom(seed: UInt64(framed.count))
        let randomSizes = (0..<framed.count).map { _ in Int(random.next() % 300) + 1 }
        let schedules: [(String, (Int) -> Int)] = [
            ("1-byte", { _ in 1 }),
            ("7-byte", { _ in 7 }),
            ("whole", { _ in framed.count }),
            ("random", { randomSizes[$0 % randomSizes.count] }),
        ]
        for (name, size) in schedules {
            for viaWritableSpace in [false, true] {
                var decoder = PacketDecoder(initialCapacity: viaWritableSpace ? 16 : 64 * 1024)
                var packets: [TraceUnframed] = []
                var offset = 0
                var chunk = 0
                while offset < framed.count {
                    let count = min(size(chunk), framed.count - offset)
                    chunk += 1
                    let piece = framed[offset..<(offset + count)]
                    if viaWritableSpace {
                        let written = decoder.withWritableSpace(minimum: 1) { buffer in
                            let n = min(buffer.count, piece.count)
                            buffer.copyBytes(from: piece.prefix(n))
                            return n
                        }
                        offset += written
                    } else {
                        decoder.append(piece)
                        offset += count
                    }
                    while let packet = try decoder.next() {
                        #expect(packet.sequenceID == packet.lastSequenceID)
                        packets.append(TraceUnframed(sequenceID: packet.sequenceID, payload: Array(packet.payload)))
                    }
                }
                #expect(
                    packets == expected, "\(file): \(name) chunks\(viaWritableSpace ? " via withWritableSpace" : "")")
                #expect(decoder.isEmpty)
                #expect(decoder.bufferedByteCount == 0)
            }
        }
    }
}

struct TraceUnframed: Equatable {
    var sequenceID: UInt8
    var payload: [UInt8]
}

/// Every packet in framed bytes (what a state machine asked to write).
func traceUnframe(_ bytes: [UInt8]) throws -> [TraceUnframed] {
    var packets: [TraceUnframed] = []
    var r = ByteReader(bytes[...], context: "written bytes")
    while !r.isAtEnd {
        let length = Int(try r.readUInt24())
        let sequenceID = try r.readUInt8()
        packets.append(TraceUnframed(sequenceID: sequenceID, payload: Array(try r.readBytes(length))))
    }
    return packets
}

/// SplitMix64: reproducible chunk sizes.
struct TraceRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ConnectionAction {
    var isNoAction: Bool {
        if case .none = self { return true }
        return false
    }
}
