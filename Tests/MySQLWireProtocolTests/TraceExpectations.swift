@testable import MySQLWireProtocol

/// What one server packet of a trace must parse to. The values are those of the trace
/// comments (the trace authors' decoding, made with tshark or by the source project), written
/// out here; where a comment abbreviates (long rows, auth data), the full value was decoded
/// by hand from the hex.
enum ExpectedPacket {
    case greeting(
        version: String, connectionID: UInt32, capabilities: UInt32, charset: UInt8, status: UInt16, plugin: String,
        nonce: String)
    case ok(
        affected: UInt64 = 0, lastID: UInt64 = 0, status: UInt16, warnings: UInt16 = 0, state: [TraceSessionState] = [])
    /// An OK packet with header 0xFE ending a result set or a COM_FIELD_LIST (DEPRECATE_EOF).
    case terminator(status: UInt16, warnings: UInt16 = 0, state: [TraceSessionState] = [])
    case eof(status: UInt16, warnings: UInt16 = 0)
    case error(code: UInt16, sqlState: String, message: String)
    /// Plugin data in hex, without the trailing NUL.
    case authSwitch(plugin: String, data: String)
    /// AuthMoreData: the bytes after the 0x01 header, in hex.
    case moreData(String)
    /// AuthMoreData carrying a PEM public key of this many bytes.
    case publicKey(pemBytes: Int)
    case columnCount(Int)
    /// `table.name` (or `name` when the table is empty).
    case column(String, type: MySQLType, charset: UInt16, length: UInt32, flags: UInt16, decimals: UInt8 = 0)
    case parameter(type: MySQLType, charset: UInt16, length: UInt32, flags: UInt16, decimals: UInt8 = 0)
    case fieldListColumn(
        String, type: MySQLType, charset: UInt16, length: UInt32, flags: UInt16, decimals: UInt8 = 0,
        defaultValue: TraceFieldDefault)
    /// A COM_FIELD_LIST column of `table` in schema `mysql` (used where a table's columns are
    /// counted rather than listed).
    case anyFieldListColumn(table: String)
    case row([String?])
    /// A text row whose last value is long: the other values, the last one's start and length.
    case longRow([String?], lastPrefix: String, lastLength: Int)
    case binaryRow(nullBitmap: String, values: [String?])
    case prepareOK(statementID: UInt32, columns: Int, parameters: Int, warnings: UInt16 = 0)
    case statistics(prefix: String)

    /// Rows of one value each.
    static func rows(_ values: [String]) -> [ExpectedPacket] { values.map { .row([$0]) } }

    /// A COM_FIELD_LIST response of `columns` columns of `mysql.table`, then the 0xFE OK.
    static func fieldList(table: String, columns: Int) -> [ExpectedPacket] {
        Array(repeating: .anyFieldListColumn(table: table), count: columns) + [.terminator(status: 0x0002)]
    }

    static let utf8SystemVariables: [TraceSessionState] = [
        .systemVariable(name: "character_set_client", value: "utf8"),
        .systemVariable(name: "character_set_connection", value: "utf8"),
        .systemVariable(name: "character_set_results", value: "utf8"),
    ]
    static let gtidTracking: [TraceSessionState] = [.gtids("e2462942-ca42-11ed-98a4-5405db7aad56:1-4")]
}

/// The default value COM_FIELD_LIST appends to a column definition.
enum TraceFieldDefault: Equatable, ExpressibleByStringLiteral {
    case absent
    case null
    case value(String)

    init(stringLiteral value: String) { self = .value(value) }

    init(_ parsed: String??) {
        switch parsed {
        case .none: self = .absent
        case .some(.none): self = .null
        case .some(.some(let value)): self = .value(value)
        }
    }
}

extension ExpectedPacket {
    /// nil when `packet` is what this expects, otherwise what differs.
    func mismatch(_ packet: TraceConversation.ServerPacket) -> String? {
        /// The first difference found.
        func first(_ checks: String?...) -> String? { checks.lazy.compactMap { $0 }.first }
        func differ<T: Equatable>(_ what: String, _ actual: T, _ expected: T) -> String? {
            actual == expected ? nil : "\(what) is \(actual), expected \(expected)"
        }
        func kind(_ expected: TraceConversation.Kind) -> String? {
            packet.kind == expected ? nil : "is a \(packet.kind), expected a \(expected)"
        }
        func columnName(_ c: MySQLColumn) -> String { c.table.isEmpty ? c.name : "\(c.table).\(c.name)" }
        func checkColumn(
            _ c: MySQLColumn, _ type: MySQLType, _ charset: UInt16, _ length: UInt32, _ flags: UInt16, _ decimals: UInt8
        ) -> String? {
            first(
                differ("type", c.type, type), differ("character set", c.characterSet, charset),
                differ("length", c.columnLength, length), differ("flags", c.flags.rawValue, flags),
                differ("decimals", c.decimals, decimals), differ("catalog", c.catalog, "def"))
        }

        switch (self, packet.parsed) {
        case (
            .greeting(let version, let id, let caps, let charset, let status, let plugin, let nonce), .greeting(let g)
        ):
            let numbers = g.flavor.versionNumbers
            let expectedNumbers: [Int] = version.split(separator: ".").map { Int($0) ?? -1 }
            return first(
                differ("version", g.serverVersion, version), differ("connection id", g.connectionID, id),
                differ("capabilities", g.capabilities.rawValue, caps), differ("character set", g.characterSet, charset),
                differ("status", g.status.rawValue, status), differ("plugin", g.authPluginName, plugin),
                differ("nonce", traceHex(g.nonce), nonce), differ("protocol version", g.protocolVersion, 10),
                differ("flavor", g.flavor.vendor, ServerFlavor.Vendor.mysql),
                differ("extended capabilities", g.flavor.usesExtendedCapabilities, false),
                differ("MariaDB capabilities", g.mariaDBCapabilities.rawValue, 0),
                differ("version numbers", [numbers.major, numbers.minor, numbers.patch], expectedNumbers))
        case (.ok(let affected, let lastID, let status, let warnings, let state), .ok(let ok, let entries)):
            return first(
                kind(.ok), differ("affected rows", ok.affectedRows, affected),
                differ("last insert id", ok.lastInsertID, lastID), differ("status", ok.status.rawValue, status),
                differ("warnings", ok.warnings, warnings), differ("session state", entries, state),
                differ("info", ok.info, ""))
        case (.terminator(let status, let warnings, let state), .ok(let ok, let entries)):
            return first(
                kind(.okTerminator), differ("status", ok.status.rawValue, status),
                differ("warnings", ok.warnings, warnings), differ("session state", entries, state),
                differ("affected rows", ok.affectedRows, 0), differ("info", ok.info, ""))
        case (.eof(let status, let warnings), .eof(let eof)):
            return first(differ("status", eof.status.rawValue, status), differ("warnings", eof.warnings, warnings))
        case (.error(let code, let sqlState, let message), .error(let err)):
            return first(
                differ("code", err.code, code), differ("SQL state", err.sqlState, sqlState),
                differ("message", err.message, message))
        case (.authSwitch(let plugin, let data), .authSwitch(let request)):
            return first(
                differ("plugin", request.pluginName, plugin), differ("data", traceHex(request.pluginData), data))
        case (.moreData(let hex), .authMoreData(let data)):
            return differ("data", traceHex(data), hex)
        case (.publicKey(let pemBytes), .authMoreData(let data)):
            let pem = String(decoding: data, as: UTF8.self)
            return first(
                differ("PEM length", data.count, pemBytes),
                differ("PEM start", pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"), true),
                differ("PEM end", pem.hasSuffix("-----END PUBLIC KEY-----\n"), true))
        case (.columnCount(let n), .columnCount(let count)):
            return differ("column count", count, n)
        case (.column(let name, let type, let charset, let length, let flags, let decimals), .column(let c, _)):
            return first(
                kind(.column), differ("name", columnName(c), name),
                checkColumn(c, type, charset, length, flags, decimals))
        case (.parameter(let type, let charset, let length, let flags, let decimals), .column(let c, _)):
            return first(
                kind(.parameter), differ("name", c.name, "?"), checkColumn(c, type, charset, length, flags, decimals))
        case (
            .fieldListColumn(let name, let type, let charset, let length, let flags, let decimals, let defaultValue),
            .column(let c, let parsedDefault)
        ):
            return first(
                kind(.fieldListColumn), differ("name", columnName(c), name),
                checkColumn(c, type, charset, length, flags, decimals),
                differ("default value", TraceFieldDefault(parsedDefault), defaultValue))
        case (.anyFieldListColumn(let table), .column(let c, let parsedDefault)):
            return first(
                kind(.fieldListColumn), differ("table", c.table, table), differ("schema", c.schema, "mysql"),
                differ("catalog", c.catalog, "def"),
                differ("has a default value", TraceFieldDefault(parsedDefault) != .absent, true))
        case (.row(let values), .textRow(let row)):
            return differ("values", row, values)
        case (.longRow(let values, let prefix, let length), .textRow(let row)):
            guard let last = row.last ?? nil else { return "last value is missing or NULL" }
            return first(
                differ("values", Array(row.dropLast()), values),
                differ("last value's length", last.utf8.count, length),
                differ("last value's start", last.hasPrefix(prefix), true))
        case (.binaryRow(let bitmap, let values), .binaryRow(let parsedBitmap, let parsedValues)):
            return first(differ("NULL bitmap", traceHex(parsedBitmap), bitmap), differ("values", parsedValues, values))
        case (
            .prepareOK(let id, let columns, let parameters, let warnings), .prepareOK(let pid, let pc, let pp, let pw)
        ):
            return first(
                differ("statement id", pid, id), differ("columns", pc, columns),
                differ("parameters", pp, parameters), differ("warnings", pw, warnings))
        case (.statistics(let prefix), .statistics(let text)):
            return text.hasPrefix(prefix) ? nil : "statistics string \(text.prefix(60)) does not start with \(prefix)"
        default:
            return "is a \(packet.kind), expected \(self)"
        }
    }
}

/// How to read one trace: where it starts, what the client negotiated when the trace does
/// not show it, and every server packet it must yield.
struct TraceCase {
    var file: String
    var start: TraceConversation.Phase = .awaitingGreeting
    var assumedCapabilities: MySQLCapabilities = []
    var clientPacketsMissing = false
    var expected: [ExpectedPacket]

    func conversation(_ trace: TraceFile) -> TraceConversation {
        TraceConversation(
            trace, start: start, assumedCapabilities: assumedCapabilities, clientPacketsMissing: clientPacketsMissing)
    }

    /// A client without DEPRECATE_EOF (classic 5-byte EOF packets).
    static let classicClient: MySQLCapabilities = [.longPassword, .protocol41, .transactions, .secureConnection]

    static var all: [TraceCase] {
        [
            TraceCase(
                file: "deepflow-8.0-binary-protocol-prepare-execute.trace", start: .idle,
                assumedCapabilities: classicClient, expected: ExpectedPacket.deepflowBinaryProtocol),
            TraceCase(
                file: "deepflow-8.0.21-switch-native-sysvar-tracking.trace",
                expected: ExpectedPacket.deepflowSwitchNative),
            TraceCase(file: "greeting-8.0.18-sqlx.trace", expected: ExpectedPacket.greeting8018),
            TraceCase(file: "greeting-8.0.20-mysql-router-test.trace", expected: ExpectedPacket.greeting8020),
            TraceCase(file: "greeting-8.4.11-binlog-streamer.trace", expected: ExpectedPacket.greeting8411),
            // Facts: the client (libmysql 8.0.30) negotiated DEPRECATE_EOF and SESSION_TRACK.
            TraceCase(
                file: "hoop-8.0.30-csha2-full-auth-rsa-server-side.trace",
                assumedCapabilities: classicClient.union([.pluginAuth, .deprecateEOF, .sessionTrack]),
                clientPacketsMissing: true, expected: ExpectedPacket.hoopFullAuth),
            TraceCase(
                file: "ilogtail-8.x-resultset-json-columns-empty.trace", start: .result(binary: false),
                assumedCapabilities: classicClient, expected: ExpectedPacket.ilogtailJSONColumns),
            TraceCase(
                file: "zeek-8.0.21-native-selects-ok-terminators.trace", expected: ExpectedPacket.zeekNativeSelects),
            TraceCase(file: "zeek-8.0.28-rds-greeting-sslrequest.trace", expected: ExpectedPacket.zeekRDSGreeting),
            TraceCase(
                file: "zeek-8.0.32-authswitch-native-to-csha2-gtid-tracking.trace",
                expected: ExpectedPacket.zeekSwitchToCachingSHA2),
            TraceCase(file: "zeek-8.0.32-csha2-fast-auth.trace", expected: ExpectedPacket.zeekFastAuth),
            TraceCase(file: "zeek-8.0.32-csha2-full-auth-rsa.trace", expected: ExpectedPacket.zeekFullAuth),
            TraceCase(
                file: "zeek-8.0.32-empty-password-innodb-status-classic-eof.trace",
                expected: ExpectedPacket.zeekEmptyPasswordClassicEOF),
            TraceCase(
                file: "zeek-8.0.35-sha256-password-switch-rsa-err1045.trace",
                expected: ExpectedPacket.zeekSHA256SwitchDenied),
            TraceCase(file: "zeek-8.4.2-native-switch-change-user-ok.trace", expected: ExpectedPacket.zeekChangeUser),
            TraceCase(
                file: "zeek-9.0.0-many-query-attrs-schema-tracking.trace",
                expected: ExpectedPacket.zeek900QueryAttributes),
        ]
    }

    static func named(_ file: String) -> TraceCase? { all.first { $0.file == file } }
}

// MARK: - The expected server packets of each trace, in order

extension ExpectedPacket {
    /// deepflow-8.0-binary-protocol-prepare-execute.trace: the column definitions of a prepared
    /// statement come again (identical) in front of its binary result set.
    static var deepflowBinaryProtocol: [ExpectedPacket] {
        let controller: [ExpectedPacket] = [
            .column("controller.id", type: .long, charset: 63, length: 11, flags: 0x4203),
            .column("controller.state", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("controller.name", type: .string, charset: 255, length: 256, flags: 0x0000),
            .column("controller.description", type: .varString, charset: 255, length: 1024, flags: 0x0000),
            .column("controller.ip", type: .string, charset: 255, length: 256, flags: 0x0000),
            .column("controller.nat_ip", type: .string, charset: 255, length: 256, flags: 0x0000),
            .column("controller.cpu_num", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("controller.memory_size", type: .longlong, charset: 63, length: 20, flags: 0x0000),
            .column("controller.arch", type: .varString, charset: 255, length: 1024, flags: 0x0000),
            .column("controller.os", type: .varString, charset: 255, length: 1024, flags: 0x0000),
            .column("controller.kernel_version", type: .varString, charset: 255, length: 1024, flags: 0x0000),
            .column("controller.vtap_max", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("controller.synced_at", type: .datetime, charset: 63, length: 19, flags: 0x0081),
            .column("controller.nat_ip_enabled", type: .tiny, charset: 63, length: 1, flags: 0x0000),
            .column("controller.node_type", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("controller.region_domain_prefix", type: .varString, charset: 255, length: 1024, flags: 0x0000),
            .column("controller.lcuuid", type: .string, charset: 255, length: 256, flags: 0x0000),
        ]
        let domain: [ExpectedPacket] = [
            .column("domain.id", type: .long, charset: 63, length: 11, flags: 0x4203),
            .column("domain.name", type: .varString, charset: 255, length: 256, flags: 0x0000),
            .column("domain.icon_id", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("domain.display_name", type: .varString, charset: 255, length: 256, flags: 0x0000),
            .column("domain.cluster_id", type: .string, charset: 255, length: 128, flags: 0x0000),
            .column("domain.ip", type: .varString, charset: 255, length: 256, flags: 0x0000),
            .column("domain.role", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("domain.type", type: .long, charset: 63, length: 11, flags: 0x0000),
            .column("domain.public_ip", type: .varString, charset: 255, length: 256, flags: 0x0000),
            .column("domain.config", type: .blob, charset: 255, length: 262140, flags: 0x0010),
            .column("domain.error_msg", type: .blob, charset: 255, length: 262140, flags: 0x0010),
            .column("domain.enabled", type: .long, charset: 63, length: 11, flags: 0x0001),
            .column("domain.state", type: .long, charset: 63, length: 11, flags: 0x0001),
            .column("domain.controller_ip", type: .string, charset: 255, length: 256, flags: 0x0000),
            .column("domain.lcuuid", type: .string, charset: 255, length: 256, flags: 0x4004),
            .column("domain.synced_at", type: .datetime, charset: 63, length: 19, flags: 0x0080),
            .column("domain.created_at", type: .datetime, charset: 63, length: 19, flags: 0x0081),
            .column("domain.updated_at", type: .datetime, charset: 63, length: 19, flags: 0x0081),
        ]
        var e: [ExpectedPacket] = []
        // SELECT * FROM `controller` WHERE name = ?
        e += [
            .prepareOK(statementID: 96, columns: 17, parameters: 1),
            .parameter(type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .eof(status: 0x0002),
        ]
        e += controller + [.eof(status: 0x0002), .columnCount(17)] + controller + [.eof(status: 0x0022)]
        e += [
            .binaryRow(
                nullBitmap: "a00000",
                values: [
                    "3", "2", "deepflow-server-0", nil, "10.33.40.162", nil, "8", "16785907712", "x86_64",
                    "alpine 3.16.1", "5.4.0", "2000", "2022-07-20 17:44:56", "0", "1", "",
                    "5aacdae6-b47d-4413-8ea3-63c78bda1c7b",
                ]),
            .eof(status: 0x0022),
        ]
        // SELECT * FROM `domain` WHERE enabled = ? AND controller_ip = ?
        e += [
            .prepareOK(statementID: 97, columns: 18, parameters: 2),
            .parameter(type: .longlong, charset: 63, length: 21, flags: 0x0080),
            .parameter(type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .eof(status: 0x0002),
        ]
        e += domain + [.eof(status: 0x0002), .columnCount(18)] + domain + [.eof(status: 0x0022)]
        e += [
            .binaryRow(
                nullBitmap: "800400",
                values: [
                    "47", "shuxin-610-07-02", "0", "7e117381-23b7-4229-8a63-9a31e1b80c85", "d-01NKgARSKK", nil, "0",
                    "11", nil,
                    "{\"controller_ip\":\"10.33.40.162\",\"pod_net_ipv4_cidr_max_mask\":16,\"pod_net_ipv6_cidr_max_mask\":64,\"port_name_regex\":\"^(cni|flannel|cali|vxlan.calico|tunl|eth)\",\"region_uuid\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\"}",
                    "no vtap report cluster id:d-01NKgARSKK", "1", "4", "10.33.40.162",
                    "9ca2ccf4-8a4a-5c77-a1ae-363b92031182", "2022-07-20 17:37:16", "2022-06-29 11:03:13",
                    "2022-08-04 17:30:37",
                ]),
            .binaryRow(
                nullBitmap: "800400",
                values: [
                    "56", "k8s-d-0gzP1DcwhV", "0", "dc648715-2525-5734-a14e-4cc17e7dc2ec", "d-0gzP1DcwhV", nil, "0",
                    "11", nil,
                    "{\"controller_ip\":\"10.33.40.162\",\"pod_net_ipv4_cidr_max_mask\":16,\"pod_net_ipv6_cidr_max_mask\":64,\"port_name_regex\":\"(cni|flannel|vxlan.calico|tunl|ens)\",\"region_uuid\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\"}",
                    "", "1", "1", "10.33.40.162", "6ad53ef3-bb7c-5e15-8d1e-678fcfebad65", "2022-08-04 17:30:37",
                    "2022-07-20 17:45:45", "2022-08-04 17:30:37",
                ]),
            .binaryRow(
                nullBitmap: "800400",
                values: [
                    "58", "legacy-host", "0", "73090f75-32ec-430d-b608-f62f49a75eae", "", nil, "0", "23", nil,
                    "{\"controller_ip\":\"10.33.40.162\",\"region_uuid\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\"}", "",
                    "1", "1", "10.33.40.162", "2a882dd5-6c8c-53b1-8322-8823bd45e4c6", "2022-08-04 17:30:37",
                    "2022-07-27 18:22:11", "2022-08-04 17:30:37",
                ]),
            .binaryRow(
                nullBitmap: "800400",
                values: [
                    "61", "test-kvm-kx", "0", "3eb2b034-ea4b-45a2-a26a-4ad2ad123c95", "", nil, "0", "23", nil,
                    "{\"controller_ip\":\"10.33.40.162\",\"region_uuid\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\"}", "",
                    "1", "1", "10.33.40.162", "2a6a99b4-168f-51c0-94b0-ce3e8957b04d", "2022-08-04 17:30:37",
                    "2022-08-04 17:16:40", "2022-08-04 17:30:37",
                ]),
            .eof(status: 0x0022),
        ]
        // SELECT * FROM `domain` WHERE lcuuid = ? ORDER BY `domain`.`id` LIMIT 1 (prepared, never executed)
        e += [
            .prepareOK(statementID: 98, columns: 18, parameters: 1),
            .parameter(type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .eof(status: 0x0002),
        ]
        e += domain + [.eof(status: 0x0002)]
        return e
    }

    /// deepflow-8.0.21-switch-native-sysvar-tracking.trace
    static var deepflowSwitchNative: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.21", connectionID: 12_054_348, capabilities: 0x87ff_f7ff, charset: 255, status: 0x0002,
                plugin: "mysql_native_password", nonce: "3d504670126d6b117e793c716e333d7065397971"),
            .authSwitch(plugin: "mysql_native_password", data: "3d504670126d6b117e793c716e333d7065397971"),
            .ok(status: 0x4002, state: [.schema("deepflow")]),
            .ok(status: 0x4002, warnings: 1, state: utf8SystemVariables),
            .ok(status: 0x4000, state: [.systemVariable(name: "autocommit", value: "OFF")]),
            .ok(status: 0x4000, warnings: 1, state: utf8SystemVariables),
            .columnCount(3),
            .column("Level", type: .varString, charset: 33, length: 21, flags: 0x0001, decimals: 31),
            .column("Code", type: .long, charset: 63, length: 4, flags: 0x00a1),
            .column("Message", type: .varString, charset: 33, length: 1536, flags: 0x0001, decimals: 31),
            .row([
                "Warning", "3719",
                "'utf8' is currently an alias for the character set UTF8MB3, but will be an alias for UTF8MB4 in a future release. Please consider using UTF8MB4 in order to be unambiguous.",
            ]),
            .terminator(status: 0x0000),
            .ok(status: 0x0000),
        ]
    }

    /// greeting-8.0.18-sqlx.trace
    static var greeting8018: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.18", connectionID: 25, capabilities: 0xc7ff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "1134614230630667744c03730f5b340d6c342e20")
        ]
    }

    /// greeting-8.0.20-mysql-router-test.trace
    static var greeting8020: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.20", connectionID: 1009, capabilities: 0xc7ff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "113f0f35702f625b3c0167230b44012c1c655857")
        ]
    }

    /// greeting-8.4.11-binlog-streamer.trace
    static var greeting8411: [ExpectedPacket] {
        [
            .greeting(
                version: "8.4.11", connectionID: 53152, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "6d6a4f4b4b463a3c4426363073032132767b114f")
        ]
    }

    /// hoop-8.0.30-csha2-full-auth-rsa-server-side.trace
    static var hoopFullAuth: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.30", connectionID: 14, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "2f524862231a313e6619566f58404a7f4a79375b"),
            .moreData("04"),
            .publicKey(pemBytes: 451),
            .ok(status: 0x4002, state: [.schema("sys")]),
        ]
    }

    /// ilogtail-8.x-resultset-json-columns-empty.trace
    static var ilogtailJSONColumns: [ExpectedPacket] {
        [
            .columnCount(10),
            .column("worker.id", type: .longlong, charset: 63, length: 20, flags: 0x4203),
            .column("worker.Hostname", type: .varString, charset: 255, length: 512, flags: 0x4004),
            .column("worker.Address", type: .varString, charset: 255, length: 256, flags: 0x0000),
            .column("worker.SourceTypes", type: .json, charset: 63, length: 4_294_967_295, flags: 0x0090),
            .column("worker.SinkTypes", type: .json, charset: 63, length: 4_294_967_295, flags: 0x0090),
            .column("worker.Status", type: .tiny, charset: 63, length: 8, flags: 0x0000),
            .column("worker.GroupName", type: .varString, charset: 255, length: 128, flags: 0x0000),
            .column("worker.Tags", type: .json, charset: 63, length: 4_294_967_295, flags: 0x0090),
            .column("worker.CreateTime", type: .longlong, charset: 63, length: 20, flags: 0x0000),
            .column("worker.LastModifyTime", type: .longlong, charset: 63, length: 20, flags: 0x0000),
            .eof(status: 0x0022),
            .eof(status: 0x0022),
        ]
    }

    /// zeek-8.0.21-native-selects-ok-terminators.trace
    static var zeekNativeSelects: [ExpectedPacket] {
        var e: [ExpectedPacket] = []
        e += [
            .greeting(
                version: "8.0.21", connectionID: 11, capabilities: 0x87ff_f7ff, charset: 255, status: 0x0002,
                plugin: "mysql_native_password", nonce: "726608015917106d3e3e555a227b53662d153476"),
            .ok(status: 0x0002),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 33, length: 84, flags: 0x0000, decimals: 31),
            .row(["MySQL Community Server - GPL"]),
            .terminator(status: 0x0002),
            .columnCount(1),
            .column("SCHEMATA.Database", type: .varString, charset: 33, length: 192, flags: 0x1081),
            .row(["information_schema"]),
            .row(["mysql"]),
            .row(["performance_schema"]),
            .row(["sys"]),
            .terminator(status: 0x0022),
            .columnCount(1),
            .column("TABLES.Tables_in_information_schema", type: .varString, charset: 33, length: 192, flags: 0x1081),
        ]
        e += ExpectedPacket.rows([
            "ADMINISTRABLE_ROLE_AUTHORIZATIONS", "APPLICABLE_ROLES", "CHARACTER_SETS", "CHECK_CONSTRAINTS",
            "COLLATIONS", "COLLATION_CHARACTER_SET_APPLICABILITY", "COLUMNS", "COLUMNS_EXTENSIONS",
            "COLUMN_PRIVILEGES", "COLUMN_STATISTICS", "ENABLED_ROLES", "ENGINES", "EVENTS", "FILES",
            "INNODB_BUFFER_PAGE", "INNODB_BUFFER_PAGE_LRU", "INNODB_BUFFER_POOL_STATS",
            "INNODB_CACHED_INDEXES", "INNODB_CMP", "INNODB_CMPMEM", "INNODB_CMPMEM_RESET",
            "INNODB_CMP_PER_INDEX", "INNODB_CMP_PER_INDEX_RESET", "INNODB_CMP_RESET", "INNODB_COLUMNS",
            "INNODB_DATAFILES", "INNODB_FIELDS", "INNODB_FOREIGN", "INNODB_FOREIGN_COLS",
            "INNODB_FT_BEING_DELETED", "INNODB_FT_CONFIG", "INNODB_FT_DEFAULT_STOPWORD", "INNODB_FT_DELETED",
            "INNODB_FT_INDEX_CACHE", "INNODB_FT_INDEX_TABLE", "INNODB_INDEXES", "INNODB_METRICS",
            "INNODB_SESSION_TEMP_TABLESPACES", "INNODB_TABLES", "INNODB_TABLESPACES",
            "INNODB_TABLESPACES_BRIEF", "INNODB_TABLESTATS", "INNODB_TEMP_TABLE_INFO", "INNODB_TRX",
            "INNODB_VIRTUAL", "KEYWORDS", "KEY_COLUMN_USAGE", "OPTIMIZER_TRACE", "PARAMETERS", "PARTITIONS",
            "PLUGINS", "PROCESSLIST", "PROFILING", "REFERENTIAL_CONSTRAINTS", "RESOURCE_GROUPS",
            "ROLE_COLUMN_GRANTS", "ROLE_ROUTINE_GRANTS", "ROLE_TABLE_GRANTS", "ROUTINES", "SCHEMATA",
            "SCHEMA_PRIVILEGES", "STATISTICS", "ST_GEOMETRY_COLUMNS", "ST_SPATIAL_REFERENCE_SYSTEMS",
            "ST_UNITS_OF_MEASURE", "TABLES", "TABLESPACES", "TABLESPACES_EXTENSIONS", "TABLES_EXTENSIONS",
            "TABLE_CONSTRAINTS", "TABLE_CONSTRAINTS_EXTENSIONS", "TABLE_PRIVILEGES", "TRIGGERS",
            "USER_ATTRIBUTES", "USER_PRIVILEGES", "VIEWS", "VIEW_ROUTINE_USAGE", "VIEW_TABLE_USAGE",
        ])
        e += [
            .terminator(status: 0x0002),
            .columnCount(1),
            .column("TABLES.Tables_in_mysql", type: .varString, charset: 33, length: 192, flags: 0x1081),
        ]
        e += ExpectedPacket.rows([
            "columns_priv", "component", "db", "default_roles", "engine_cost", "func", "general_log",
            "global_grants", "gtid_executed", "help_category", "help_keyword", "help_relation", "help_topic",
            "innodb_index_stats", "innodb_table_stats", "password_history", "plugin", "procs_priv",
            "proxies_priv", "role_edges", "server_cost", "servers", "slave_master_info",
            "slave_relay_log_info", "slave_worker_info", "slow_log", "tables_priv", "time_zone",
            "time_zone_leap_second", "time_zone_name", "time_zone_transition", "time_zone_transition_type",
            "user",
        ])
        e += [
            .terminator(status: 0x0002)
        ]
        return e
    }

    /// zeek-8.0.28-rds-greeting-sslrequest.trace
    static var zeekRDSGreeting: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.28", connectionID: 24, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "mysql_native_password", nonce: "365a5c3d1c74517740604d114279355628471534")
        ]
    }

    /// zeek-8.0.32-authswitch-native-to-csha2-gtid-tracking.trace
    static var zeekSwitchToCachingSHA2: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.32", connectionID: 20, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "567a08772b5e047002547601227e113414525036"),
            .authSwitch(plugin: "caching_sha2_password", data: "567a08772b5e047002547601227e113414525036"),
            .moreData("03"),
            .ok(status: 0x4002, state: [.transactionState("________"), .transactionCharacteristics("")]),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .row(["MySQL Community Server - GPL"]),
            .terminator(status: 0x4002, state: gtidTracking),
            .columnCount(2),
            .column("DATABASE()", type: .varString, charset: 255, length: 136, flags: 0x0000, decimals: 31),
            .column("USER()", type: .varString, charset: 255, length: 1152, flags: 0x0000, decimals: 31),
            .row([nil, "root@localhost"]),
            .terminator(status: 0x4002, state: gtidTracking),
            .columnCount(4),
            .column(
                "@@character_set_client", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .column(
                "@@character_set_connection", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31
            ),
            .column(
                "@@character_set_server", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .column(
                "@@character_set_database", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .row(["utf8mb4", "utf8mb4", "utf8mb4", "utf8mb4"]),
            .terminator(status: 0x4002, state: gtidTracking),
            .statistics(prefix: "Uptime: 416222  Threads: 2  Questions: 4"),
        ]
    }

    /// zeek-8.0.32-csha2-fast-auth.trace
    static var zeekFastAuth: [ExpectedPacket] {
        var e: [ExpectedPacket] = []
        e += [
            .greeting(
                version: "8.0.32", connectionID: 10, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "5a0c77690259127b234d131543374c15266d1a1e"),
            .moreData("03"),
            .ok(status: 0x4002, state: [.schema("test")]),
            .columnCount(1),
            .column("SCHEMATA.Database", type: .varString, charset: 255, length: 256, flags: 0x1081),
            .row(["information_schema"]),
            .row(["mysql"]),
            .row(["performance_schema"]),
            .row(["sys"]),
            .row(["test"]),
            .terminator(status: 0x0022),
            .columnCount(1),
            .column("TABLES.Tables_in_test", type: .varString, charset: 255, length: 256, flags: 0x1081),
            .row(["t"]),
            .terminator(status: 0x0002),
        ]
        e += [
            .fieldListColumn(
                "t.a", type: .float, charset: 63, length: 12, flags: 0x0000, decimals: 31, defaultValue: .null),
            .terminator(status: 0x0002),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .row(["MySQL Community Server - GPL"]),
            .terminator(status: 0x0002),
        ]
        return e
    }

    /// zeek-8.0.32-csha2-full-auth-rsa.trace
    static var zeekFullAuth: [ExpectedPacket] {
        var e: [ExpectedPacket] = []
        e += [
            .greeting(
                version: "8.0.32", connectionID: 9, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "3478603f650469276b262d50254c4944172f0f7b"),
            .moreData("04"),
            .publicKey(pemBytes: 451),
            .ok(status: 0x4002, state: [.schema("test")]),
            .columnCount(1),
            .column("SCHEMATA.Database", type: .varString, charset: 255, length: 256, flags: 0x1081),
            .row(["information_schema"]),
            .row(["mysql"]),
            .row(["performance_schema"]),
            .row(["sys"]),
            .row(["test"]),
            .terminator(status: 0x0022),
            .columnCount(1),
            .column("TABLES.Tables_in_test", type: .varString, charset: 255, length: 256, flags: 0x1081),
            .row(["t"]),
            .terminator(status: 0x0002),
        ]
        e += [
            .fieldListColumn(
                "t.a", type: .float, charset: 63, length: 12, flags: 0x0000, decimals: 31, defaultValue: .null),
            .terminator(status: 0x0002),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .row(["MySQL Community Server - GPL"]),
            .terminator(status: 0x0002),
        ]
        return e
    }

    /// zeek-8.0.32-empty-password-innodb-status-classic-eof.trace
    static var zeekEmptyPasswordClassicEOF: [ExpectedPacket] {
        var e: [ExpectedPacket] = []
        e += [
            .greeting(
                version: "8.0.32", connectionID: 10, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "704a0b652526145d0831200d7272336c666b761e"),
            .ok(status: 0x0002),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 33, length: 65535, flags: 0x0000, decimals: 31),
            .eof(status: 0x0002),
            .row(["MySQL Community Server - GPL"]),
            .eof(status: 0x0002),
            .columnCount(3),
            .column("Type", type: .varString, charset: 33, length: 30, flags: 0x0001, decimals: 31),
            .column("Name", type: .varString, charset: 33, length: 1536, flags: 0x0001, decimals: 31),
            .column("Status", type: .varString, charset: 33, length: 30, flags: 0x0001, decimals: 31),
            .eof(status: 0x0002),
        ]
        e += [
            .longRow(
                ["InnoDB", ""],
                lastPrefix:
                    "\n=====================================\n2023-01-19 12:35:27 140697229289216 INNODB MONITOR OUTPUT",
                lastLength: 4418),
            .eof(status: 0x0002),
        ]
        return e
    }

    /// zeek-8.0.35-sha256-password-switch-rsa-err1045.trace
    static var zeekSHA256SwitchDenied: [ExpectedPacket] {
        [
            .greeting(
                version: "8.0.35", connectionID: 13, capabilities: 0xdfff_ffff, charset: 33, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "22033723032d17024232380e343b797f01510809"),
            .authSwitch(plugin: "sha256_password", data: "283a3101744b3777562d42412e17686629440b28"),
            .publicKey(pemBytes: 451),
            .error(
                code: 1045, sqlState: "28000",
                message: "Access denied for user 'dsm1'@'10.21.179.53' (using password: YES)"),
        ]
    }

    /// zeek-8.4.2-native-switch-change-user-ok.trace
    static var zeekChangeUser: [ExpectedPacket] {
        [
            .greeting(
                version: "8.4.2", connectionID: 17, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "113c676d3d4e4a2d120f680d647151621d5a3234"),
            .authSwitch(plugin: "mysql_native_password", data: "113c676d3d4e4a2d120f680d647151621d5a3234"),
            .ok(status: 0x0002),
            .ok(status: 0x0002),
            .authSwitch(plugin: "mysql_native_password", data: "113c676d3d4e4a2d120f680d647151621d5a3234"),
            .ok(status: 0x0002),
            .ok(status: 0x0002),
            .ok(status: 0x0000),
            .ok(status: 0x0000),
        ]
    }

    /// zeek-9.0.0-many-query-attrs-schema-tracking.trace
    static var zeek900QueryAttributes: [ExpectedPacket] {
        var e: [ExpectedPacket] = []
        e += [
            .greeting(
                version: "9.0.0", connectionID: 34, capabilities: 0xdfff_ffff, charset: 255, status: 0x0002,
                plugin: "caching_sha2_password", nonce: "4c4d2c2623320d072e0e5d47216334594775150e"),
            .moreData("03"),
            .ok(status: 0x4002, state: [.schema("mysql")]),
            .columnCount(1),
            .column("SCHEMATA.Database", type: .varString, charset: 255, length: 256, flags: 0x1081),
            .row(["information_schema"]),
            .row(["mysql"]),
            .row(["performance_schema"]),
            .row(["sys"]),
            .terminator(status: 0x0022),
            .columnCount(1),
            .column("TABLES.Tables_in_mysql", type: .varString, charset: 255, length: 256, flags: 0x1081),
        ]
        e += ExpectedPacket.rows([
            "columns_priv", "component", "db", "default_roles", "engine_cost", "func", "general_log",
            "global_grants", "gtid_executed", "help_category", "help_keyword", "help_relation", "help_topic",
            "innodb_index_stats", "innodb_table_stats", "ndb_binlog_index", "password_history", "plugin",
            "procs_priv", "proxies_priv", "replication_asynchronous_connection_failover",
            "replication_asynchronous_connection_failover_managed", "replication_group_configuration_version",
            "replication_group_member_actions", "role_edges", "server_cost", "servers", "slave_master_info",
            "slave_relay_log_info", "slave_worker_info", "slow_log", "tables_priv", "time_zone",
            "time_zone_leap_second", "time_zone_name", "time_zone_transition", "time_zone_transition_type",
            "user",
        ])
        e += [
            .terminator(status: 0x0002)
        ]
        e += ExpectedPacket.fieldList(table: "columns_priv", columns: 7)
        e += ExpectedPacket.fieldList(table: "component", columns: 3)
        e += ExpectedPacket.fieldList(table: "db", columns: 22)
        e += ExpectedPacket.fieldList(table: "default_roles", columns: 4)
        e += ExpectedPacket.fieldList(table: "engine_cost", columns: 7)
        e += ExpectedPacket.fieldList(table: "func", columns: 4)
        e += ExpectedPacket.fieldList(table: "general_log", columns: 6)
        e += ExpectedPacket.fieldList(table: "global_grants", columns: 4)
        e += ExpectedPacket.fieldList(table: "gtid_executed", columns: 4)
        e += ExpectedPacket.fieldList(table: "help_category", columns: 4)
        e += ExpectedPacket.fieldList(table: "help_keyword", columns: 2)
        e += ExpectedPacket.fieldList(table: "help_relation", columns: 2)
        e += ExpectedPacket.fieldList(table: "help_topic", columns: 6)
        e += ExpectedPacket.fieldList(table: "innodb_index_stats", columns: 8)
        e += ExpectedPacket.fieldList(table: "innodb_table_stats", columns: 6)
        e += ExpectedPacket.fieldList(table: "ndb_binlog_index", columns: 12)
        e += ExpectedPacket.fieldList(table: "password_history", columns: 4)
        e += ExpectedPacket.fieldList(table: "plugin", columns: 2)
        e += ExpectedPacket.fieldList(table: "procs_priv", columns: 8)
        e += ExpectedPacket.fieldList(table: "proxies_priv", columns: 7)
        e += ExpectedPacket.fieldList(table: "replication_asynchronous_connection_failover", columns: 6)
        e += ExpectedPacket.fieldList(table: "replication_asynchronous_connection_failover_managed", columns: 4)
        e += ExpectedPacket.fieldList(table: "replication_group_configuration_version", columns: 2)
        e += ExpectedPacket.fieldList(table: "replication_group_member_actions", columns: 6)
        e += ExpectedPacket.fieldList(table: "role_edges", columns: 5)
        e += ExpectedPacket.fieldList(table: "server_cost", columns: 5)
        e += ExpectedPacket.fieldList(table: "servers", columns: 9)
        e += ExpectedPacket.fieldList(table: "slave_master_info", columns: 33)
        e += ExpectedPacket.fieldList(table: "slave_relay_log_info", columns: 15)
        e += ExpectedPacket.fieldList(table: "slave_worker_info", columns: 13)
        e += [
            .fieldListColumn(
                "slow_log.start_time", type: .timestamp, charset: 63, length: 26, flags: 0x2481, decimals: 6,
                defaultValue: "0000-00-00 00:00:00.000000"),
            .fieldListColumn(
                "slow_log.user_host", type: .blob, charset: 255, length: 67_108_860, flags: 0x1011, defaultValue: ""),
            .fieldListColumn(
                "slow_log.query_time", type: .time, charset: 63, length: 17, flags: 0x1081, decimals: 6,
                defaultValue: "00:00:00.000000"),
            .fieldListColumn(
                "slow_log.lock_time", type: .time, charset: 63, length: 17, flags: 0x1081, decimals: 6,
                defaultValue: "00:00:00.000000"),
            .fieldListColumn(
                "slow_log.rows_sent", type: .long, charset: 63, length: 11, flags: 0x1001, defaultValue: "0"),
            .fieldListColumn(
                "slow_log.rows_examined", type: .long, charset: 63, length: 11, flags: 0x1001, defaultValue: "0"),
            .fieldListColumn(
                "slow_log.db", type: .varString, charset: 255, length: 2048, flags: 0x1001, defaultValue: ""),
            .fieldListColumn(
                "slow_log.last_insert_id", type: .long, charset: 63, length: 11, flags: 0x1001, defaultValue: "0"),
            .fieldListColumn(
                "slow_log.insert_id", type: .long, charset: 63, length: 11, flags: 0x1001, defaultValue: "0"),
            .fieldListColumn(
                "slow_log.server_id", type: .long, charset: 63, length: 10, flags: 0x1021, defaultValue: "0"),
            .fieldListColumn(
                "slow_log.sql_text", type: .blob, charset: 63, length: 16_777_215, flags: 0x1091, defaultValue: ""),
            .fieldListColumn(
                "slow_log.thread_id", type: .longlong, charset: 63, length: 20, flags: 0x1021, defaultValue: "0"),
            .terminator(status: 0x0002),
        ]
        e += ExpectedPacket.fieldList(table: "tables_priv", columns: 8)
        e += ExpectedPacket.fieldList(table: "time_zone", columns: 2)
        e += ExpectedPacket.fieldList(table: "time_zone_leap_second", columns: 2)
        e += ExpectedPacket.fieldList(table: "time_zone_name", columns: 2)
        e += ExpectedPacket.fieldList(table: "time_zone_transition", columns: 3)
        e += [
            .fieldListColumn(
                "time_zone_transition_type.Time_zone_id", type: .long, charset: 63, length: 10, flags: 0x5023,
                defaultValue: "0"),
            .fieldListColumn(
                "time_zone_transition_type.Transition_type_id", type: .long, charset: 63, length: 10, flags: 0x5023,
                defaultValue: "0"),
            .fieldListColumn(
                "time_zone_transition_type.Offset", type: .long, charset: 63, length: 11, flags: 0x0001,
                defaultValue: "0"),
            .fieldListColumn(
                "time_zone_transition_type.Is_DST", type: .tiny, charset: 63, length: 3, flags: 0x0021,
                defaultValue: "0"),
            .fieldListColumn(
                "time_zone_transition_type.Abbreviation", type: .string, charset: 255, length: 32, flags: 0x0001,
                defaultValue: ""),
            .terminator(status: 0x0002),
        ]
        e += [
            .fieldListColumn("user.Host", type: .string, charset: 255, length: 1020, flags: 0x4003, defaultValue: ""),
            .fieldListColumn("user.User", type: .string, charset: 255, length: 128, flags: 0x4083, defaultValue: ""),
            .fieldListColumn(
                "user.Select_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Insert_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Update_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Delete_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Drop_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Reload_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Shutdown_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Process_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.File_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Grant_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.References_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Index_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Alter_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Show_db_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Super_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_tmp_table_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Lock_tables_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Execute_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Repl_slave_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Repl_client_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_view_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Show_view_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_routine_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Alter_routine_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_user_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Event_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Trigger_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_tablespace_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn("user.ssl_type", type: .string, charset: 255, length: 36, flags: 0x0101, defaultValue: ""),
            .fieldListColumn(
                "user.ssl_cipher", type: .blob, charset: 63, length: 65535, flags: 0x1091, defaultValue: ""),
            .fieldListColumn(
                "user.x509_issuer", type: .blob, charset: 63, length: 65535, flags: 0x1091, defaultValue: ""),
            .fieldListColumn(
                "user.x509_subject", type: .blob, charset: 63, length: 65535, flags: 0x1091, defaultValue: ""),
            .fieldListColumn(
                "user.max_questions", type: .long, charset: 63, length: 10, flags: 0x0021, defaultValue: "0"),
            .fieldListColumn(
                "user.max_updates", type: .long, charset: 63, length: 10, flags: 0x0021, defaultValue: "0"),
            .fieldListColumn(
                "user.max_connections", type: .long, charset: 63, length: 10, flags: 0x0021, defaultValue: "0"),
            .fieldListColumn(
                "user.max_user_connections", type: .long, charset: 63, length: 10, flags: 0x0021, defaultValue: "0"),
            .fieldListColumn(
                "user.plugin", type: .string, charset: 255, length: 256, flags: 0x0081,
                defaultValue: "caching_sha2_password"),
            .fieldListColumn(
                "user.authentication_string", type: .blob, charset: 255, length: 262140, flags: 0x0090,
                defaultValue: .null),
            .fieldListColumn(
                "user.password_expired", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.password_last_changed", type: .timestamp, charset: 63, length: 19, flags: 0x0080,
                defaultValue: .null),
            .fieldListColumn(
                "user.password_lifetime", type: .short, charset: 63, length: 5, flags: 0x0020, defaultValue: .null),
            .fieldListColumn(
                "user.account_locked", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Create_role_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Drop_role_priv", type: .string, charset: 255, length: 4, flags: 0x0101, defaultValue: "N"),
            .fieldListColumn(
                "user.Password_reuse_history", type: .short, charset: 63, length: 5, flags: 0x0020, defaultValue: .null),
            .fieldListColumn(
                "user.Password_reuse_time", type: .short, charset: 63, length: 5, flags: 0x0020, defaultValue: .null),
            .fieldListColumn(
                "user.Password_require_current", type: .string, charset: 255, length: 4, flags: 0x0100,
                defaultValue: .null),
            .fieldListColumn(
                "user.User_attributes", type: .json, charset: 63, length: 4_294_967_295, flags: 0x0090,
                defaultValue: .null),
            .terminator(status: 0x0002),
            .columnCount(1),
            .column("@@version_comment", type: .varString, charset: 255, length: 87380, flags: 0x0000, decimals: 31),
            .row(["MySQL Community Server - GPL"]),
            .terminator(status: 0x0002),
            .columnCount(2),
            .column(
                "mysql_query_attribute_string('n1')", type: .varString, charset: 255, length: 4096, flags: 0x0000,
                decimals: 31),
            .column(
                "mysql_query_attribute_string('n2')", type: .varString, charset: 255, length: 4096, flags: 0x0000,
                decimals: 31),
            .row(["42", "v2"]),
            .terminator(status: 0x0002),
        ]
        return e
    }
}
