import ArgumentParser
import MySQLWire

#if canImport(Glibc)
    import Glibc
#endif

/// The default subcommand: run `--execute SQL` (or SQL from standard input) and print every
/// result set in turn, streaming rows as they arrive.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run SQL and print the results (the default).")

    @OptionGroup var connection: ConnectionOptions

    @Option(
        name: [.customShort("e"), .customLong("execute")],
        help: "SQL to run; several statements may be separated by ';'.")
    var execute: String?

    @Option(help: "Output format: table, tsv (as mariadb --batch) or json.")
    var format: OutputFormat = .table

    @Flag(
        help:
            "Run each statement through COM_STMT_PREPARE/EXECUTE (binary protocol) instead of COM_QUERY; the output is the same."
    )
    var prepared = false

    func run() async throws {
        var sql = execute ?? ""
        if execute == nil {
            while let line = readLine(strippingNewline: false) { sql += line }
        }
        var config = try connection.makeConfiguration()
        // As the mariadb client: several statements in one --execute, every result printed.
        config.multiStatements = true
        let sink = OutputSink(fd: STDOUT_FILENO)
        do {
            let conn = try await MySQLConnection.connect(configuration: config)
            do {
                if prepared {
                    try await printPrepared(sql: sql, on: conn, sink: sink)
                } else {
                    try await printAll(sql: sql, on: conn, sink: sink)
                }
            } catch {
                sink.flush()
                await conn.close()
                exitWithError(error)
            }
            await conn.close()
        } catch {
            sink.flush()
            exitWithError(error)
        }
        sink.flush()
    }

    private func printAll(sql: String, on conn: MySQLConnection, sink: OutputSink) async throws {
        try await printResults(of: try await conn.query(sql), sink: sink)
    }

    /// Each statement alone (a prepared statement holds one), in order, stopping at the first
    /// error as the mariadb client does. A statement the server cannot prepare (ER_UNSUPPORTED_PS,
    /// 1295) runs through COM_QUERY instead.
    private func printPrepared(sql: String, on conn: MySQLConnection, sink: OutputSink) async throws {
        for statement in StatementSplitter.split(sql) {
            let prepared: MySQLStatement
            do {
                prepared = try await conn.prepare(statement)
            } catch let error as MySQLError where error.kind.serverCode == 1295 {
                try await printResults(of: try await conn.query(statement), sink: sink)
                continue
            }
            do {
                try await printResults(of: try await prepared.query(), sink: sink)
            } catch {
                try? await prepared.close()
                throw error
            }
            try await prepared.close()
        }
    }

    private func printResults(of rows: MySQLRows, sink: OutputSink) async throws {
        repeat {
            let columns = await rows.columns
            if columns.count > 0 {
                var printer = makePrinter(
                    format, output: sink, numericColumns: columns.definitions.map(\.isNumericForDisplay))
                printer.begin(columns: columns.definitions.map(\.name))
                var fields: [ArraySlice<UInt8>?] = []
                fields.reserveCapacity(columns.count)
                for try await row in rows {
                    fields.removeAll(keepingCapacity: true)
                    for i in 0..<row.count { fields.append(try row.textBytes(at: i)) }
                    printer.row(fields)
                }
                printer.end()
            }
        } while try await rows.nextResultSet()
    }
}

extension MySQLError.Kind {
    /// The server's error code, nil for errors that are not the server's.
    var serverCode: UInt16? {
        if case .server(let code, _) = self { return code }
        return nil
    }
}

extension MySQLColumn {
    /// The types the mariadb client right-aligns (its IS_NUM): numbers, YEAR and NULL.
    var isNumericForDisplay: Bool {
        switch type {
        case .decimal, .newdecimal, .tiny, .short, .long, .int24, .longlong, .float, .double, .year, .null: return true
        default: return false
        }
    }
}
