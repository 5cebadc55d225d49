/// The one error type of the library. `kind` says what class of failure it is; `message`
/// says what happened and, where the user can act, what to do. Messages never contain a
/// password, a bound value or any other secret.
public struct MySQLError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server answered with an ERR packet.
        case server(code: UInt16, sqlState: String)
        /// The server sent bytes that do not follow the protocol. The connection is closed.
        case protocolViolation
        /// The connection is closed (by the peer, by `close()`, or after an earlier fatal error).
        case connectionClosed
        /// A connect, read or write deadline passed.
        case timeout
        /// TLS could not be set up or failed.
        case tls
        /// Authentication could not be completed (unsupported plugin, missing key, refused switch).
        case authentication
        /// The request's task was cancelled.
        case cancelled
        /// The library was used in a way it does not support (bad configuration, wrong API order).
        case invalidUsage
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// A socket-level failure (connect refused, host not found, reset).
        case io(errno: Int32)
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String {
        switch kind {
        case .server(let code, let sqlState):
            return sqlState.isEmpty ? "ERROR \(code): \(message)" : "ERROR \(code) (\(sqlState)): \(message)"
        case .protocolViolation: return "protocol violation: \(message)"
        case .connectionClosed: return "connection closed: \(message)"
        case .timeout: return "timeout: \(message)"
        case .tls: return "TLS: \(message)"
        case .authentication: return "authentication: \(message)"
        case .cancelled: return "cancelled: \(message)"
        case .invalidUsage: return "invalid usage: \(message)"
        case .decoding: return "decoding: \(message)"
        case .io(let errno): return "I/O error (errno \(errno)): \(message)"
        }
    }

    /// Whether the connection that produced this error can no longer be used.
    public var isFatalForConnection: Bool {
        switch kind {
        case .server, .decoding, .invalidUsage: return false
        default: return true
        }
    }

    static func violation(_ message: String) -> MySQLError { MySQLError(.protocolViolation, message) }
}
