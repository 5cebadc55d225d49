import Testing

@_spi(Benchmarks) @testable import MySQLWire

/// `MySQLRow.decode` with a user type (the public requirement only, as in
/// Docs/GettingStarted.md) and with built-in types (the borrowed-bytes path), on one row.
@Suite struct RowDecodingTests {
    struct Cents: MySQLDecodable, Equatable {
        var value: Int64
        static func decode(
            mysqlValue bytes: ArraySlice<UInt8>?, format: MySQLValueFormat, column: MySQLColumn
        ) throws(MySQLError) -> Cents {
            let decimal = try MySQLDecimal.decode(mysqlValue: bytes, format: format, column: column)
            guard let cents = decimal.scaledInteger(scale: 2) else {
                throw MySQLError(.decoding, "\(decimal) is not a whole number of cents")
            }
            return Cents(value: cents)
        }
    }

    static func row() throws -> MySQLRow {
        let columns = MySQLColumns([
            MySQLColumn(name: "price", type: .newdecimal, decimals: 2),
            MySQLColumn(name: "odd", type: .newdecimal, decimals: 3),
            MySQLColumn(name: "none", type: .newdecimal, decimals: 2),
            MySQLColumn(name: "n", type: .longlong),
            MySQLColumn(name: "empty", type: .varString),
        ])
        var builder = RowBatchBuilder(format: .text, columnCount: 5)
        var payload: [UInt8] = []
        for value in ["-12.34", "1.005", nil, "42", ""] as [String?] {
            if let value {
                payload.append(UInt8(value.utf8.count))
                payload += Array(value.utf8)
            } else {
                payload.append(0xFB)
            }
        }
        try builder.appendTextRow(payload[...])
        return MySQLRow(batch: builder.build(), rowIndex: 0, columns: columns)
    }

    @Test func aUserTypeDecodesThroughItsOwnRequirement() throws {
        let row = try Self.row()
        #expect(!Cents._decodesBorrowedBytes)
        #expect(try row.decode(Cents.self, at: 0) == Cents(value: -1234))
        #expect(try row.decode(Cents?.self, column: "none") == nil)
        do {
            _ = try row.decode(Cents.self, at: 1)
            Issue.record("no error")
        } catch {
            #expect(error.message == "column 'odd' (index 1): 1.005 is not a whole number of cents")
        }
    }

    @Test func builtInTypesDecodeBorrowedBytesAndNameTheColumnOnError() throws {
        let row = try Self.row()
        #expect(Int._decodesBorrowedBytes && Int?._decodesBorrowedBytes && !String._decodesBorrowedBytes)
        #expect(try row.decode(Int.self, at: 3) == 42)
        #expect(try row.decode(MySQLDecimal.self, at: 0).description == "-12.34")
        #expect(try row.decode(Double?.self, at: 2) == nil)
        #expect(try row.decode(String.self, at: 4) == "")
        #expect(throws: MySQLError.self) { try row.decode(Int.self, at: 4) }
        do {
            _ = try row.decode(Int.self, at: 0)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .decoding)
            #expect(error.message.hasPrefix("column 'price' (index 0): cannot decode"), "\(error.message)")
        }
    }

    @Test func borrowedBytesMatchTheCopiedOnes() throws {
        let row = try Self.row()
        for index in 0..<row.count {
            let borrowed = row.withUnsafeBytes(at: index) { $0.map { Array($0) } }
            #expect(borrowed == row.bytes(at: index).map { Array($0) }, "column \(index)")
            #expect(row.isNull(at: index) == (borrowed == nil))
        }
        #expect(row.withUnsafeBytes(at: 0) { $0?.count } == 6)
        #expect(row.withUnsafeBytes(at: 4) { $0?.count } == 0)
        struct Stop: Error {}
        #expect(throws: Stop.self) { try row.withUnsafeBytes(at: 3) { _ throws(Stop) in throw Stop() } }
    }
}
