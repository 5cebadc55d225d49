// Error construction for value decoding. Only reached on failure, so allocating here is fine.

extension MySQLColumn.Shape {
    /// The column's type as error messages name it, e.g. `LONGLONG UNSIGNED`.
    var typeNameForErrors: String {
        isUnsigned ? "\(type) UNSIGNED" : type.description
    }
}

extension MySQLError {
    /// A non-optional type was asked to decode SQL NULL.
    static func decodingNull(into target: Any.Type) -> MySQLError {
        MySQLError(.decoding, "value is NULL; decode as Optional (e.g. \(target)?.self)")
    }

    /// `cannot decode <MySQL type> value into <Swift type>: <detail>`.
    static func decoding(_ column: MySQLColumn.Shape, into target: Any.Type, _ detail: String) -> MySQLError {
        MySQLError(.decoding, "cannot decode \(column.typeNameForErrors) value into \(target): \(detail)")
    }

    /// The column's type has no conversion to the requested Swift type.
    static func decodingUnsupported(_ column: MySQLColumn.Shape, into target: Any.Type) -> MySQLError {
        MySQLError(
            .decoding,
            "cannot decode \(column.typeNameForErrors) value into \(target): unsupported column type"
        )
    }

    /// A binary-protocol value whose byte count is impossible for its column type.
    static func decodingLength(
        _ column: MySQLColumn.Shape, into target: Any.Type, length: Int, expected: String
    ) -> MySQLError {
        .decoding(column, into: target, "binary value has \(length) bytes; expected \(expected)")
    }

    /// The value's bytes are not the text form the column type promises.
    static func decodingMalformed(
        _ column: MySQLColumn.Shape, into target: Any.Type, _ bytes: some ValueBytes
    ) -> MySQLError {
        .decoding(column, into: target, "malformed value \(quotedForError(bytes))")
    }

    /// At most 64 bytes of a value, lossily decoded and quoted, for an error message.
    static func quotedForError(_ bytes: some ValueBytes) -> String {
        let shown = bytes.prefix(64)
        let text = String(decoding: shown, as: UTF8.self)
        return bytes.count > shown.count ? "\"\(text)…\"" : "\"\(text)\""
    }
}
