/// What a successful COM_STMT_PREPARE tells about a statement.
public struct PreparedStatementDescription: Sendable {
    public var statementID: UInt32
    /// One definition per `?` placeholder (servers fill in little more than the type).
    public var parameters: [MySQLColumn]
    /// The result set's columns as known at prepare time; an execution's own column
    /// definitions are what its rows are read with.
    public var columns: MySQLColumns
    public var warnings: UInt16
}

/// The response to COM_STMT_PREPARE: PREPARE_OK or ERR, then the parameter definitions and
/// the column definitions, each group followed by an EOF packet unless CLIENT_DEPRECATE_EOF.
struct PrepareStateMachine {
    enum Phase {
        case awaitingOK
        case parameters
        case parametersEOF
        case columns
        case columnsEOF
    }

    enum Step {
        case none
        case prepared(PreparedStatementDescription)
        /// The server refused the statement; the connection is in sync.
        case failed(MySQLError)
        case fatal(MySQLError)
    }

    let capabilities: MySQLCapabilities
    var phase = Phase.awaitingOK
    var statementID: UInt32 = 0
    var warnings: UInt16 = 0
    var expectedParameters = 0
    var expectedColumns = 0
    var parameters: [MySQLColumn] = []
    var columns: [MySQLColumn] = []

    init(capabilities: MySQLCapabilities) {
        self.capabilities = capabilities
    }

    mutating func receive(_ payload: ArraySlice<UInt8>) -> Step {
        guard let header = payload.first else { return .fatal(.violation("empty packet in a prepare response")) }
        do throws(MySQLError) {
            switch phase {
            case .awaitingOK:
                if header == 0xFF {
                    return .failed(ErrorPacket.parse(payload, capabilities: capabilities).error)
                }
                let ok = try PrepareOKPacket.parse(payload)
                statementID = ok.statementID
                warnings = ok.warnings
                expectedParameters = ok.parameterCount
                expectedColumns = ok.columnCount
                parameters.reserveCapacity(min(ok.parameterCount, 1024))
                columns.reserveCapacity(min(ok.columnCount, 1024))
                return advance(after: .awaitingOK)
            case .parameters:
                parameters.append(try MySQLColumn.parse(payload))
                return parameters.count < expectedParameters ? .none : advance(after: .parameters)
            case .columns:
                columns.append(try MySQLColumn.parse(payload))
                return columns.count < expectedColumns ? .none : advance(after: .columns)
            case .parametersEOF, .columnsEOF:
                guard header == 0xFE, payload.count < 9 else {
                    throw .violation(
                        "expected an EOF packet after the prepared statement's definitions, got 0x\(String(header, radix: 16))"
                    )
                }
                _ = try EOFPacket.parse(payload)
                return advance(after: phase)
            }
        } catch {
            return .fatal(error)
        }
    }

    /// The phase after `finished`: skips groups that are empty and EOF packets the server
    /// does not send.
    private mutating func advance(after finished: Phase) -> Step {
        let eof = !capabilities.contains(.deprecateEOF)
        switch finished {
        case .awaitingOK:
            if expectedParameters > 0 {
                phase = .parameters
                return .none
            }
            return advance(after: .parametersEOF)
        case .parameters:
            if eof {
                phase = .parametersEOF
                return .none
            }
            return advance(after: .parametersEOF)
        case .parametersEOF:
            if expectedColumns > 0 {
                phase = .columns
                return .none
            }
            return advance(after: .columnsEOF)
        case .columns:
            if eof {
                phase = .columnsEOF
                return .none
            }
            return advance(after: .columnsEOF)
        case .columnsEOF:
            return .prepared(
                PreparedStatementDescription(
                    statementID: statementID, parameters: parameters, columns: MySQLColumns(columns), warnings: warnings
                ))
        }
    }
}
