import Foundation
import Testing

@_spi(Benchmarks) @testable import MySQLWire

/// `row.decode(Customer.self)`: rows into `Decodable` types, built offline.
@Suite struct RowCodableTests {
    enum Tier: String, Decodable, Equatable {
        case basic, gold
    }

    enum Priority: Int, Decodable, Equatable {
        case low = 1
        case high = 2
    }

    struct Customer: Decodable, Equatable {
        var id: Int
        var name: String
        var balance: Double?
        var createdAt: Date
        var credit: MySQLDecimal
        var active: Bool
    }

    /// `created_at` is 2024-05-01 12:30:00 UTC.
    static let createdAt = Date(timeIntervalSince1970: 1_714_566_600)

    static let customerColumns = [
        MySQLColumn(name: "id", type: .longlong),
        MySQLColumn(name: "name", type: .varString),
        MySQLColumn(name: "balance", type: .double),
        MySQLColumn(name: "createdAt", type: .datetime),
        MySQLColumn(name: "credit", type: .newdecimal, decimals: 2),
        MySQLColumn(name: "active", type: .tiny),
    ]

    /// A text-protocol row (`nil` is SQL NULL).
    static func textRow(_ columns: [MySQLColumn], _ values: [String?]) throws(MySQLError) -> MySQLRow {
        var builder = RowBatchBuilder(format: .text, columnCount: columns.count)
        var payload: [UInt8] = []
        for value in values {
            if let value {
                precondition(value.utf8.count < 0xFB)
                payload.append(UInt8(value.utf8.count))
                payload += Array(value.utf8)
            } else {
                payload.append(0xFB)
            }
        }
        try builder.appendTextRow(payload[...])
        return MySQLRow(batch: builder.build(), rowIndex: 0, columns: MySQLColumns(columns))
    }

    /// A binary-format row from each value's binary bytes (`nil` is SQL NULL). `RowBatchBuilder`
    /// records where each value's bytes are; the text-row parser records them from
    /// length-prefixed values, which gives the same batch as a binary row would.
    static func binaryRow(_ columns: [MySQLColumn], _ values: [[UInt8]?]) throws(MySQLError) -> MySQLRow {
        var builder = RowBatchBuilder(format: .binary, columnCount: columns.count)
        var payload: [UInt8] = []
        for value in values {
            if let value {
                payload.append(UInt8(value.count))
                payload += value
            } else {
                payload.append(0xFB)
            }
        }
        try builder.appendTextRow(payload[...])
        return MySQLRow(batch: builder.build(), rowIndex: 0, columns: MySQLColumns(columns))
    }

    static func customerRow() throws(MySQLError) -> MySQLRow {
        try textRow(customerColumns, ["7", "Ann", "12.5", "2024-05-01 12:30:00", "-3.50", "1"])
    }

    /// The error `body` throws (failing the test if it throws none or not a `MySQLError`).
    func error<T>(_ body: () throws(MySQLError) -> T) -> MySQLError? {
        do {
            let value = try body()
            Issue.record("no error; decoded \(value)")
            return nil
        } catch {
            return error
        }
    }

    @Test func aStructDecodesByColumnName() throws {
        let customer = try Self.customerRow().decode(Customer.self)
        #expect(
            customer
                == Customer(
                    id: 7, name: "Ann", balance: 12.5, createdAt: Self.createdAt, credit: MySQLDecimal("-3.50")!,
                    active: true))
        #expect(customer.credit.description == "-3.50")
    }

    @Test func columnOrderDoesNotMatter() throws {
        let columns = Array(Self.customerColumns.reversed())
        let row = try Self.textRow(columns, ["0", "0.00", "2024-05-01 12:30:00", nil, "Bo", "8"])
        #expect(
            try row.decode(Customer.self)
                == Customer(
                    id: 8, name: "Bo", balance: nil, createdAt: Self.createdAt, credit: MySQLDecimal(0), active: false))
    }

    @Test func aBinaryRowDecodesTheSame() throws {
        let le8 = { (value: UInt64) in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let row = try Self.binaryRow(
            Self.customerColumns,
            [
                le8(7), Array("Ann".utf8), le8((12.5 as Double).bitPattern),
                [0xE8, 0x07, 5, 1, 12, 30, 0],  // 2024-05-01 12:30:00
                Array("-3.50".utf8), [1],
            ])
        #expect(row.batch.format == .binary)
        #expect(try row.decode(Customer.self) == Self.customerRow().decode(Customer.self))
        let withNull = try Self.binaryRow(
            Self.customerColumns, [le8(1), Array("A".utf8), nil, [0xE8, 0x07, 5, 1], Array("0".utf8), [0]])
        let customer = try withNull.decode(Customer.self)
        #expect(customer.balance == nil && customer.createdAt == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(!customer.active)
    }

    @Test func snakeCaseColumnsMatchCamelCaseProperties() throws {
        struct Account: Decodable, Equatable {
            var accountId: Int
            var createdAt: Date
            var displayName: String?
            var rowVersion: Int
            enum CodingKeys: String, CodingKey {
                case accountId, createdAt, displayName
                case rowVersion = "_rowVersion_"  // leading and trailing underscores are kept
            }
        }
        let row = try Self.textRow(
            [
                MySQLColumn(name: "account_id", type: .long),
                MySQLColumn(name: "created_at", type: .timestamp),
                MySQLColumn(name: "display_name", type: .varString),
                MySQLColumn(name: "_row_version_", type: .long),
            ], ["3", "2024-05-01 12:30:00", nil, "9"])
        #expect(
            try row.decode(Account.self, keyDecodingStrategy: .convertFromSnakeCase)
                == Account(accountId: 3, createdAt: Self.createdAt, displayName: nil, rowVersion: 9))
        // Without the conversion the names do not match.
        let failure = error { () throws(MySQLError) in try row.decode(Account.self) }
        #expect(failure?.kind == .invalidUsage)
        #expect(failure?.message.hasPrefix("no column 'accountId' for Account.accountId") == true)
    }

    @Test func snakeCaseConversionFollowsJSONDecoder() throws {
        let cases: [(String, String)] = [
            ("created_at", "createdAt"), ("id", "id"), ("_id", "_id"), ("__a_b__", "__aB__"),
            ("USER_ID", "userId"), ("a__b", "aB"), ("alreadyCamel", "alreadyCamel"), ("___", "___"), ("", ""),
            ("order_2_total", "order2Total"), ("x_y_z", "xYZ"),
        ]
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        /// The keys JSONDecoder's keyed container reports (converted; dictionaries are not).
        struct Probe: Decodable {
            var keys: [String]
            init(from decoder: any Decoder) throws {
                keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        for (snake, camel) in cases {
            #expect(MySQLKeyDecodingStrategy.camelCase(fromSnakeCase: snake) == camel, "\(snake)")
            let keys = try decoder.decode(Probe.self, from: Data("{\"\(snake)\": 0}".utf8)).keys
            #expect(keys == [camel], "\(snake) in JSONDecoder")
        }
    }

    @Test func nullAndMissingColumnsAreNilForOptionals() throws {
        struct Contact: Decodable, Equatable {
            var id: Int
            var nickname: String?
            var middleName: String?  // no such column
            var tier: Tier?
            var score: MySQLDecimal?
            var visits: Int64?
        }
        let row = try Self.textRow(
            [
                MySQLColumn(name: "id", type: .long), MySQLColumn(name: "nickname", type: .varString),
                MySQLColumn(name: "tier", type: .varString), MySQLColumn(name: "score", type: .newdecimal),
                MySQLColumn(name: "visits", type: .longlong),
            ], ["1", nil, nil, nil, "5"])
        #expect(
            try row.decode(Contact.self)
                == Contact(id: 1, nickname: nil, middleName: nil, tier: nil, score: nil, visits: 5))
        let full = try Self.textRow(
            [
                MySQLColumn(name: "id", type: .long), MySQLColumn(name: "nickname", type: .varString),
                MySQLColumn(name: "tier", type: .varString), MySQLColumn(name: "score", type: .newdecimal),
            ], ["1", "Al", "gold", "1.5"])
        #expect(
            try full.decode(Contact.self)
                == Contact(id: 1, nickname: "Al", middleName: nil, tier: .gold, score: MySQLDecimal("1.5"), visits: nil)
        )
    }

    @Test func aMissingRequiredColumnNamesItAndTheColumnsPresent() throws {
        struct User: Decodable {
            var id: Int
            var email: String
        }
        let row = try Self.textRow(
            [MySQLColumn(name: "id", type: .long), MySQLColumn(name: "name", type: .varString)], ["1", "Ann"])
        let failure = error { () throws(MySQLError) in try row.decode(User.self) }
        #expect(failure?.kind == .invalidUsage)
        #expect(
            failure?.message
                == "no column 'email' for User.email in this result (columns: id, name); select it, "
                + "or make the property Optional to allow it to be missing")
        let snake = error { () throws(MySQLError) in
            try row.decode(Customer.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        #expect(
            snake?.message.hasPrefix(
                "no column 'created_at' (nor any other that converts from snake_case to 'createdAt') "
                    + "for Customer.createdAt in this result (columns: id, name)") == true, "\(snake?.message ?? "")")
    }

    @Test func aWrongTypeNamesTheColumn() throws {
        struct Wrong: Decodable {
            var id: Int
            var name: Int
        }
        let failure = error { () throws(MySQLError) in try Self.customerRow().decode(Wrong.self) }
        #expect(failure?.kind == .decoding)
        #expect(
            failure?.message
                == "column 'name' (index 1): cannot decode VAR_STRING value into Int: unsupported column type",
            "\(failure?.message ?? "")")
        // The same message as decoding the column by index.
        let direct = error { () throws(MySQLError) in try Self.customerRow().decode(Int.self, at: 1) }
        #expect(failure == direct)
        // NULL into a non-optional property.
        struct NotNull: Decodable { var balance: Double }
        let row = try Self.textRow(Self.customerColumns, ["7", "Ann", nil, "2024-05-01", "0", "1"])
        let null = error { () throws(MySQLError) in try row.decode(NotNull.self) }
        #expect(null?.message.hasPrefix("column 'balance' (index 2): value is NULL") == true)
    }

    @Test func rawValueEnumsDecodeThroughTheirOwnInit() throws {
        struct Ticket: Decodable, Equatable {
            var tier: Tier
            var priority: Priority
        }
        let columns = [MySQLColumn(name: "tier", type: .varString), MySQLColumn(name: "priority", type: .tiny)]
        #expect(try Self.textRow(columns, ["gold", "2"]).decode(Ticket.self) == Ticket(tier: .gold, priority: .high))
        let failure = error { () throws(MySQLError) in try Self.textRow(columns, ["platinum", "1"]).decode(Ticket.self)
        }
        #expect(failure?.kind == .decoding)
        #expect(
            failure?.message.hasPrefix("cannot decode Ticket.tier (column 'tier'): ") == true,
            "\(failure?.message ?? "")"
        )
        #expect(failure?.message.contains("platinum") == true)
        // A value error inside the enum's init still names the column.
        let wrongType = error { () throws(MySQLError) in try Self.textRow(columns, ["gold", "x"]).decode(Ticket.self) }
        #expect(wrongType?.message.hasPrefix("column 'priority' (index 1): cannot decode TINY value into Int") == true)
    }

    struct Email: Decodable, Equatable {
        var address: String
        init(address: String) { self.address = address }
        init(from decoder: any Decoder) throws {
            address = try decoder.singleValueContainer().decode(String.self)
        }
    }

    /// A wrapper of a wrapper: the generic `decode<T>` of the single-value container.
    struct Contact: Decodable, Equatable {
        var email: Email
        init(email: Email) { self.email = email }
        init(from decoder: any Decoder) throws {
            email = try decoder.singleValueContainer().decode(Email.self)
        }
    }

    /// `MySQLDecodable` and `Decodable`: a row must use the `MySQLDecodable` conformance.
    struct Cents: MySQLDecodable, Decodable, Equatable {
        var value: Int64
        static func decode(
            mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
        ) throws(MySQLError) -> Cents {
            Cents(
                value: try MySQLDecimal.decode(mysqlValue: bytes, format: format, column: column).scaledInteger(
                    scale: 2)!)
        }
        init(value: Int64) { self.value = value }
        init(from decoder: any Decoder) throws {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not this way"))
        }
    }

    @Test func singleValueWrappersAndUserValueTypes() throws {
        struct Order: Decodable, Equatable {
            var email: Email
            var backup: Contact?
            var total: Cents
            var refund: Cents?
        }
        let columns = [
            MySQLColumn(name: "email", type: .varString), MySQLColumn(name: "backup", type: .varString),
            MySQLColumn(name: "total", type: .newdecimal), MySQLColumn(name: "refund", type: .newdecimal),
        ]
        #expect(
            try Self.textRow(columns, ["a@b.c", "d@e.f", "12.34", nil]).decode(Order.self)
                == Order(
                    email: Email(address: "a@b.c"), backup: Contact(email: Email(address: "d@e.f")),
                    total: Cents(value: 1234), refund: nil))
        #expect(try Self.textRow(columns, ["a@b.c", nil, "1", "2"]).decode(Order.self).refund == Cents(value: 200))
    }

    @Test func nestedContainersAreRejectedWithAHint() throws {
        struct Tagged: Decodable {
            var id: Int
            var tags: [String: Int]
        }
        struct Listed: Decodable {
            var id: Int
            var tags: [Int]
        }
        struct Point: Decodable {
            var x: Int
            var y: Int
        }
        struct Located: Decodable {
            var id: Int
            var tags: Point
        }
        let row = try Self.textRow(
            [MySQLColumn(name: "id", type: .long), MySQLColumn(name: "tags", type: .json)], ["1", "{\"a\": 1}"])
        let keyed = error { () throws(MySQLError) in try row.decode(Tagged.self) }
        #expect(keyed?.kind == .decoding)
        #expect(
            keyed?.message
                == "cannot decode Tagged.tags (column 'tags'): its type decodes as a keyed container (a struct with "
                + "several fields or a dictionary), but a column holds one value; decode the column as String or "
                + "Data and parse it yourself (JSON columns), or give the type an init(from:) that uses "
                + "singleValueContainer()")
        let listed = error { () throws(MySQLError) in try row.decode(Listed.self) }
        #expect(
            listed?.message.hasPrefix("cannot decode Listed.tags (column 'tags'): its type decodes as a list") == true)
        let located = error { () throws(MySQLError) in try row.decode(Located.self) }
        #expect(
            located?.message.hasPrefix("cannot decode Located.tags (column 'tags'): its type decodes as a keyed")
                == true)
        // A whole row as a list is not supported either.
        let list = error { () throws(MySQLError) in try row.decode([Int].self) }
        #expect(list?.kind == .decoding)
        #expect(list?.message.hasPrefix("cannot decode Array<Int> from a row: it decodes as a list") == true)
    }

    @Test func errorsFromACustomInitAreMySQLErrors() throws {
        struct Strict: Decodable {
            var id: Int
            enum CodingKeys: String, CodingKey { case id }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                id = try container.decode(Int.self, forKey: .id)
                guard id > 10 else {
                    throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "id too small")
                }
            }
        }
        struct Custom: Error {}
        struct Throws: Decodable {
            init(from decoder: any Decoder) throws { throw Custom() }
        }
        let row = try Self.customerRow()
        let strict = error { () throws(MySQLError) in try row.decode(Strict.self) }
        #expect(strict == MySQLError(.decoding, "cannot decode Strict.id (column 'id'): id too small"))
        let custom = error { () throws(MySQLError) in try row.decode(Throws.self) }
        #expect(custom?.kind == .decoding)
        #expect(custom?.message.hasPrefix("cannot decode Throws from the row: ") == true)
    }

    @Test func theOtherDecodeMethodsStillResolve() throws {
        let row = try Self.customerRow()
        // Tuple: the pack overload (a tuple is not Decodable).
        let (id, name) = try row.decode((Int, String).self)
        #expect(id == 7 && name == "Ann")
        let four = try row.decode((Int64, String, Double?, Date).self)
        #expect(four == (7, "Ann", 12.5, Self.createdAt))
        #expect(try row.decode((Int, String, Double).self) == (7, "Ann", 12.5))
        // By index and by name.
        #expect(try row.decode(Int.self, at: 0) == 7)
        #expect(try row.decode(String.self, column: "name") == "Ann")
        // A struct: the Decodable overload.
        let customer: Customer = try row.decode(Customer.self)
        #expect(customer.id == 7)
        // One MySQLDecodable type without an index: the first column, whichever overload Swift picks.
        #expect(try row.decode(Int.self) == 7)
        #expect(try row.decode(Int.self, keyDecodingStrategy: .useDefaultKeys) == 7)
        #expect(try row.decode(Int?.self, keyDecodingStrategy: .useDefaultKeys) == 7)
        // A single-value type reads the first column too.
        let first = try Self.textRow(
            [MySQLColumn(name: "p", type: .tiny), MySQLColumn(name: "q", type: .tiny)], ["2", "1"])
        #expect(try first.decode(Priority.self) == .high)
        #expect(try first.decode(Email.self).address == "2")
        let empty = MySQLRow(
            batch: RowBatchBuilder(format: .text, columnCount: 0).build(), rowIndex: 0, columns: .empty)
        #expect(
            error { () throws(MySQLError) in try empty.decode(Int.self, keyDecodingStrategy: .useDefaultKeys) }?.kind
                == .invalidUsage)
    }

    @Test func theWholeRowAsADictionary() throws {
        let row = try Self.textRow(
            [MySQLColumn(name: "user_id", type: .long), MySQLColumn(name: "nick_name", type: .varString)], ["4", nil])
        let names: [String: String?] = ["user_id": "4", "nick_name": nil]
        #expect(try row.decode([String: String?].self) == names)
        let converted: [String: String?] = ["userId": "4", "nickName": nil]
        #expect(try row.decode([String: String?].self, keyDecodingStrategy: .convertFromSnakeCase) == converted)
    }

    @Test func libraryValueTypesDecodeFromTextElsewhere() throws {
        struct Values: Decodable {
            var decimal: MySQLDecimal
            var date: MySQLDate
            var dateTime: MySQLDateTime
            var time: MySQLTime
        }
        let json = Data(
            #"{"decimal": "-12.340", "date": "2024-05-01", "dateTime": "2024-05-01 12:30:00.5", "time": "-838:59:59"}"#
                .utf8)
        let values = try JSONDecoder().decode(Values.self, from: json)
        #expect(values.decimal.description == "-12.340")
        #expect(values.date == MySQLDate(year: 2024, month: 5, day: 1))
        #expect(values.dateTime.description == "2024-05-01 12:30:00.5")
        #expect(values.time.description == "-838:59:59")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MySQLDate].self, from: Data(#"["2024-13-01"]"#.utf8))
        }
    }
}
