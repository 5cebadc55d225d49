import Glibc

/// The one error type of the IO layer. `kind` is for code to switch on; `message` is for people
/// and always names the operation and the peer, so a log line alone says what failed.
public struct IOError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A system call failed with this errno value.
        case errno(Int32)
        /// A deadline passed before the operation finished.
        case timeout
        /// A host name could not be resolved to an address.
        case resolution
        /// The socket or loop was already closed / shut down.
        case closed
        /// The peer closed the connection where more data was required.
        case eof
        /// TLS could not be set up (context, certificate, verification) or a TLS operation failed.
        case tls
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public init(kind: Kind, message: String) {
        self.init(kind, message)
    }

    public var description: String { message }

    /// `"<context>: Connection refused (errno 111)"`: the errno text plus the number, because the
    /// number is what people search for and the text is what they read.
    public static func errno(_ code: Int32, _ context: String) -> IOError {
        IOError(.errno(code), "\(context): \(errnoDescription(code))")
    }

    /// The current thread's `errno`, captured immediately after a failing call.
    static func lastErrno(_ context: String) -> IOError {
        errno(Glibc.errno, context)
    }
}

/// `strerror` text and number, e.g. "Connection refused (errno 111)".
func errnoDescription(_ code: Int32) -> String {
    // XSI strerror_r (what Swift's Glibc imports) fills the buffer with a NUL-terminated message;
    // 256 bytes is more than any glibc message, and the String is copied out before it goes away.
    let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buf -> String in
        guard strerror_r(code, buf.baseAddress!, buf.count) == 0 else { return "Unknown error" }
        return String(cString: buf.baseAddress!)
    }
    return "\(text) (errno \(code))"
}
