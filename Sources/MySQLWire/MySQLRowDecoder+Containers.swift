// The containers of `MySQLRowDecoder`: a keyed container over the row's columns and a
// single-value decoder over one column. Every value of a `MySQLDecodable` type goes through
// `MySQLRow.decode(_:at:)`, so it decodes (and fails, naming the column) exactly as that does.

/// The row as a keyed container: a key is a column name.
struct RowKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: MySQLRowDecoder

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { decoder.allKeyNames.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { decoder.columnIndex(for: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        try decoder.row.isNull(at: decoder.requiredColumnIndex(for: key))
    }

    /// A `MySQLDecodable` value of a column that must exist.
    @inline(__always)
    private func value<V: MySQLDecodable>(_ type: V.Type, _ key: Key) throws(MySQLError) -> V {
        try decoder.row.decode(type, at: decoder.requiredColumnIndex(for: key))
    }

    /// The same where a missing column or NULL is nil.
    @inline(__always)
    private func valueIfPresent<V: MySQLDecodable>(_ type: V.Type, _ key: Key) throws(MySQLError) -> V? {
        guard let index = decoder.columnIndex(for: key) else { return nil }
        return try decoder.row.decode(V?.self, at: index)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let index = try decoder.requiredColumnIndex(for: key)
        if let valueType = T.self as? any MySQLDecodable.Type {
            return try decoder.row.decodeMySQLValue(valueType, at: index, as: T.self)
        }
        return try T(from: MySQLColumnDecoder(decoder: decoder, index: index, codingPath: [key]))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try valueIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try valueIfPresent(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = decoder.columnIndex(for: key) else { return nil }
        if let valueType = T.self as? any MySQLDecodable.Type {
            return try decoder.row.decodeMySQLValueIfPresent(valueType, at: index, as: T.self)
        }
        if decoder.row.isNull(at: index) { return nil }
        return try T(from: MySQLColumnDecoder(decoder: decoder, index: index, codingPath: [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw decoder.nestedContainer([key], column: decoder.columnIndex(for: key), shape: "a keyed container")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw decoder.nestedContainer(
            [key], column: decoder.columnIndex(for: key), shape: "a list (an unkeyed container)")
    }

    /// The row itself: a superclass's properties are columns of the same row.
    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        MySQLColumnDecoder(decoder: decoder, index: try decoder.requiredColumnIndex(for: key), codingPath: [key])
    }
}

/// One column as a decoder (for a property whose type is not `MySQLDecodable`, e.g. an enum) and
/// as its single-value container. Asking it for a keyed or unkeyed container throws.
struct MySQLColumnDecoder: Decoder, SingleValueDecodingContainer {
    let decoder: MySQLRowDecoder
    let index: Int
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw decoder.nestedContainer(
            codingPath, column: index, shape: "a keyed container (a struct with several fields or a dictionary)")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw decoder.nestedContainer(codingPath, column: index, shape: "a list (an unkeyed container, e.g. an array)")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { decoder.row.isNull(at: index) }

    @inline(__always)
    private func value<V: MySQLDecodable>(_ type: V.Type) throws(MySQLError) -> V {
        try decoder.row.decode(type, at: index)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let valueType = T.self as? any MySQLDecodable.Type {
            return try decoder.row.decodeMySQLValue(valueType, at: index, as: T.self)
        }
        // A wrapper over a wrapper: the same column, one level deeper.
        return try T(from: self)
    }
}
