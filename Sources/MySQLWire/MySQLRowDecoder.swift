// `row.decode(Customer.self)`: a row into a `Decodable` type, one property per column, matched
// by name. The containers are in MySQLRowDecoder+Containers.swift.

/// How `MySQLRow.decode(_:keyDecodingStrategy:)` matches coding keys to column names.
public enum MySQLKeyDecodingStrategy: Sendable {
    /// A key reads the column of exactly its name.
    case useDefaultKeys
    /// Column names are converted from snake_case to camelCase before matching, by the rule of
    /// Foundation's `JSONDecoder`: `created_at` matches the key `createdAt`; leading and trailing
    /// underscores are kept (`_id` matches `_id`); a name without an underscore is unchanged.
    case convertFromSnakeCase

    /// `created_at` → `createdAt`, as `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`
    /// converts: the first word lowercased, every later word capitalised, runs of underscores
    /// inside the name dropped, leading and trailing underscores kept.
    static func camelCase(fromSnakeCase name: String) -> String {
        guard let first = name.firstIndex(where: { $0 != "_" }) else { return name }
        var last = name.index(before: name.endIndex)
        while last > first && name[last] == "_" { name.formIndex(before: &last) }
        let words = name[first...last].split(separator: "_")
        guard words.count > 1 else { return name }
        var result = String(name[..<first])
        result += words[0].lowercased()
        for word in words.dropFirst() {
            result += word.prefix(1).uppercased()
            result += word.dropFirst().lowercased()
        }
        result += name[name.index(after: last)...]
        return result
    }

    /// `createdAt` → `created_at`: the column name an error message suggests for a key.
    static func snakeCase(fromCamelCase key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase && !result.isEmpty && result.last != "_" {
                result += "_"
            }
            result += character.lowercased()
        }
        return result
    }
}

extension MySQLRow {
    /// Decodes the row into `type`, one property per column: each coding key reads the column
    /// of that name (after `keyDecodingStrategy`), the first one if several share the name.
    ///
    /// ```swift
    /// struct Customer: Decodable { var id: Int; var name: String; var createdAt: Date }
    /// let customer = try row.decode(Customer.self, keyDecodingStrategy: .convertFromSnakeCase)
    /// ```
    ///
    /// - A property whose type is `MySQLDecodable` (integers, `Bool`, `Float`, `Double`, `String`,
    ///   `[UInt8]`, `Data`, `Decimal`, `Date`, `MySQLDecimal`, the temporal types, `Optional`s of
    ///   them, your own conformances) decodes exactly as `decode(_:at:)` does.
    /// - Any other property type decodes through its own `init(from:)` over the column, which
    ///   may use only `singleValueContainer()`: `RawRepresentable` enums and single-value
    ///   wrappers work; arrays, dictionaries and structs with several fields throw `.decoding`
    ///   (decode such a column, e.g. JSON, as `String` or `Data` and parse it yourself).
    /// - SQL NULL or a missing column is `nil` for an `Optional` property; a missing column for
    ///   any other property throws `.invalidUsage` naming it and the columns present.
    /// - If `type` itself is `MySQLDecodable` the result is the first column's value, as
    ///   `decode(type, at: 0)` gives. (`row.decode(Int.self)` without a strategy resolves to the
    ///   tuple method `decode(_ types:)` with a one-element pack, which gives the same answer.)
    ///   A type whose `init(from:)` asks for a single value also reads the first column.
    /// - A type that decodes as a list (e.g. `[Int]`) throws `.decoding`; a `[String: V]`
    ///   dictionary gets every column (the first of a repeated name).
    ///
    /// Throws only `MySQLError`: a `DecodingError` from a custom `init(from:)` becomes `.decoding`
    /// with its coding path in the message.
    public func decode<T: Decodable>(
        _ type: T.Type, keyDecodingStrategy: MySQLKeyDecodingStrategy = .useDefaultKeys
    ) throws(MySQLError) -> T {
        if let valueType = T.self as? any MySQLDecodable.Type {
            return try decodeMySQLValue(valueType, at: 0, as: T.self)
        }
        let decoder = MySQLRowDecoder(row: self, keyDecodingStrategy: keyDecodingStrategy, type: T.self)
        do {
            return try T(from: decoder)
        } catch let error as MySQLError {
            throw error
        } catch let error as DecodingError {
            throw decoder.wrapping(error)
        } catch {
            throw MySQLError(.decoding, "cannot decode \(T.self) from the row: \(error)")
        }
    }

    /// The value at `index` as `V` (opened from an existential), returned as `T` (which is `V`).
    func decodeMySQLValue<V: MySQLDecodable, T>(_ type: V.Type, at index: Int, as _: T.Type) throws(MySQLError) -> T {
        // Cannot fail: callers open `V` from `T.self as? any MySQLDecodable.Type`, so V is T.
        try decode(V.self, at: index) as! T
    }

    /// The same for an Optional property: nil for SQL NULL.
    func decodeMySQLValueIfPresent<V: MySQLDecodable, T>(
        _ type: V.Type, at index: Int, as _: T.Type
    ) throws(MySQLError) -> T? {
        // Cannot fail, as above: V is T.
        try decode(V?.self, at: index).map { $0 as! T }
    }
}

/// The top-level decoder over one row: keyed by column name; a single value is the first column.
final class MySQLRowDecoder: Decoder {
    let row: MySQLRow
    let keyDecodingStrategy: MySQLKeyDecodingStrategy
    /// The type being decoded, for error messages (named only when one is thrown).
    let type: Any.Type
    var typeName: String { "\(type)" }
    /// With `.convertFromSnakeCase`: converted column name → index of the first such column.
    /// Built once per `decode` call, so both directions use the same conversion.
    let convertedNames: [String: Int]?

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(row: MySQLRow, keyDecodingStrategy: MySQLKeyDecodingStrategy, type: Any.Type) {
        self.row = row
        self.keyDecodingStrategy = keyDecodingStrategy
        self.type = type
        switch keyDecodingStrategy {
        case .useDefaultKeys:
            convertedNames = nil
        case .convertFromSnakeCase:
            var names: [String: Int] = [:]
            for (index, column) in row.columns.definitions.enumerated() {
                let name = MySQLKeyDecodingStrategy.camelCase(fromSnakeCase: column.name)
                if names[name] == nil { names[name] = index }
            }
            convertedNames = names
        }
    }

    /// The column a key reads, nil when there is none.
    func columnIndex(for key: some CodingKey) -> Int? {
        if let convertedNames { return convertedNames[key.stringValue] }
        return row.columns.index(of: key.stringValue)
    }

    /// The column a key reads, or the error for a missing column.
    func requiredColumnIndex(for key: some CodingKey) throws(MySQLError) -> Int {
        guard let index = columnIndex(for: key) else { throw missingColumn(key) }
        return index
    }

    /// Every key a column provides, in column order (for a dictionary decoded from the row).
    var allKeyNames: [String] {
        var seen = Set<String>()
        return row.columns.definitions.compactMap { column in
            let name =
                convertedNames == nil
                ? column.name : MySQLKeyDecodingStrategy.camelCase(fromSnakeCase: column.name)
            return seen.insert(name).inserted ? name : nil
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw MySQLError(
            .decoding,
            "cannot decode \(typeName) from a row: it decodes as a list (an unkeyed container); decode a type "
                + "with one property per column, a tuple (row.decode((Int, String).self)), or each column by index")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard row.count > 0 else { throw row.indexOutOfRange(0) }
        return MySQLColumnDecoder(decoder: self, index: 0, codingPath: [])
    }

    // MARK: Errors

    /// `Customer.createdAt`: the property a coding path names.
    func propertyName(_ codingPath: [any CodingKey]) -> String {
        ([typeName] + codingPath.map(\.stringValue)).joined(separator: ".")
    }

    func missingColumn(_ key: some CodingKey) -> MySQLError {
        let present = row.columns.definitions.map(\.name).joined(separator: ", ")
        let wanted: String
        switch keyDecodingStrategy {
        case .useDefaultKeys:
            wanted = "no column '\(key.stringValue)'"
        case .convertFromSnakeCase:
            let snake = MySQLKeyDecodingStrategy.snakeCase(fromCamelCase: key.stringValue)
            wanted = "no column '\(snake)' (nor any other that converts from snake_case to '\(key.stringValue)')"
        }
        return MySQLError(
            .invalidUsage,
            "\(wanted) for \(propertyName([key])) in this result (columns: \(present)); select it, "
                + "or make the property Optional to allow it to be missing")
    }

    /// A property whose type asks for a keyed or unkeyed container: a column holds one value.
    func nestedContainer(_ codingPath: [any CodingKey], column index: Int?, shape: String) -> MySQLError {
        let column = index.map { " (column '\(row.columns.definitions[$0].name)')" } ?? ""
        return MySQLError(
            .decoding,
            "cannot decode \(propertyName(codingPath))\(column): its type decodes as \(shape), but a column "
                + "holds one value; decode the column as String or Data and parse it yourself (JSON columns), "
                + "or give the type an init(from:) that uses singleValueContainer()")
    }

    /// A `DecodingError` from a custom `init(from:)`, as `.decoding` with its coding path.
    func wrapping(_ error: DecodingError) -> MySQLError {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return MySQLError(.decoding, "cannot decode \(typeName): \(error)")
        }
        var column = ""
        if let key = context.codingPath.first, let index = columnIndex(for: key) {
            column = " (column '\(row.columns.definitions[index].name)')"
        }
        return MySQLError(
            .decoding, "cannot decode \(propertyName(context.codingPath))\(column): \(context.debugDescription)")
    }
}

// The library's own value types, for properties of a `Decodable` struct. A row decodes them as
// `MySQLDecodable` (the column's value); any other decoder (e.g. JSONDecoder) reads the text
// form MySQL prints: "12.34", "2024-05-01", "2024-05-01 12:30:00.5", "-838:59:59".

extension MySQLDecimal: Decodable {
    public init(from decoder: any Decoder) throws { self = try decodeMySQLText(decoder, type: .newdecimal) }
}

extension MySQLDate: Decodable {
    public init(from decoder: any Decoder) throws { self = try decodeMySQLText(decoder, type: .date) }
}

extension MySQLDateTime: Decodable {
    public init(from decoder: any Decoder) throws { self = try decodeMySQLText(decoder, type: .datetime) }
}

extension MySQLTime: Decodable {
    public init(from decoder: any Decoder) throws { self = try decodeMySQLText(decoder, type: .time) }
}

/// A value from a string in MySQL's text form, parsed as a text-row value of a column of `type`.
private func decodeMySQLText<T: MySQLDecodable>(_ decoder: any Decoder, type: MySQLType) throws -> T {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
        return try T.decode(mysqlValue: Array(text.utf8)[...], format: .text, column: MySQLColumn(name: "", type: type))
    } catch {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
}
