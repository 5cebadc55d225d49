/// SQL with bound parameters, usually written as a string literal: every interpolated value
/// becomes a `?` placeholder and is sent as a parameter of a prepared statement, never spliced
/// into the text.
///
/// ```swift
/// let rows = try await conn.query("SELECT * FROM customers WHERE job = \(job) AND id > \(minID)")
/// ```
///
/// runs `SELECT * FROM customers WHERE job = ? AND id > ?` with two parameters. Text that must
/// be part of the SQL (an identifier chosen at run time) is interpolated explicitly:
/// `\(identifier: table)` quotes it with backticks, `\(unescaped: sql)` splices it as it is —
/// never pass user input to `unescaped`. A query without bound values runs as plain COM_QUERY.
public struct MySQLQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The SQL text, with `?` where values are bound.
    public var sql: String
    /// The values, in placeholder order.
    public var bindings: [any MySQLEncodable]

    public init(_ sql: String, bindings: [any MySQLEncodable] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(stringInterpolation.sql, bindings: stringInterpolation.bindings)
    }

    /// `identifier` in backticks, backticks inside doubled.
    static func quoted(identifier: String) -> String {
        var quoted = "`"
        for character in identifier {
            quoted.append(character)
            if character == "`" { quoted.append("`") }
        }
        return quoted + "`"
    }

    /// The SQL only: bound values are not shown (they may be secrets).
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql = ""
        var bindings: [any MySQLEncodable] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount)
            bindings.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A bound parameter: `?` in the SQL, the value beside it.
        public mutating func appendInterpolation(_ value: some MySQLEncodable) {
            sql += "?"
            bindings.append(value)
        }

        /// A bound parameter that may be NULL.
        public mutating func appendInterpolation<Value: MySQLEncodable>(_ value: Value?) {
            sql += "?"
            bindings.append(value)
        }

        /// An identifier (table, column) quoted with backticks; backticks inside are doubled.
        public mutating func appendInterpolation(identifier: String) {
            sql += MySQLQuery.quoted(identifier: identifier)
        }

        /// Text spliced into the SQL as it is. Never with user input: that is SQL injection.
        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }
    }
}
